import fc from 'fast-check';
import { mergeMap, type Observable, type SchedulerAction, type SchedulerLike, type Subscription, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { until } from '../../src/observable/until.js';
import { Service } from '../../src/service/service.js';
import { itertimer } from '../../src/time/itertimer.js';
import { Timer, type TimerOptions } from '../../src/time/timer.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';
import { groupTimerWaitsOn } from '../../src/time/wait-groups.js';
import { captureLogger, settle } from '../../spec/support/fixtures.js';
import { RecordingScheduler, RunsFirstAtOnceScheduler } from './schedulers.js';

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
  /** When the ticks are subscribed to (the service starts at 0). */
  subscribeAt: number;
  /** How many ticks the consumer takes before it unsubscribes, if it does. */
  take?: number | undefined;
  stopAt: number;
  /** Whether the first wait is run at once, inside `schedule`, and due (see RunsFirstAtOnceScheduler). */
  firstAtOnce?: boolean;
  /** Whether waits due together share one, as on `asyncScheduler` (see groupTimerWaitsOn). */
  grouped?: boolean;
}

interface Seen {
  ticks: Array<[tick: number, frame: number]>;
  completedAt: number;
  delays: number[];
  /** Waits still pending just after the stop, and after everything ran. */
  leftAfterStop: number;
  left: number;
  warnings: unknown[];
}

type Make = (svc: Service, interval: number, options: TimerOptions) => Observable<number>;

/** What the old itertimer was, and what the new one must match. */
const asTimer: Make = (svc, interval, options) =>
  new Timer(interval, { logger: () => svc.log, ...options }).pipe(until(svc.stopped$));
const asItertimer: Make = (svc, interval, options) => itertimer(svc, interval, options);

function watch(make: Make, c: Case): Seen {
  const seen: Seen = { ticks: [], completedAt: -1, delays: [], leftAfterStop: -1, left: -1, warnings: [] };
  const { logger, lines } = captureLogger('warn');
  const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  testScheduler.run(({ cold, flush }) => {
    const recording = new RecordingScheduler(testScheduler, (n) => c.late[n] ?? 0);
    const clock = new SkewScheduler(c.firstAtOnce ? new RunsFirstAtOnceScheduler(recording, { due: true }) : recording);
    if (c.grouped) groupTimerWaitsOn(clock);
    const svc = new Service({ name: 'Poller', logger });
    cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
    cold(`${c.stopAt}ms a`).pipe(mergeMap(() => svc.stop$())).subscribe();
    cold(`${c.stopAt + 1}ms a`).subscribe(() => (seen.leftAfterStop = recording.live));
    const ticks = cold(`${c.subscribeAt}ms (a|)`).pipe(
      mergeMap(() => make(svc, c.interval, { ...c.options, scheduler: clock })),
    );
    (c.take === undefined ? ticks : ticks.pipe(take(c.take))).subscribe({
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
      subscribeAt: fc.nat({ max: 5000 }),
      take: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      stopAt: fc.integer({ min: 1, max: 20_000 }),
      firstAtOnce: fc.boolean(),
      grouped: fc.boolean(),
    });
    fc.assert(
      fc.property(cases, (c) => {
        const timer = watch(asTimer, c);
        const iter = watch(asItertimer, c);
        expect(iter).toEqual(timer);
        expect(iter.leftAfterStop).toBe(0);
        expect(iter.left).toBe(0);
        if (c.take === undefined) expect(iter.completedAt).toBe(Math.max(c.stopAt, c.subscribeAt));
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
      subscribeAt: 0,
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
    const c: Case = { interval: month, options: {}, late: [], runtimes: [], subscribeAt: 0, stopAt: month + 1 };
    const iter = watch(asItertimer, c);
    expect(iter.ticks).toEqual([[1, month]]);
    expect(iter.delays.slice(0, 2)).toEqual([MAX_TIMEOUT_MS, month - MAX_TIMEOUT_MS]);
    expect(iter).toEqual(watch(asTimer, c));
  });

  it('keeps the wait armed from inside a scheduler that ran the first one at once, and a stop cancels it', () => {
    // The first tick is delivered inside `schedule` itself, and the wait for the second is
    // armed from there: that is the wait a stop must cancel, not the one that returned.
    const c: Case = { interval: 1000, options: {}, late: [], runtimes: [], subscribeAt: 100, stopAt: 1050, firstAtOnce: true };
    const iter = watch(asItertimer, c);
    expect(iter.ticks).toEqual([[1, 100]]);
    expect(iter.completedAt).toBe(1050);
    expect(iter.delays).toEqual([1000]);
    expect(iter.leftAfterStop).withContext('waits left after the stop').toBe(0);
    expect(iter).toEqual(watch(asTimer, c));
  });

  it('with execFirst, arms no wait when the consumer takes tick 0 and leaves', () => {
    const c: Case = { interval: 1000, options: { execFirst: true }, late: [], runtimes: [], subscribeAt: 200, take: 1, stopAt: 5000 };
    const iter = watch(asItertimer, c);
    expect(iter.ticks).toEqual([[0, 200]]);
    expect(iter.completedAt).toBe(200);
    expect(iter.delays).withContext('waits asked').toEqual([]);
    expect(iter).toEqual(watch(asTimer, c));
  });

  it('on a scheduler whose waits are shared, waits with the Timers and sleeps due at the same moment', async () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const ticks: Array<[string, number]> = [];
    let waitsBeforeSecondTick: number[] = [];
    let left = -1;
    testScheduler.run(({ cold, flush }) => {
      const recording = new RecordingScheduler(testScheduler);
      groupTimerWaitsOn(recording);
      const svc = new Service({ scheduler: recording });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      itertimer(svc, 1000).subscribe((k) => ticks.push(['a', k]));
      itertimer(svc, 1000).subscribe((k) => ticks.push(['b', k]));
      new Timer(1000, { scheduler: recording }).pipe(until(svc.stopped$)).subscribe((k) => ticks.push(['timer', k]));
      void svc.sleep(2000).then(() => ticks.push(['slept', 2000]));
      cold('1999ms a').subscribe(() => (waitsBeforeSecondTick = [...recording.delays]));
      flush();
      left = recording.live;
    });
    expect(ticks.slice(0, 6)).toEqual([['a', 1], ['b', 1], ['timer', 1], ['a', 2], ['b', 2], ['timer', 2]]);
    // one wait for the first ticks (asked at 0), and the sleep's (asked at 0, due at 2 s),
    // which the second ticks joined
    expect(waitsBeforeSecondTick).toEqual([1000, 2000]);
    await settle();
    expect(ticks).toContain(['slept', 2000]);
    expect(left).toBe(0);
  });

  it('refuses a bad interval or option at once, naming it', () => {
    const svc = new Service();
    expect(() => itertimer(svc, 'soon' as never)).toThrowError(TypeError, /'soon'/);
    expect(() => itertimer(svc, 0)).toThrowError(TypeError, /invalid timer interval: 0/);
    expect(() => itertimer(svc, 1000, { maxDriftCorrection: -1 })).toThrowError(TypeError, /-1/);
  });
});
