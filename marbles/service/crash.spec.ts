import { interval, map, mergeMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, task } from '../../src/index.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const STATES = { i: 'init', r: 'running', s: 'stopping', d: 'shutdown', x: 'crashed' } as const;

describe('Service crash in virtual time', () => {
  it('ends an Observable task at the frame of the crash', () => {
    const ticks: number[] = [];
    class Ticker extends Service {
      @task tick() {
        return interval(10, this.scheduler).pipe(map(() => ticks.push(this.scheduler.now())));
      }
    }
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Ticker({ scheduler });
      expectObservable(svc.state$).toBe('(ir) 31ms x', STATES);
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('35ms a').subscribe(() => void svc.crash(new Error('x')));
    });
    expect(ticks).toEqual([10, 20, 30]);
  });

  it('crashes at the frame a task fails, with its error as reason, and the tree with it', () => {
    const boom = new Error('task failed at 25');
    class Failing extends Service {
      @task fail() {
        return timer(25, this.scheduler).pipe(
          map(() => {
            throw boom;
          }),
        );
      }
    }
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable, flush }) => {
      const root = new Service({ name: 'R', scheduler });
      const sibling = root.addDependency(new Service({ name: 'Sibling', scheduler }));
      const failing = root.addDependency(new Failing({ scheduler }));
      expectObservable(root.state$).toBe('i 2ms r 24ms x', STATES);
      expectObservable(sibling.state$).toBe('i 2ms r 24ms x', STATES);
      expectObservable(failing.state$).toBe('i 2ms r 24ms x', STATES);
      cold('3ms a').pipe(mergeMap(() => root.start$())).subscribe();
      flush();
      expect(failing.crashReason).toBe(boom);
      expect(root.crashReason).toBe(boom);
      expect(sibling.crashReason).toBe(boom);
    });
  });

  it('leaves a stop of a crashed service crashed, tearing it down at the frame of the stop', () => {
    const calls: string[] = [];
    class Hooked extends Service {
      override onStop() {
        calls.push(`onStop@${this.scheduler.now()}`);
      }
      override onShutdown() {
        calls.push(`onShutdown@${this.scheduler.now()}`);
      }
    }
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Hooked({ scheduler });
      expectObservable(svc.state$).toBe('(ir) 6ms x', STATES);
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('10ms a').subscribe(() => void svc.crash(new Error('x')));
      cold('20ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
    });
    expect(calls).toEqual(['onStop@20', 'onShutdown@20']);
  });

  it('rolls back a start whose Observable onStarted fails later, at that frame', () => {
    const boom = new Error('onStarted failed');
    class Late extends Service {
      override onStarted() {
        return timer(15, this.scheduler).pipe(
          map(() => {
            throw boom;
          }),
        );
      }
    }
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Late({ scheduler });
      const child = svc.addDependency(new Service({ scheduler }));
      expectObservable(svc.state$).toBe('(ir) 11ms x', STATES);
      expectObservable(child.state$).toBe('(ir) 11ms (sd)', STATES);
      expectObservable(cold('a').pipe(mergeMap(() => svc.start$()))).toBe('15ms #', undefined, boom);
    });
  });
});
