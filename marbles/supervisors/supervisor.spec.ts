import { TestScheduler } from 'rxjs/testing';
import { Service } from '../../src/service/service.js';
import { stateLetters } from '../../src/testing/states.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { RestForOneSupervisor } from '../../src/supervisors/rest-for-one.js';

/** Crashes `service` at each value of a marble. */
function crashAt(source: { subscribe(next: (v: string) => void): unknown }, service: Service): void {
  source.subscribe((value) => void service.crash(new Error(`crash ${value}`)));
}

// State letters: i init, r running, s stopping, d shutdown, x crashed.
describe('supervisors (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('restarts the crashed service in the very frame it crashed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const y = new Service({ name: 'y' });
      const z = new Service({ name: 'z' });
      const supervisor = new OneForOneSupervisor({ services: [y, z] });
      supervisor.start$().subscribe();
      crashAt(cold('5ms a 9ms b'), z);
      cold('30ms s').subscribe(() => supervisor.stop$().subscribe());
      expectObservable(stateLetters(z)).toBe('r 4ms (xir) 5ms (xir) 10ms (sd)');
      expectObservable(stateLetters(y)).toBe('r 29ms (sd)');
      expectObservable(stateLetters(supervisor)).toBe('r 29ms (sd)');
    });
  });

  it('waits its backoff before each restart, and starts counting again after clean running', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const z = new Service({ name: 'z' });
      const backoff = { initial: 10, max: 40 }; // factor 2, resetAfter = max
      new OneForOneSupervisor({ services: [z], backoff, maxRestarts: 10, over: '1s' }).start$().subscribe();
      // Crashes at 5, 20, 45 (10, 20, 40 to wait), then at 200 after 115ms of clean running (10 again).
      crashAt(cold('5ms a 14ms b 24ms c 154ms d'), z);
      expectObservable(stateLetters(z)).toBe('r 4ms x 9ms (ir) 1ms x 19ms (ir) 1ms x 39ms (ir) 111ms x 9ms (ir)');
    });
  });

  it('starts counting again after exactly resetAfter of clean running', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const z = new Service({ name: 'z' });
      const backoff = { initial: 10, max: 40 }; // resetAfter = max = 40
      new OneForOneSupervisor({ services: [z], backoff, maxRestarts: 10, over: '1s' }).start$().subscribe();
      // Crashes at 5 (10 to wait: back at 15), then at 55, 40 ms after: 10 to wait again, not 20.
      crashAt(cold('5ms a 49ms b'), z);
      expectObservable(stateLetters(z)).toBe('r 4ms x 9ms (ir) 36ms x 9ms (ir)');
    });
  });

  it('counts a restart against the budget when it happens, after its backoff', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const z = new Service({ name: 'z' });
      const backoff = { initial: 50, max: 100, resetAfter: 1000 };
      const supervisor = new OneForOneSupervisor({ services: [z], backoff, maxRestarts: 1, over: 100 });
      supervisor.start$().subscribe();
      // Back at 55 (50 to wait); crashes at 105, back at 205 (100 to wait): the restart at 55
      // is out of the 100 ms before 205, so the budget of one allows it.
      crashAt(cold('5ms a 99ms b'), z);
      expectObservable(stateLetters(z)).toBe('r 4ms x 49ms (ir) 46ms x 99ms (ir)');
      expectObservable(stateLetters(supervisor)).toBe('r');
    });
  });

  it('does not restart a service discarded during its backoff', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const z = new Service({ name: 'z' });
      const supervisor = new OneForOneSupervisor({ services: [z], backoff: { initial: 10, max: 10 } });
      supervisor.start$().subscribe();
      crashAt(cold('5ms a'), z);
      cold('8ms d').subscribe(() => supervisor.discard(z));
      expectObservable(stateLetters(z)).toBe('r 4ms x');
    });
  });

  it('keeps the whole group down during the backoff (OneForAll)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const y = new Service({ name: 'y' });
      const z = new Service({ name: 'z' });
      new OneForAllSupervisor({ services: [y, z], backoff: { initial: 10, max: 10 } }).start$().subscribe();
      crashAt(cold('5ms a'), z);
      expectObservable(stateLetters(y)).toBe('r 4ms (sd) 6ms (ir)');
      expectObservable(stateLetters(z)).toBe('r 4ms x 9ms (ir)');
    });
  });

  it('gives up in the frame the sliding window overflows, and crashes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const z = new Service({ name: 'z' });
      const other = new Service({ name: 'other' });
      const supervisor = new OneForOneSupervisor({ services: [z, other], maxRestarts: 2, over: 100 });
      supervisor.start$().subscribe();
      // Restarts at 10 and 20; at 110 the one at 10 has slid out; at 115 two are within 100ms.
      crashAt(cold('10ms a 9ms b 89ms c 4ms d'), z);
      expectObservable(stateLetters(z)).toBe('r 9ms (xir) 5ms (xir) 85ms (xir) x');
      expectObservable(stateLetters(other)).toBe('r 114ms (sd)');
      expectObservable(stateLetters(supervisor)).toBe('r 114ms x');
    });
  });

  it('RestForOne takes down the later services only, in the same frame', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const [a, b, c] = ['a', 'b', 'c'].map((name) => new Service({ name })) as [Service, Service, Service];
      new RestForOneSupervisor({ services: [a, b, c] }).start$().subscribe();
      crashAt(cold('7ms a'), b);
      expectObservable(stateLetters(a)).toBe('r');
      expectObservable(stateLetters(b)).toBe('r 6ms (xir)');
      expectObservable(stateLetters(c)).toBe('r 6ms (sdir)');
    });
  });
});
