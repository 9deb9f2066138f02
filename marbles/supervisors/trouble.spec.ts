import { NEVER, type Observable, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service } from '../../src/service/service.js';
import { stateLetters } from '../../src/testing/states.js';
import { REACTIONS_PER_TURN } from '../../src/supervisors/event-loop-turn.js';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { RestForOneSupervisor } from '../../src/supervisors/rest-for-one.js';

/** Crashes as soon as it has started, every time. */
class Storm extends Service {
  override onStarted(): void {
    void this.crash(new Error('at once'));
  }
}

/** Fails its start while `failing` says so (its first start always succeeds). */
class Flaky extends Service {
  failing = false;
  override onStart(): void {
    if (this.failing) throw new Error(`${this.label} cannot start`);
  }
}

// State letters: i init, r running, s stopping, d shutdown, x crashed.
describe('supervisors under trouble (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('a restart storm takes turns with the timers due in its frame, and gives up exactly at its budget', () => {
    const storm = new Storm({ name: 'storm' });
    const supervisor = new OneForOneSupervisor({ services: [storm], maxRestarts: 200, over: '1s' });
    let seen = -1;
    scheduler.run(({ expectObservable }) => {
      supervisor.start$().subscribe();
      // Due in the storm's own frame: it runs at the storm's first turn, not after it.
      timer(0).subscribe(() => (seen = storm.restartCount));
      expectObservable(stateLetters(supervisor)).toBe('(rx)');
    });
    expect(seen).toBeGreaterThanOrEqual(0);
    expect(seen).toBeLessThanOrEqual(REACTIONS_PER_TURN);
    expect(storm.restartCount).toBe(200);
    expect(supervisor.crashReason).toBeInstanceOf(MaxRestartsExceeded);
  });

  it('a supervisor that stops while another waits for its turn leaves that wait alone', () => {
    const storm = new Storm({ name: 'storm' });
    const supervisor = new OneForOneSupervisor({ services: [storm], maxRestarts: 200, over: '1s' });
    const calm = new OneForOneSupervisor({ services: [new Service({ name: 'calm' })] });
    scheduler.run(({ expectObservable }) => {
      supervisor.start$().subscribe();
      calm.start$().subscribe();
      // Runs at the storm's first turn, while the storm waits for its next.
      timer(0).subscribe(() => calm.stop$().subscribe());
      expectObservable(stateLetters(supervisor)).toBe('(rx)');
      expectObservable(stateLetters(calm)).toBe('(rsd)');
    });
    expect(storm.restartCount).toBe(200);
  });

  it('RestForOne: a group restart stops at the first service that fails to start; the later ones wait', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const [a, c] = [new Service({ name: 'a' }), new Service({ name: 'c' })];
      const b = new Flaky({ name: 'b' });
      const supervisor = new RestForOneSupervisor({ services: [a, b, c], maxRestarts: 3, over: '1s' });
      supervisor.start$().subscribe();
      cold('5ms x').subscribe(() => {
        b.failing = true;
        void a.crash(new Error('a'));
      });
      // a comes back, b fails (three attempts, each counted: the last is one too many),
      // and c is never started again while b fails.
      expectObservable(stateLetters(a)).toBe('r 4ms (xirsd)');
      expectObservable(stateLetters(b)).toBe('r 4ms (sdirxirxirx)');
      expectObservable(stateLetters(c)).toBe('r 4ms (sd)');
      expectObservable(stateLetters(supervisor)).toBe('r 4ms x');
    });
  });

  it('OneForAll: the next attempt starts from the group again, and stops once they all started', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const [a, c] = [new Service({ name: 'a' }), new Service({ name: 'c' })];
      const b = new Flaky({ name: 'b' });
      const backoff = { initial: 10, max: 10 };
      new OneForAllSupervisor({ services: [a, b, c], backoff }).start$().subscribe();
      cold('5ms x').subscribe(() => {
        b.failing = true;
        void c.crash(new Error('c'));
      });
      cold('20ms y').subscribe(() => (b.failing = false));
      // 15: a starts, b fails, c waits; the next attempt stops a again. 25: a, b and c start.
      expectObservable(stateLetters(a)).toBe('r 4ms (sd) 6ms (irsd) 4ms (ir)');
      expectObservable(stateLetters(b)).toBe('r 4ms (sd) 6ms (irx) 5ms (ir)');
      expectObservable(stateLetters(c)).toBe('r 4ms x 19ms (ir)');
    });
  });

  it('a hung service holds only itself: its sibling is restarted at once, and it is looked at again when its stop ends', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // onStop and onShutdown each hang until stop() gives up on them: its stop takes 2 x 10 ms.
      class Hung extends Service {
        static override stopTimeout = 10;
        override onStop(): Observable<never> {
          return NEVER;
        }
        override onShutdown(): Observable<never> {
          return NEVER;
        }
      }
      const hung = new Hung({ name: 'hung' });
      const sibling = new Service({ name: 'sibling' });
      new OneForOneSupervisor({ services: [hung, sibling] }).start$().subscribe();
      cold('5ms x').subscribe(() => void hung.crash(new Error('hung')));
      cold('7ms y').subscribe(() => void sibling.crash(new Error('sibling')));
      expectObservable(stateLetters(sibling)).toBe('r 6ms (xir)');
      // Past its stopTimeout (at 15) the supervisor goes on without it; its stop ends at 25,
      // and it is restarted then.
      expectObservable(stateLetters(hung)).toBe('r 4ms x 19ms (ir)');
    });
  });
});
