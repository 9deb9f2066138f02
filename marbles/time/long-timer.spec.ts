import { catchError, mergeMap, of, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { flightRecorder } from '../../src/logging/flight-recorder.js';
import { Service } from '../../src/service/service.js';
import { stateLetters } from '../../src/testing/states.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { supervise } from '../../src/supervisors/supervise.js';
import { longTimer } from '../../src/time/long-timer.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';
import { ClampingScheduler, RecordingScheduler } from './schedulers.js';

// Marble time has no unit for days: 1 day is 1440m.
const DAY = 86_400_000;

// Every scheduler here is a ClampingScheduler: it does what setTimeout does with a delay
// past 2^31-1 ms (24.8 days), firing after 1 ms. A wait not cut into pieces ends at once.
describe('long waits (virtual time, setTimeout clamping)', () => {
  let testScheduler: TestScheduler;
  let clamping: ClampingScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    clamping = new ClampingScheduler(testScheduler);
  });

  it('the scheduler double ends a plain 30-day timer after 1 ms, as setTimeout does', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(timer(30 * DAY, clamping)).toBe('- (a|)', { a: 0 });
    });
  });

  it('longTimer lasts its full time, whatever its length', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(longTimer('30d', clamping)).toBe('43200m (a|)', { a: 0 });
      expectObservable(longTimer(MAX_TIMEOUT_MS + 1, clamping)).toBe(`${MAX_TIMEOUT_MS + 1}ms (a|)`, { a: 0 });
      expectObservable(longTimer('1.5s', clamping)).toBe('1500ms (a|)', { a: 0 });
      expectObservable(longTimer(0, clamping)).toBe('(a|)', { a: 0 });
    });
  });

  it('longTimer waits in pieces of at most 2^31-1 ms, measured from the subscription', () => {
    const recording = new RecordingScheduler(testScheduler);
    testScheduler.run(({ cold, expectObservable }) => {
      const late = cold('5ms (a|)').pipe(mergeMap(() => longTimer(2 * MAX_TIMEOUT_MS + 7, recording)));
      expectObservable(late).toBe(`${2 * MAX_TIMEOUT_MS + 12}ms (a|)`, { a: 0 });
    });
    expect(recording.delays).toEqual([MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, 7]);
  });

  it('unsubscribing from longTimer cancels it, between pieces too', () => {
    const recording = new RecordingScheduler(testScheduler);
    testScheduler.run(({ expectObservable }) => {
      expectObservable(longTimer('60d', recording), `${MAX_TIMEOUT_MS + 5}ms !`).toBe('-');
    });
    expect(recording.live).toBe(0);
    expect(recording.delays).toEqual([MAX_TIMEOUT_MS, MAX_TIMEOUT_MS]);
  });

  it('longTimer refuses a bad duration when called, naming it', () => {
    expect(() => longTimer('soon' as never, clamping)).toThrowError(TypeError, /'soon'/);
    expect(() => longTimer(-1, clamping)).toThrowError(TypeError, /-1/);
  });

  it("sleep('30d') lasts 30 days, and still ends at a stop", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler: clamping });
      expectObservable(svc.sleep$('30d')).toBe('43200m (a|)', { a: undefined });
      const stopping = new Service({ scheduler: clamping });
      cold('a').pipe(mergeMap(() => stopping.start$())).subscribe();
      cold('40000m a').pipe(mergeMap(() => stopping.stop$())).subscribe();
      expectObservable(stopping.sleep$('30d')).toBe('40000m (a|)', { a: undefined });
    });
  });

  it("a wait with a '25d' timeout times out at 25 days (wait, waitFirst, waitMany)", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const svc = new Service({ scheduler: clamping });
      const timedOut = { stopped: false, timedOut: true };
      expectObservable(svc.wait$(cold('-'), { timeout: '25d' })).toBe('36000m (t|)', { t: timedOut });
      expectObservable(svc.waitFirst$(cold('-'), { timeout: '25d' })).toBe('36000m (t|)', {
        t: { done: [], results: [], ...timedOut },
      });
      expectObservable(svc.waitMany$([cold('-')], { timeout: '25d' })).toBe('36000m (t|)', { t: timedOut });
      // A value before the timeout still wins.
      expectObservable(svc.wait$(cold('30000m x'), { timeout: '25d' })).toBe('30000m (r|)', {
        r: { result: 'x', stopped: false, timedOut: false },
      });
    });
  });

  it('supervise waits a 30-day backoff in full before the restart', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, 'down');
      const out = source.pipe(
        supervise({ maxRestarts: 1, over: '60d', backoff: { initial: '30d', max: '30d' }, scheduler: clamping }),
        catchError((error: unknown) => of((error as Error).name)),
      );
      expectObservable(out).toBe('43200m (x|)', { x: 'MaxRestartsExceeded' });
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '43200m (^!)']);
    });
  });

  it("a supervisor's 30-day backoff keeps the service down 30 days", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const z = new Service({ name: 'z', scheduler: clamping });
      const backoff = { initial: '30d', max: '30d' } as const;
      new OneForOneSupervisor({ services: [z], backoff, maxRestarts: 5, over: '365d', scheduler: clamping }).start$().subscribe();
      cold('5ms a').subscribe(() => void z.crash(new Error('down')));
      expectObservable(stateLetters(z)).toBe('r 4ms x 43199m 59999ms (ir)');
    });
  });

  it('a flight recorder with a 30-day timeout stays quiet until then', () => {
    testScheduler.run(({ flush }) => {
      const written: number[] = [];
      const log = { trace: () => {}, debug: () => {}, info: () => written.push(testScheduler.now()), warn: () => {}, error: () => {}, fatal: () => {} };
      const recorder = flightRecorder(log, { timeout: '30d', scheduler: clamping });
      recorder.activate();
      recorder.info('slow work');
      testScheduler.schedule(() => recorder.info('still going'), 29 * DAY);
      flush();
      expect(written.length).toBeGreaterThan(0);
      expect(Math.min(...written)).toBe(30 * DAY);
    });
  });
});
