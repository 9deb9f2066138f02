import { mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service } from '../../src/index.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const notStopped = { stopped: false, timedOut: false };
const stopped = { stopped: true, timedOut: false };
const timedOut = { stopped: false, timedOut: true };

describe('Service waiting in virtual time', () => {
  it('sleeps a duration with a unit on the service scheduler', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const svc = new Service({ scheduler });
      expectObservable(svc.sleep$('1.5s')).toBe('1500ms (a|)', { a: undefined });
      expectObservable(svc.sleep$(0)).toBe('(a|)', { a: undefined });
    });
  });

  it('ends a sleep at the frame of a crash', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('12ms a').subscribe(() => void svc.crash(new Error('x')));
      expectObservable(svc.sleep$('1m')).toBe('12ms (a|)', { a: undefined });
    });
  });

  it('ends a sleep at once on a service that has stopped', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('5ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(cold('20ms (a|)').pipe(mergeMap(() => svc.sleep$(100)))).toBe('20ms (a|)', { a: undefined });
    });
  });

  it('wait$: the first value, a stop or a timeout, at the frame it happens', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('50ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(svc.wait$(cold('20ms x-y'))).toBe('20ms (r|)', { r: { result: 'x', ...notStopped } });
      expectObservable(svc.wait$(cold('20ms x'), { timeout: 10 })).toBe('10ms (t|)', { t: timedOut });
      expectObservable(svc.wait$(cold('20ms x'), { timeout: '25ms' })).toBe('20ms (r|)', { r: { result: 'x', ...notStopped } });
      expectObservable(svc.wait$(cold('-'), { timeout: '1s' })).toBe('50ms (s|)', { s: stopped });
      expectObservable(svc.wait$(cold('20ms |'))).toBe('20ms (r|)', { r: { result: undefined, ...notStopped } });
    });
  });

  it('wait$: passes on the error of the input at its frame', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      const boom = new Error('late failure');
      expectObservable(svc.wait$(cold('7ms #', undefined, boom))).toBe('7ms #', undefined, boom);
    });
  });

  it('wait$: a timeout is reported as timedOut, never as a stop, and the service keeps running', () => {
    const scheduler = newScheduler();
    const svc = new Service({ scheduler });
    scheduler.run(({ cold, expectObservable }) => {
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('40ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(svc.wait$(cold('-'), { timeout: 30 })).toBe('30ms (t|)', { t: timedOut });
      expectObservable(cold('35ms (a|)').pipe(mergeMap(() => svc.wait$(cold('-'), { timeout: 30 })))).toBe('40ms (s|)', { s: stopped });
      expectObservable(svc.waitFirst$(cold('-'), { timeout: 30 })).toBe('30ms (t|)', { t: { done: [], results: [], ...timedOut } });
    });
    expect(svc.state).toBe('shutdown');
  });

  it('waitFirst$: the inputs themselves that finished first, with their values', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      const slow = cold('30ms s');
      const fast = cold('10ms f');
      expectObservable(svc.waitFirst$(slow, fast)).toBe('10ms (r|)', {
        r: { done: [fast], results: ['f'], ...notStopped },
      });
      expectObservable(svc.waitFirst$(slow, { timeout: 20 })).toBe('20ms (t|)', {
        t: { done: [], results: [], ...timedOut },
      });
    });
  });

  it('waitFirst$: a stop wins over inputs that would finish later', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('15ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(svc.waitFirst$(cold('30ms s'), cold('40ms t'))).toBe('15ms (s|)', {
        s: { done: [], results: [], ...stopped },
      });
      expectObservable(svc.waitFirst$()).toBe('15ms (s|)', { s: { done: [], results: [], ...stopped } });
    });
  });

  it('waitMany$: every value, at the frame of the last', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('100ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(svc.waitMany$([cold('30ms a'), cold('10ms b'), cold('20ms c')])).toBe('30ms (r|)', {
        r: { result: ['a', 'b', 'c'], ...notStopped },
      });
      expectObservable(svc.waitMany$([cold('30ms a'), cold('10ms b')], { timeout: 20 })).toBe('20ms (t|)', { t: timedOut });
      expectObservable(svc.waitMany$([cold('30ms a'), cold('-')])).toBe('100ms (s|)', { s: stopped });
    });
  });

  it('waitMany$: passes on the first error', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      const boom = new Error('one failed');
      expectObservable(svc.waitMany$([cold('30ms a'), cold('5ms #', undefined, boom)])).toBe('5ms #', undefined, boom);
    });
  });
});
