import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { Service } from '../../src/service/service.js';
import type { Backoff } from '../../src/supervisors/backoff.js';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';

interface Outcome {
  restarts: number[];
  gaveUpAt: number | undefined;
  reason: unknown;
}

/** A supervised service crashed after each gap (virtual ms); when it was restarted, and whether the supervisor gave up. */
function simulate(gaps: number[], maxRestarts: number, over: number, backoff?: Backoff): Outcome {
  const outcome: Outcome = { restarts: [], gaveUpAt: undefined, reason: undefined };
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ cold }) => {
    const service = new Service({ name: 'worker' });
    const supervisor = new OneForOneSupervisor({ services: [service], maxRestarts, over, backoff });
    supervisor.start$().subscribe();
    service.state$.subscribe((state) => {
      if (state === 'init') outcome.restarts.push(scheduler.now());
    });
    supervisor.state$.subscribe((state) => {
      if (state === 'crashed') {
        outcome.gaveUpAt = scheduler.now();
        outcome.reason = supervisor.crashReason;
      }
    });
    let at = 0;
    for (const gap of gaps) {
      at += gap;
      cold(`${at}ms a`).subscribe(() => void service.crash(new Error(`at ${scheduler.now()}`)));
    }
  });
  return outcome;
}

function busiestWindow(times: number[], over: number): number {
  return Math.max(0, ...times.map((t) => times.filter((r) => r >= t && r < t + over).length));
}

const gapsArb = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 25 });

describe('supervisor budget (properties, virtual time)', () => {
  it('never restarts a service more than maxRestarts times in any window of `over`', () => {
    const backoffArb = fc.option(fc.record({
      initial: fc.integer({ min: 0, max: 60 }),
      max: fc.constant(60),
      jitter: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    }), { nil: undefined });
    fc.assert(fc.property(gapsArb, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 100 }), backoffArb,
      (gaps, maxRestarts, over, backoff) => {
        const { restarts } = simulate(gaps, maxRestarts, over, backoff);
        expect(busiestWindow(restarts, over)).toBeLessThanOrEqual(maxRestarts);
      }), { numRuns: 200 });
  });

  it('without backoff, restarts at each crash and gives up exactly when one finds the window full', () => {
    fc.assert(fc.property(gapsArb, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 100 }),
      (gaps, maxRestarts, over) => {
        const outcome = simulate(gaps, maxRestarts, over);
        const expected: number[] = [];
        let gaveUpAt: number | undefined;
        let at = 0;
        for (const [i, gap] of gaps.entries()) {
          at += gap;
          // Crashes in the same frame are one: the service is still crashed when the later ones come.
          if (i > 0 && gap === 0) continue;
          if (expected.filter((t) => t > at - over).length >= maxRestarts) {
            gaveUpAt = at;
            break;
          }
          expected.push(at);
        }
        expect(outcome.restarts).toEqual(expected);
        expect(outcome.gaveUpAt).toBe(gaveUpAt);
        if (gaveUpAt !== undefined) {
          expect(outcome.reason).toBeInstanceOf(MaxRestartsExceeded);
          expect(((outcome.reason as Error).cause as Error).message).toBe(`at ${gaveUpAt}`);
        }
      }), { numRuns: 200 });
  });
});
