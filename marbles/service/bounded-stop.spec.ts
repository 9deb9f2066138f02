// API.md, "Order of things": every teardown step (onStop, each child, onShutdown, each
// context) is bounded by stopTimeout; past it the step is logged by name, the teardown goes
// on, and the service ends crashed with a timeout error, so stop() always settles.
import fc from 'fast-check';
import { NEVER, type Observable, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, StopTimeoutError } from '../../src/index.js';
import { inspectService } from '../../src/testing/index.js';
import { captureLogger } from '../../spec/support/fixtures.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

type Hang = 'onStop' | 'onShutdown' | 'context' | 'none';

/** A service whose `hang` step never finishes; the rest are recorded with their frame. */
class Hanging extends Service {
  readonly calls: string[] = [];
  constructor(
    scheduler: TestScheduler,
    readonly hang: Hang,
    name: string,
    logger?: ReturnType<typeof captureLogger>['logger'],
  ) {
    super({ scheduler, name, ...(logger ? { logger } : {}) });
  }
  override onStart(): void {
    if (this.hang === 'context') void this.addAsyncContext({ [Symbol.asyncDispose]: () => new Promise<void>(() => undefined) });
  }
  override onStop(): Observable<unknown> | void {
    this.calls.push(`onStop@${this.scheduler.now()}`);
    if (this.hang === 'onStop') return NEVER;
  }
  override onShutdown(): Observable<unknown> | void {
    this.calls.push(`onShutdown@${this.scheduler.now()}`);
    if (this.hang === 'onShutdown') return NEVER;
  }
}

describe('A stop bounded by stopTimeout, in virtual time', () => {
  for (const hang of ['onStop', 'onShutdown', 'context'] as const) {
    it(`goes on past a ${hang} that never finishes, logs it by name, and ends crashed with a StopTimeoutError`, () => {
      const scheduler = newScheduler();
      const { logger, lines } = captureLogger('warn');
      scheduler.run(() => {
        const svc = new Hanging(scheduler, hang, 'Stuck', logger);
        svc.stopTimeout = 1_000;
        const child = svc.addDependency(new Hanging(scheduler, 'none', 'Child'));
        svc.start$().subscribe();
        let outcome: unknown;
        scheduler.schedule(() => svc.stop$().subscribe({ error: (error: unknown) => (outcome = error) }), 10);
        scheduler.schedule(() => {
          expect(svc.state).toBe('crashed');
          expect(outcome).toEqual(jasmine.any(StopTimeoutError));
          expect(svc.crashReason).toBe(outcome);
          expect((outcome as StopTimeoutError).timeoutMs).toBe(1_000);
          expect(child.state).toBe('shutdown');
          // The later steps ran: onShutdown after a hung onStop or context, at the frame it gave up.
          if (hang !== 'onShutdown') expect(svc.calls).toEqual(['onStop@10', 'onShutdown@1010']);
          else expect(svc.calls).toEqual(['onStop@10', 'onShutdown@10']);
          const step = hang === 'context' ? 'Stuck: the context' : `Stuck.${hang}`;
          expect(lines.map((line) => line.msg)).toContain(`Still pending after 1000 ms: ${step}${hang === 'context' ? ' an object {}' : ''}`);
          expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true, openContexts: 0 }));
        }, 1_011);
      });
    });
  }

  it('waits for a slow onStop that does finish within stopTimeout, and ends shutdown', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      class Slow extends Service {
        override onStop(): Observable<unknown> {
          return timer(999, this.scheduler);
        }
      }
      const svc = new Slow({ scheduler });
      svc.stopTimeout = 1_000;
      svc.start$().subscribe();
      expectObservable(svc.stop$()).toBe('999ms |');
    });
  });

  it('property: stop() settles within the sum of every service’s bounded steps, whatever hangs', () => {
    // A tree of up to 3 levels; each service hangs one step (or none) and has its own
    // stopTimeout. Each service's teardown has at most 3 bounded steps here (onStop, its
    // context, onShutdown), so the whole stop ends by 3 x the sum of the stopTimeouts.
    const serviceArb = fc.record({
      hang: fc.constantFrom<Hang>('onStop', 'onShutdown', 'context', 'none'),
      timeout: fc.integer({ min: 1, max: 5_000 }),
    });
    const treeArb = fc.array(fc.tuple(serviceArb, fc.array(fc.tuple(serviceArb, fc.array(serviceArb, { maxLength: 3 })), { maxLength: 3 })), {
      minLength: 1,
      maxLength: 3,
    });
    fc.assert(
      fc.property(serviceArb, treeArb, (top, children) => {
        const scheduler = newScheduler();
        let settledAt = -1;
        let bound = 0;
        scheduler.run(() => {
          const make = (spec: { hang: Hang; timeout: number }, name: string) => {
            const svc = new Hanging(scheduler, spec.hang, name);
            svc.stopTimeout = spec.timeout;
            bound += 3 * spec.timeout;
            return svc;
          };
          const root = make(top, 'root');
          children.forEach(([spec, grandchildren], i) => {
            const child = root.addDependency(make(spec, `c${i}`));
            grandchildren.forEach(([gspec, leaves], j) => {
              const grandchild = child.addDependency(make(gspec, `c${i}.${j}`));
              leaves.forEach((leaf, k) => grandchild.addDependency(make(leaf, `c${i}.${j}.${k}`)));
            });
          });
          root.start$().subscribe();
          root.stop$().subscribe({ error: () => (settledAt = scheduler.now()), complete: () => (settledAt = scheduler.now()) });
        });
        if (settledAt < 0) throw new Error('stop() never settled');
        if (settledAt > bound) throw new Error(`stop() settled at ${settledAt} ms, past the bound ${bound} ms`);
      }),
      { numRuns: 200 },
    );
  });
});
