import { finalize, map, of, type SchedulerLike, Subject, take, takeUntil, tap, timer as rxTimer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type Logger, rootLogger, setRootLogger } from '../../src/logging/logger.js';
import { captureLogger } from '../../spec/support/fixtures.js';
import { driveTimer } from '../../src/time/drive.js';
import { Timer, timer$ } from '../../src/time/timer.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';
import { RecordingScheduler, RunsFirstAtOnceScheduler } from './schedulers.js';

function fakeLogger(): Logger & { warn: jasmine.Spy } {
  return { warn: jasmine.createSpy('warn') } as unknown as Logger & { warn: jasmine.Spy };
}

describe('Timer (virtual time)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('ticks at exact frames, the first one full interval after subscription', () => {
    testScheduler.run(({ expectObservable }) => {
      const ticks = timer$(1000, { scheduler: testScheduler }).pipe(take(3));
      expectObservable(ticks).toBe('1000ms a 999ms b 999ms (c|)', { a: 1, b: 2, c: 3 });
    });
  });

  it('counts from the subscription, not from construction', () => {
    testScheduler.run(({ expectObservable }) => {
      const t = new Timer('1s', { scheduler: testScheduler });
      // subscribed at 500 ms: ticks at 1500 and 2500
      expectObservable(t.pipe(take(2)), '500ms ^').toBe('1500ms a 999ms (b|)', { a: 1, b: 2 });
    });
  });

  it('execFirst ticks 0 at subscription, then keeps the grid', () => {
    testScheduler.run(({ expectObservable }) => {
      const ticks = timer$(1000, { scheduler: testScheduler, execFirst: true }).pipe(take(3));
      expectObservable(ticks).toBe('a 999ms b 999ms (c|)', { a: 0, b: 1, c: 2 });
    });
  });

  it('execFirst with nothing more wanted (take(1)) arms no wait', () => {
    const recording = new RecordingScheduler(testScheduler);
    testScheduler.run(({ expectObservable }) => {
      expectObservable(timer$(1000, { scheduler: recording, execFirst: true }).pipe(take(1))).toBe('(a|)', { a: 0 });
    });
    expect(recording.delays).toEqual([]);
  });

  it('reports how long it slept since the wait was armed, for a later wake-up too (late or early)', () => {
    const late = fakeLogger();
    const early = fakeLogger();
    const lateTimer = new Timer(1000, { scheduler: new RecordingScheduler(testScheduler, (n) => (n === 1 ? 500 : 0)), logger: late });
    const earlyTimer = new Timer(1000, { scheduler: new RecordingScheduler(testScheduler, (n) => (n === 1 ? -400 : 0)), logger: early });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(lateTimer.pipe(take(2))).toBe('1000ms a 1499ms (b|)', { a: 1, b: 2 });
      expectObservable(earlyTimer.pipe(take(2))).toBe('1000ms a 999ms (b|)', { a: 1, b: 2 });
    });
    // armed at 1000 for 2000: woke at 2500, or at 1600 and waited again
    expect(late.warn.calls.mostRecent().args[0]).toEqual(jasmine.objectContaining({ driftMs: 500, sleptMs: 1500 }));
    expect(early.warn.calls.mostRecent().args[0]).toEqual(jasmine.objectContaining({ driftMs: -400, sleptMs: 600 }));
  });

  it('after one late wake-up, shortens the next waits by maxDriftCorrection until back on the grid', () => {
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 400 : 0));
    const t = new Timer(1000, { scheduler: recording, logger: fakeLogger() });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(t.pipe(take(6))).toBe('1400ms a 899ms b 899ms c 899ms d 899ms e 999ms (f|)', {
        a: 1,
        b: 2,
        c: 3,
        d: 4,
        e: 5,
        f: 6,
      });
    });
    // the corrected waits: no 0.9/1.1 oscillation as in mode
    expect(recording.delays).toEqual([1000, 900, 900, 900, 900, 1000]);
    expect(t.iteration).toBe(6);
    expect(t.drifting).toBe(1);
    expect(t.driftingLate).toBe(1);
    expect(t.driftingEarly).toBe(0);
    expect(t.skipped).toBe(0);
  });

  it('lastDrift says how far off its slot the last wake-up was: late, then on time again', () => {
    // The first wait wakes 400 ms late, the third 30 ms late (below the drift threshold:
    // not counted in drifting, yet still the last drift), the others on time.
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 400 : n === 2 ? 30 : 0));
    const t = new Timer(1000, { scheduler: recording, logger: fakeLogger() });
    const seen: number[] = [];
    testScheduler.run(() => {
      t.pipe(take(4)).subscribe(() => seen.push(t.lastDrift));
    });
    expect(t.lastDrift).toBe(0);
    expect(seen).toEqual([400, 0, 30, 0]);
    expect(t.drifting).toBe(1);
  });

  it('a constant small lateness never accumulates', () => {
    const recording = new RecordingScheduler(testScheduler, () => 2);
    testScheduler.run(({ expectObservable }) => {
      const ticks = timer$(1000, { scheduler: recording }).pipe(take(4));
      expectObservable(ticks).toBe('1002ms a 999ms b 999ms c 999ms (d|)', { a: 1, b: 2, c: 3, d: 4 });
    });
    expect(recording.delays).toEqual([1000, 998, 998, 998]);
  });

  it('skips and counts the ticks whose time passed during a stall, without a burst', () => {
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 3500 : 0));
    const logger = fakeLogger();
    const t = new Timer(1000, { scheduler: recording, logger, name: 'stalled' });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(t.pipe(take(7))).toBe('4500ms a 899ms b 899ms c 899ms d 899ms e 899ms f 999ms (g|)', {
        a: 4,
        b: 5,
        c: 6,
        d: 7,
        e: 8,
        f: 9,
        g: 10,
      });
    });
    expect(t.skipped).toBe(3);
    expect(t.iteration).toBe(7);
    expect(t.driftingLate).toBe(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [fields, message] = logger.warn.calls.mostRecent().args as [Record<string, unknown>, string];
    expect(fields).toEqual(jasmine.objectContaining({ timer: 'stalled', driftMs: 3500, sleptMs: 4500 }));
    expect(message).toContain('Timer stalled woke up too late, with a drift of +3500ms');
    expect(message).toContain('runtime=');
  });

  it('waits out a scheduler that wakes early, counting the early drift', () => {
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? -400 : 0));
    const logger = fakeLogger();
    const t = new Timer(1000, { scheduler: recording, logger });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(t.pipe(take(2))).toBe('1000ms a 999ms (b|)', { a: 1, b: 2 });
    });
    expect(recording.delays).toEqual([1000, 400, 1000]);
    expect(t.driftingEarly).toBe(1);
    expect(logger.warn.calls.mostRecent().args[1]).toContain('woke up too early, with a drift of -400ms');
  });

  it('logs drift only for intervals of 1 s or more, unless a threshold is given', () => {
    const quiet = fakeLogger();
    const loud = fakeLogger();
    const lateFirst = (n: number): number => (n === 0 ? 400 : 0);
    const short = new Timer(500, { scheduler: new RecordingScheduler(testScheduler, lateFirst), logger: quiet });
    const configured = new Timer(500, {
      scheduler: new RecordingScheduler(testScheduler, lateFirst),
      logger: loud,
      driftLogThreshold: '50ms',
    });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(short.pipe(take(1))).toBe('900ms (a|)', { a: 1 });
      expectObservable(configured.pipe(take(1))).toBe('900ms (a|)', { a: 1 });
    });
    expect(short.drifting).toBe(1); // 400 ms > min(30 % of 500, 1.2 s)
    expect(quiet.warn).not.toHaveBeenCalled();
    expect(loud.warn).toHaveBeenCalledTimes(1);
  });

  it('without a logger, warns on the root logger\'s child named rxmode.timer (the root of the moment)', () => {
    const saved = rootLogger();
    const before = captureLogger('warn');
    const now = captureLogger('warn');
    setRootLogger(before.logger);
    try {
      const t = new Timer(1000, { scheduler: new RecordingScheduler(testScheduler, (n) => (n === 0 ? 500 : 0)), name: 'bare' });
      setRootLogger(now.logger); // installed after the Timer was made: still the one it uses
      testScheduler.run(({ expectObservable }) => {
        expectObservable(t.pipe(take(1))).toBe('1500ms (a|)', { a: 1 });
      });
    } finally {
      setRootLogger(saved);
    }
    expect(before.lines).toEqual([]);
    expect(now.lines).toEqual([jasmine.objectContaining({ level: 40, name: 'rxmode.timer', timer: 'bare', driftMs: 500 })]);
  });

  it('does not count a wake-up within the threshold as drifting', () => {
    const t = new Timer(1000, { scheduler: new RecordingScheduler(testScheduler, (n) => (n === 0 ? 300 : 0)) });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(t.pipe(take(1))).toBe('1300ms (a|)', { a: 1 });
    });
    expect(t.drifting).toBe(0);
  });

  it('run(): a tick falling while the body still runs is dropped and counted as an overlap', () => {
    const logger = fakeLogger();
    const t = new Timer(1000, { scheduler: testScheduler, logger, name: 'slow' });
    testScheduler.run(({ expectObservable }) => {
      // each run takes 1.5 s: tick 2 (at 2 s) falls inside run 1, tick 4 inside run 3
      const runs = t.run((tick) => rxTimer(1500, testScheduler).pipe(map(() => tick))).pipe(take(3));
      expectObservable(runs).toBe('2500ms a 1999ms b 1999ms (c|)', { a: 1, b: 3, c: 5 });
    });
    expect(t.overlaps).toBe(3); // ticks 2, 4 and 6
    expect(t.iteration).toBe(3);
    expect(t.lastRuntime).toBe(1500);
    const [fields, message] = logger.warn.calls.mostRecent().args as [Record<string, unknown>, string];
    expect(message).toContain('Timer slow is overlapping (interval=1000ms runtime=1000ms)');
    expect(fields).toEqual(jasmine.objectContaining({ timer: 'slow', dropped: 1 }));
  });

  it('run(): a synchronous body that lasts exactly one interval drops the next tick and counts one overlap', () => {
    // A clock that jumps while the body runs stands for a body that blocks: tick 1's body
    // ends exactly on tick 2's slot, which it covered, so tick 2 is dropped.
    let blocked = 0;
    const blocking: SchedulerLike = {
      now: () => testScheduler.now() + blocked,
      schedule: testScheduler.schedule.bind(testScheduler) as SchedulerLike['schedule'],
    };
    const logger = fakeLogger();
    const t = new Timer(1000, { scheduler: blocking, logger, name: 'exact' });
    testScheduler.run(({ expectObservable }) => {
      const runs = t
        .run((tick) => {
          if (tick === 1) blocked += 1000;
          return of(tick);
        })
        .pipe(take(3));
      // frames are the TestScheduler's, 1000 ms behind the blocking clock after tick 1
      expectObservable(runs).toBe('1000ms a 999ms b 999ms (c|)', { a: 1, b: 3, c: 4 });
    });
    expect(t.overlaps).toBe(1);
    expect(t.iteration).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [fields, message] = logger.warn.calls.mostRecent().args as [Record<string, unknown>, string];
    expect(fields).toEqual(jasmine.objectContaining({ timer: 'exact', dropped: 1, runtimeMs: 1000 }));
    expect(message).toContain('Timer exact is overlapping (interval=1000ms runtime=1000ms): 1 tick dropped');
  });

  it('run(): a synchronous body that covers two slots drops both, and says so in the plural', () => {
    let blocked = 0;
    const blocking: SchedulerLike = {
      now: () => testScheduler.now() + blocked,
      schedule: testScheduler.schedule.bind(testScheduler) as SchedulerLike['schedule'],
    };
    const logger = fakeLogger();
    const t = new Timer(1000, { scheduler: blocking, logger, name: 'twice' });
    testScheduler.run(({ flush }) => {
      t.run((tick) => {
        if (tick === 1) blocked += 2000;
      })
        .pipe(take(2))
        .subscribe();
      flush();
    });
    expect(t.overlaps).toBe(2);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.calls.mostRecent().args[1]).toContain('Timer twice is overlapping (interval=1000ms runtime=2000ms): 2 ticks dropped');
  });

  it('run(): when the consumer leaves on the tick of a body that overran, no overlap is counted or logged', () => {
    let blocked = 0;
    const blocking: SchedulerLike = {
      now: () => testScheduler.now() + blocked,
      schedule: testScheduler.schedule.bind(testScheduler) as SchedulerLike['schedule'],
    };
    const logger = fakeLogger();
    const t = new Timer(1000, { scheduler: blocking, logger });
    testScheduler.run(({ expectObservable }) => {
      const runs = t
        .run(() => {
          blocked += 2500;
        })
        .pipe(take(1));
      expectObservable(runs).toBe('1000ms (a|)', { a: undefined });
    });
    expect(t.overlaps).toBe(0);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('run(): a wake-up that comes late while a body runs is an overlap, and the next wait is shortened by at most maxDriftCorrection', () => {
    // tick 1's body runs 1000-2500; the wait for tick 2 ends 400 ms late, at 2400, inside
    // it: tick 2 is dropped, and the timer, 400 ms behind, aims at 3300 (a wait of
    // 1000 - 100 ms), not at tick 3's slot (3000)
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 1 ? 400 : 0));
    const t = new Timer(1000, { scheduler: recording, logger: fakeLogger() });
    testScheduler.run(({ expectObservable }) => {
      const runs = t.run((tick) => rxTimer(1500, testScheduler).pipe(map(() => tick))).pipe(take(2));
      expectObservable(runs).toBe('2500ms a 2299ms (b|)', { a: 1, b: 3 });
    });
    expect(recording.delays.slice(0, 3)).toEqual([1000, 1000, 900]);
    expect(t.overlaps).toBe(2); // tick 2, and tick 4 (at 4000, inside tick 3's body)
  });

  it('run(): an error from the Observable a body returns ends the run with that error', () => {
    const t = new Timer(1000, { scheduler: testScheduler });
    const boom = new Error('boom');
    testScheduler.run(({ cold, expectObservable }) => {
      const runs = t.run(() => cold('200ms #', undefined, boom)).pipe(takeUntil(cold('5s x')));
      expectObservable(runs).toBe('1200ms #', undefined, boom);
    });
    expect(t.lastRuntime).toBe(200);
  });

  it('bodyStarted()/bodyFinished() on a plain Timer: the runtime is what ran between them', () => {
    let blocked = 0;
    const blocking: SchedulerLike = {
      now: () => testScheduler.now() + blocked,
      schedule: testScheduler.schedule.bind(testScheduler) as SchedulerLike['schedule'],
    };
    const t = new Timer(1000, { scheduler: blocking });
    testScheduler.run(({ flush }) => {
      t.pipe(take(1)).subscribe(() => {
        blocked += 100; // the consumer's own work, before its body
        t.bodyStarted();
        blocked += 300;
        t.bodyFinished();
      });
      flush();
    });
    expect(t.lastRuntime).toBe(300);
  });

  it('bodyStarted()/bodyFinished() on a plain Timer: ticks while the body runs are dropped as overlaps', () => {
    const t = new Timer(1000, { scheduler: testScheduler, logger: fakeLogger() });
    testScheduler.run(({ expectObservable }) => {
      const ticks = t.pipe(
        tap(() => {
          t.bodyStarted();
          testScheduler.schedule(() => t.bodyFinished(), 1500);
        }),
        take(3),
      );
      expectObservable(ticks).toBe('1000ms a 1999ms b 1999ms (c|)', { a: 1, b: 3, c: 5 });
    });
    expect(t.overlaps).toBe(2);
    expect(t.lastRuntime).toBe(1500);
  });

  it('run(): never two runs at once', () => {
    const t = new Timer(100, { scheduler: testScheduler });
    let running = 0;
    let maxRunning = 0;
    testScheduler.run(({ flush }) => {
      t.run(() => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        return rxTimer(250, testScheduler).pipe(finalize(() => (running -= 1)));
      })
        .pipe(take(5))
        .subscribe();
      flush();
    });
    expect(maxRunning).toBe(1);
    expect(running).toBe(0);
    // runs at 100-350, 400-650, 700-950, 1000-1250, 1300-1550: the two ticks inside each overlap
    expect(t.overlaps).toBe(10);
  });

  it('run(): the runtime of the body is reported in the next drift log', () => {
    const logger = fakeLogger();
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 1 ? 2000 : 0));
    const t = new Timer(1000, { scheduler: recording, logger });
    testScheduler.run(({ expectObservable }) => {
      const runs = t.run(() => rxTimer(200, testScheduler)).pipe(take(2));
      expectObservable(runs).toBe('1200ms a 2999ms (b|)', { a: 0, b: 0 });
    });
    const [fields] = logger.warn.calls.mostRecent().args as [Record<string, unknown>];
    expect(fields).toEqual(jasmine.objectContaining({ driftMs: 2000, runtimeMs: 200 }));
  });

  it('an error in the body ends the run with that error', () => {
    const t = new Timer(1000, { scheduler: testScheduler });
    const boom = new Error('boom');
    testScheduler.run(({ expectObservable }) => {
      const runs = t.run(() => {
        throw boom;
      });
      expectObservable(runs).toBe('1000ms #', undefined, boom);
    });
  });

  it('waits longer than setTimeout allows are chunked and still land on the exact frame', () => {
    const recording = new RecordingScheduler(testScheduler);
    const thirtyDays = 30 * 86_400_000;
    testScheduler.run(({ expectObservable }) => {
      expectObservable(timer$('30d', { scheduler: recording }).pipe(take(1))).toBe(`${thirtyDays}ms (a|)`, { a: 1 });
    });
    expect(recording.delays).toEqual([MAX_TIMEOUT_MS, thirtyDays - MAX_TIMEOUT_MS]);
  });

  it('a long wait cut into pieces counts no drift for the pieces before the last', () => {
    const logger = fakeLogger();
    const t = timer$('30d', { scheduler: testScheduler, logger, driftLogThreshold: '1s' });
    testScheduler.run(({ expectObservable }) => {
      expectObservable(t.pipe(take(1))).toBe(`${30 * 86_400_000}ms (a|)`, { a: 1 });
    });
    expect([t.drifting, t.driftingEarly, t.lastDrift]).toEqual([0, 0, 0]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('on a scheduler that ran the first wait at once (early), waits out the rest, and unsubscribing cancels that wait', () => {
    const recording = new RecordingScheduler(testScheduler);
    const t = new Timer(1000, { scheduler: new RunsFirstAtOnceScheduler(recording), logger: fakeLogger() });
    const ticks: number[] = [];
    testScheduler.run(({ flush }) => {
      const subscription = t.subscribe((tick) => ticks.push(tick));
      expect(t.driftingEarly).toBe(1);
      expect(recording.delays).toEqual([1000]);
      testScheduler.schedule(() => subscription.unsubscribe(), 500);
      testScheduler.schedule(() => expect(recording.live).withContext('just after unsubscribing').toBe(0), 501);
      flush();
    });
    expect(ticks).toEqual([]);
  });

  it('stop (takeUntil) ends the timer at once and leaves no wait behind', () => {
    const recording = new RecordingScheduler(testScheduler);
    testScheduler.run(({ hot, expectObservable }) => {
      const stop = hot('2500ms s');
      const ticks = timer$(1000, { scheduler: recording }).pipe(takeUntil(stop));
      expectObservable(ticks).toBe('1000ms a 999ms b 499ms |', { a: 1, b: 2 });
    });
    expect(recording.live).toBe(0);
  });

  it('unsubscribing leaves no wait behind', () => {
    const recording = new RecordingScheduler(testScheduler);
    const stop = new Subject<void>();
    testScheduler.run(({ flush }) => {
      timer$(1000, { scheduler: recording }).pipe(takeUntil(stop)).subscribe();
      testScheduler.schedule(() => stop.next(), 1500);
      testScheduler.schedule(() => expect(recording.live).toBe(0), 1501);
      flush();
    });
    expect(recording.delays.length).toBe(2);
  });
});

describe('driveTimer (virtual time)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('runs the body on every tick of the grid until unsubscribed, and leaves no wait behind', () => {
    const recording = new RecordingScheduler(testScheduler);
    const runs: number[] = [];
    const failures: unknown[] = [];
    testScheduler.run(({ flush }) => {
      const loop = driveTimer(
        new Timer(1000, { scheduler: recording }),
        (tick) => runs.push(tick * 10_000 + testScheduler.now()),
        (error) => failures.push(error),
      );
      testScheduler.schedule(() => loop.unsubscribe(), 3500);
      testScheduler.schedule(() => expect(recording.live).withContext('just after unsubscribing').toBe(0), 3501);
      flush();
    });
    expect(runs).toEqual([11_000, 22_000, 33_000]);
    expect(failures).toEqual([]);
  });

  it('hands the first failure to fail and ends the loop at once, with a wait armed during a long run', () => {
    const recording = new RecordingScheduler(testScheduler);
    const boom = new Error('boom');
    const runs: number[] = [];
    const failures: Array<[unknown, number]> = [];
    const timer = new Timer(1000, { scheduler: recording, logger: fakeLogger() });
    testScheduler.run(({ cold, flush }) => {
      // The first run fails 1.5 s in, while the loop waits for the tick at 3000 (2000 overlapped).
      driveTimer(
        timer,
        () => {
          runs.push(testScheduler.now());
          return cold('1500ms #', undefined, boom);
        },
        (error) => failures.push([error, testScheduler.now()]),
      );
      testScheduler.schedule(() => expect(recording.live).withContext('just after the failure').toBe(0), 2501);
      flush();
    });
    expect(runs).toEqual([1000]);
    expect(failures).toEqual([[boom, 2500]]);
    expect(timer.overlaps).toBe(1);
  });

  it('a synchronous failure of the first tick (execFirst) arms no wait', () => {
    const recording = new RecordingScheduler(testScheduler);
    const boom = new Error('boom');
    const failures: unknown[] = [];
    testScheduler.run(({ flush }) => {
      driveTimer(
        new Timer(1000, { scheduler: recording, execFirst: true }),
        () => {
          throw boom;
        },
        (error) => failures.push(error),
      );
      flush();
    });
    expect(failures).toEqual([boom]);
    expect(recording.delays).toEqual([]);
  });
});
