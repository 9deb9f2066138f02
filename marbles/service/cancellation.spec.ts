// API.md, "Cancellation: the Observable forms cancel like any Observable".
import { type Observable, map, timeout, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, task } from '../../src/index.js';
import { inspectService } from '../../src/testing/index.js';
import { SlowStop } from '../../spec/support/fixtures.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A service whose onStart takes `startMs` of virtual time, with a task and a child. */
class Slow extends Service {
  readonly calls: string[] = [];
  constructor(
    scheduler: TestScheduler,
    readonly startMs: number,
    name = 'Slow',
  ) {
    super({ scheduler, name });
  }
  override onStart(): Observable<unknown> {
    this.calls.push(`onStart@${this.scheduler.now()}`);
    return timer(this.startMs, this.scheduler);
  }
  override onStop(): void {
    this.calls.push(`onStop@${this.scheduler.now()}`);
  }
  @task
  protected ticking(): Observable<unknown> {
    return timer(0, 10, this.scheduler);
  }
}

describe('Cancellation in virtual time', () => {
  it('a start$ unsubscribed mid-start stops the service as stop() would, and it ends shutdown', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Slow(scheduler, 100);
      const states: string[] = [];
      svc.state$.subscribe((state) => states.push(`${state}@${scheduler.now()}`));
      expectObservable(svc.start$(), '^ 29ms !').toBe('');
      cold('50ms a').subscribe(() => {
        expect(states).toEqual(['init@0', 'running@0', 'stopping@30', 'shutdown@30']);
        expect(svc.calls).toEqual(['onStart@0', 'onStop@30']);
        expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true, aborted: true }));
      });
    });
  });

  it('start$().pipe(timeout(...)) is a start with a deadline: past it, the start errors and the service is stopped', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const parent = new Slow(scheduler, 10, 'Parent');
      const child = parent.addDependency(new Slow(scheduler, 1_000, 'Child'));
      expectObservable(parent.start$().pipe(timeout({ first: 50, scheduler }))).toBe('50ms #', undefined, jasmine.objectContaining({ name: 'TimeoutError' }));
      scheduler.schedule(() => {
        expect([parent.state, child.state]).toEqual(['shutdown', 'shutdown']);
        // The child had begun its start at 10 (after the parent's onStart): it is torn down too.
        expect(child.calls).toEqual(['onStart@10', 'onStop@50']);
        expect(parent.calls).toEqual(['onStart@0', 'onStop@50']);
        for (const svc of [parent, child]) {
          expect(inspectService(svc)).withContext(svc.label).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true }));
        }
      }, 60);
    });
  });

  it('a start$ that completed is not undone by unsubscribing afterwards', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const svc = new Slow(scheduler, 10);
      expectObservable(svc.start$(), '^ 40ms !').toBe('10ms |');
      scheduler.schedule(() => expect(svc.state).toBe('running'), 50);
      scheduler.schedule(() => void svc.stop(), 60);
    });
  });

  it('unsubscribing stop$ never cuts the teardown short', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const svc = new SlowStop({ scheduler });
      svc.stopTakes = 100;
      svc.start$().subscribe();
      expectObservable(svc.stop$(), '^ 10ms !').toBe('');
      scheduler.schedule(() => expect(svc.state).toBe('stopping'), 50);
      scheduler.schedule(() => expect(svc.state).toBe('shutdown'), 101);
    });
  });

  it('a restart$ unsubscribed during its start leaves the service stopped', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const svc = new Slow(scheduler, 100);
      svc.start$().subscribe();
      scheduler.schedule(() => {
        expectObservable(svc.restart$(), '^ 19ms !').toBe('');
      }, 200);
      scheduler.schedule(() => {
        expect(svc.state).toBe('shutdown');
        expect(svc.restartCount).toBe(1);
        expect(svc.calls).toEqual(['onStart@0', 'onStop@200', 'onStart@200', 'onStop@220']);
      }, 300);
    });
  });

  // Found by mutation testing (issue 18): the teardowns of a rollback and of a restart ran
  // inline in the start's or the restart's own runner, so unsubscribing cut them, their
  // Completion never settled, and every later stop() waited for it forever.
  it('a start$ unsubscribed while it rolls back a failed start: the rollback still ends, and stop() settles', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      class Failing extends Service {
        override onStart(): Observable<unknown> {
          return timer(10, this.scheduler).pipe(map(() => { throw new Error('no disk'); }));
        }
        override onStop(): Observable<unknown> {
          return timer(100, this.scheduler);
        }
      }
      const svc = new Failing({ scheduler });
      expectObservable(svc.start$(), '^ 49ms !').toBe('');
      let stopped: string | undefined;
      scheduler.schedule(() => {
        expect(svc.state).toBe('crashed');
        svc.stop$().subscribe({ complete: () => (stopped = `complete@${scheduler.now()}`) });
      }, 60);
      scheduler.schedule(() => {
        expect(stopped).toBe('complete@110'); // when onStop, begun at 10, ended
        expect(svc.state).toBe('crashed');
        expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true }));
      }, 200);
    });
  });

  it('a restart$ unsubscribed while it stops the service: the stop still ends, and stop() settles', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const svc = new SlowStop({ scheduler });
      svc.stopTakes = 100;
      svc.start$().subscribe();
      scheduler.schedule(() => expectObservable(svc.restart$(), '^ 10ms !').toBe(''), 10);
      let stopped: string | undefined;
      scheduler.schedule(() => svc.stop$().subscribe({ complete: () => (stopped = `complete@${scheduler.now()}`) }), 30);
      scheduler.schedule(() => {
        expect(stopped).toBe('complete@110');
        expect(svc.state).toBe('shutdown');
        expect(svc.restartCount).toBe(0);
      }, 200);
    });
  });

  it('a start$ or restart$ abandoned mid-start whose stop then fails: the service ends crashed, and nothing is thrown', () => {
    for (const how of ['start$', 'restart$'] as const) {
      const scheduler = newScheduler();
      scheduler.run(({ expectObservable }) => {
        class Clumsy extends Slow {
          override onStop(): void {
            super.onStop();
            if (this.restartCount > 0 || how === 'start$') throw new Error('stuck');
          }
        }
        const svc = new Clumsy(scheduler, 100);
        if (how === 'start$') expectObservable(svc.start$(), '^ 29ms !').toBe('');
        else {
          svc.start$().subscribe();
          scheduler.schedule(() => expectObservable(svc.restart$(), '^ 19ms !').toBe(''), 200);
        }
        scheduler.schedule(() => {
          expect(svc.state).withContext(how).toBe('crashed');
          expect((svc.crashReason as Error).message).withContext(how).toBe('stuck');
        }, 400);
      });
    }
  });
});
