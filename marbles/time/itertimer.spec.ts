import fc from 'fast-check';
import { mergeMap, type Observable, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { until } from '../../src/observable/until.js';
import { Service } from '../../src/service/service.js';
import { itertimer } from '../../src/time/itertimer.js';
import { Timer, type TimerOptions } from '../../src/time/timer.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';
import { captureLogger } from '../../spec/support/fixtures.js';
import { RecordingScheduler } from './schedulers.js';

// itertimer is its own small loop, not a Timer, so that a bundle of `Service` does not carry
// the Timer (scripts/size.mjs). What it promises is to tick as a Timer with the same
// options would. These pin that in virtual time: the same ticks at the same frames, the
// same waits asked of the scheduler, the same warnings, and nothing left scheduled.

/** A clock that a slow consumer moves forward: its `skew` is the time a tick's work took. */
class SkewScheduler implements SchedulerLike {
  skew = 0;
  constructor(private readonly base: SchedulerLike) {}
  now(): number {
    return this.base.now() + this.skew;
  }
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
    return this.base.schedule(work, delay, state);
  }
}

interface Case {
  interval: number;
  options: Pick<TimerOptions, 'maxDriftCorrection' | 'driftLogThreshold' | 'execFirst' | 'name'>;
  /** How late (negative: early) the n-th wait wakes. */
  late: number[];
  /** How long the consumer of the n-th tick takes. */
  runtimes: number[];
  stopAt: number;
}

interface Seen {
  ticks: Array<[tick: number, frame: number]>;
  completedAt: number;
  delays: number[];
  left: number;
  warnings: unknown[];
}

type Make = (svc: Service, interval: number, options: TimerOptions) => Observable<number>;

/** What the old itertimer was, and what the new one must match. */
const asTimer: Make = (svc, interval, options) =>
  new Timer(interval, { logger: () => svc.log, ...options }).pipe(until(svc.stopped$));
const asItertimer: Make = (svc, interval, options) => itertimer(svc, interval, options);

function watch(make: Make, c: Case): Seen {
  const seen: Seen = { ticks: [], completedAt: -1, delays: [], left: -1, warnings: [] };
  const { logger, lines } = captureLogger('warn');
  const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  testScheduler.run(({ cold, flush }) => {
    const recording = new RecordingScheduler(testScheduler, (n) => c.late[n] ?? 0);
    const clock = new SkewScheduler(recording);
    const svc = new Service({ name: 'Poller', logger });
    cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
    cold(`${c.stopAt}ms a`).pipe(mergeMap(() => svc.stop$())).subscribe();
    make(svc, c.interval, { ...c.options, scheduler: clock }).subscribe({
      next: (tick) => {
        seen.ticks.push([tick, testScheduler.now()]);
        clock.skew += c.runtimes[seen.ticks.length - 1] ?? 0;
      },
      complete: () => (seen.completedAt = testScheduler.now()),
    });
    flush();
    seen.delays = recording.delays;
    seen.left = recording.live;
  });
  // pino's own fields (the wall-clock time, pid, hostname) differ between two runs.
  seen.warnings = lines.map(({ time: _time, pid: _pid, hostname: _host, ...line }) => line);
  return seen;
}

describe('itertimer (virtual time)', () => {
  it('ticks as a Timer with the same options would, waits for the same times, warns alike, and leaves nothing scheduled', () => {
    const cases = fc.record({
      interval: fc.integer({ min: 1, max: 3000 }),
      options: fc.record(
        {
          maxDriftCorrection: fc.integer({ min: 0, max: 500 }),
          // near 0 as often as not: a drift of a few ms is logged only past a small threshold
          driftLogThreshold: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 500 })),
          execFirst: fc.boolean(),
          name: fc.constantFrom('poll', 'flush'),
        },
        { requiredKeys: [] },
      ),
      late: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -400, max: 4000 })), { maxLength: 12 }),
      runtimes: fc.array(fc.nat({ max: 5000 }), { maxLength: 12 }),
      stopAt: fc.integer({ min: 1, max: 20_000 }),
    });
    fc.assert(
      fc.property(cases, (c) => {
        const timer = watch(asTimer, c);
        const iter = watch(asItertimer, c);
        expect(iter).toEqual(timer);
        expect(iter.left).toBe(0);
        expect(iter.completedAt).toBe(c.stopAt);
      }),
      { numRuns: 150 },
    );
  });

  it('warns of late and early wake-ups and of ticks a slow consumer overlapped, as a Timer does', () => {
    const c: Case = {
      interval: 1000,
      options: { name: 'poll' },
      // the first wait wakes 700 ms late, the second 400 ms early
      late: [700, -400],
      // the third tick comes at 3.5 s (its wait shortened by at most 100 ms), and its
      // consumer takes 2.5 s: the slots at 4, 5 and 6 s pass meanwhile
      runtimes: [0, 0, 2500],
      stopAt: 9000,
    };
    const iter = watch(asItertimer, c);
    expect(iter).toEqual(watch(asTimer, c));
    expect(iter.warnings).toEqual([
      jasmine.objectContaining({ label: 'Poller', timer: 'poll', driftMs: 700 }),
      jasmine.objectContaining({ timer: 'poll', driftMs: -400 }),
      jasmine.objectContaining({ timer: 'poll', dropped: 3, intervalMs: 1000, runtimeMs: 2500 }),
    ]);
  });

  it('sleeps a wait longer than setTimeout allows in pieces and ticks on its slot', () => {
    const month = 30 * 86_400_000;
    const c: Case = { interval: month, options: {}, late: [], runtimes: [], stopAt: month + 1 };
    const iter = watch(asItertimer, c);
    expect(iter.ticks).toEqual([[1, month]]);
    expect(iter.delays.slice(0, 2)).toEqual([MAX_TIMEOUT_MS, month - MAX_TIMEOUT_MS]);
    expect(iter).toEqual(watch(asTimer, c));
  });

  it('refuses a bad interval or option at once, naming it', () => {
    const svc = new Service();
    expect(() => itertimer(svc, 'soon' as never)).toThrowError(TypeError, /'soon'/);
    expect(() => itertimer(svc, 0)).toThrowError(TypeError, /invalid timer interval: 0/);
    expect(() => itertimer(svc, 1000, { maxDriftCorrection: -1 })).toThrowError(TypeError, /-1/);
  });
});
