import { interval, map, mergeMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, task } from '../../src/index.js';
import { stateLetters } from '../../src/testing/index.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('Service lifecycle in virtual time', () => {
  it('makes each transition at the frame of its start and stop', () => {
    newScheduler().run(({ expectObservable, cold }) => {
      const svc = new Service();
      expectObservable(svc.state$).toBe('(ab) 26ms (cd)', { a: 'init', b: 'running', c: 'stopping', d: 'shutdown' });
      expectObservable(svc.ready$).toBe('(ft) 26ms f', { t: true, f: false });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('30ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
    });
  });

  it('reads as one marble string with stateLetters (the README example)', () => {
    newScheduler().run(({ expectObservable, cold }) => {
      const svc = new Service();
      expectObservable(stateLetters(svc)).toBe('(ir) 26ms (sd)');
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('30ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
    });
  });

  it('lets an Observable @task emit only while the service runs', () => {
    const ticks: number[] = [];
    class Ticker extends Service {
      @task tick() {
        return interval(10, this.scheduler).pipe(map(() => ticks.push(this.scheduler.now())));
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Ticker();
      cold('5ms a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('36ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
      expect(ticks).toEqual([15, 25, 35]);
      expect(svc.state).toBe('shutdown');
    });
  });

  it('ends a stop during start at the next step, without onStarted', () => {
    const calls: string[] = [];
    class Slow extends Service {
      override onStart() {
        calls.push('onStart');
        return timer(20, this.scheduler);
      }
      override onStarted() {
        calls.push('onStarted');
      }
    }
    newScheduler().run(({ cold, expectObservable }) => {
      const svc = new Slow();
      expectObservable(svc.state$).toBe('(ab) 6ms (cd)', { a: 'init', b: 'running', c: 'stopping', d: 'shutdown' });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('10ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
    });
    expect(calls).toEqual(['onStart']);
  });

  it('sleeps on the service scheduler and wakes early on stop', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const svc = new Service();
      expectObservable(svc.sleep$(25)).toBe('25ms (a|)', { a: undefined });
      expectObservable(svc.sleep$('1m')).toBe('40ms (a|)', { a: undefined });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('40ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
    });
  });

  it('waits for a shutdown signal up to shutdownTimeout', () => {
    class Patient extends Service {
      static override waitForShutdown = true;
      static override shutdownTimeout = 100;
    }
    newScheduler().run(({ cold, expectObservable }) => {
      const svc = new Patient();
      expectObservable(svc.state$).toBe('(ab) 6ms c 99ms d', { a: 'init', b: 'running', c: 'stopping', d: 'shutdown' });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('10ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
    });
  });
});
