import fc from 'fast-check';
import { Subject, type Subscription, take, takeUntil } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../src/logging/logger.js';
import { driveTimer } from '../../src/time/drive.js';
import { Timer } from '../../src/time/timer.js';
import { groupTimerWaitsOn } from '../../src/time/wait-groups.js';
import { RecordingScheduler, RunsFirstAtOnceScheduler, WallClockScheduler } from './schedulers.js';

// On asyncScheduler, the Timers due at the same moment share one wait (one native timer for
// the lot, as Node keeps one for its timers of one duration). groupTimerWaitsOn() turns that
// sharing on for a recording scheduler over the TestScheduler, so these pin it in virtual
// time: exact frames, one wait per group and tick, a stopped timer leaving its group, and
// nothing left scheduled once the last one stops.

function quietLogger(): Logger {
  return { warn: () => undefined } as unknown as Logger;
}

describe('Timers due together share one wait (virtual time)', () => {
  let testScheduler: TestScheduler;
  let recording: RecordingScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function grouped(lateBy?: (n: number) => number): RecordingScheduler {
    recording = new RecordingScheduler(testScheduler, lateBy);
    groupTimerWaitsOn(recording);
    return recording;
  }

  it('three timers subscribed together tick on their frames, one wait for the three each tick', () => {
    const scheduler = grouped();
    const at: number[][] = [[], [], []];
    let pendingAfter = -1;
    testScheduler.run(({ flush }) => {
      for (const ticks of at) {
        new Timer(100, { scheduler }).pipe(take(10)).subscribe(() => ticks.push(testScheduler.now()));
      }
      testScheduler.schedule(() => (pendingAfter = testScheduler.actions.length), 1_001);
      flush();
    });
    const frames = Array.from({ length: 10 }, (_, k) => (k + 1) * 100);
    expect(at).toEqual([frames, frames, frames]);
    expect(recording.scheduled).toBe(1);
    expect(recording.delays).toEqual(Array.from({ length: 10 }, () => 100));
    expect(recording.live).toBe(0);
    expect(pendingAfter).toBe(0);
  });

  it('a timer that stops leaves its group; the last one to stop cancels the wait', () => {
    const scheduler = grouped();
    const stopA = new Subject<void>();
    const stopRest = new Subject<void>();
    const at: number[][] = [[], [], []];
    let liveBetween = -1;
    let pendingAfter = -1;
    testScheduler.run(({ flush }) => {
      new Timer(100, { scheduler }).pipe(takeUntil(stopA)).subscribe(() => at[0]!.push(testScheduler.now()));
      for (const ticks of at.slice(1)) {
        new Timer(100, { scheduler }).pipe(takeUntil(stopRest)).subscribe(() => ticks.push(testScheduler.now()));
      }
      testScheduler.schedule(() => stopA.next(), 250);
      testScheduler.schedule(() => (liveBetween = recording.live), 251);
      testScheduler.schedule(() => stopRest.next(), 450);
      testScheduler.schedule(() => (pendingAfter = testScheduler.actions.length), 451);
      flush();
    });
    expect(at).toEqual([
      [100, 200],
      [100, 200, 300, 400],
      [100, 200, 300, 400],
    ]);
    expect(liveBetween).toBe(1); // the two left still share the one wait
    expect(recording.delays.length).toBe(5); // four ticks, and the wait the last stop cut
    expect(recording.live).toBe(0);
    expect(pendingAfter).toBe(0);
  });

  it('a late wake-up of the group is corrected for each timer; the drift does not grow', () => {
    // The wait before the fifth tick wakes 40 ms late.
    const scheduler = grouped((n) => (n === 4 ? 40 : 0));
    const timers = [0, 1].map(() => new Timer(100, { scheduler, logger: quietLogger() }));
    const at: number[][] = [[], []];
    testScheduler.run(({ flush }) => {
      timers.forEach((t, i) => t.pipe(take(8)).subscribe(() => at[i]!.push(testScheduler.now())));
      flush();
    });
    const expected = [100, 200, 300, 400, 540, 600, 700, 800];
    expect(at).toEqual([expected, expected]);
    expect(timers.map((t) => [t.iteration, t.driftingLate, t.skipped])).toEqual([
      [8, 1, 0],
      [8, 1, 0],
    ]);
    expect(recording.live).toBe(0);
  });

  it('timers due at different moments keep waits of their own', () => {
    const scheduler = grouped();
    const at: number[][] = [[], []];
    testScheduler.run(({ flush }) => {
      new Timer(100, { scheduler }).pipe(take(3)).subscribe(() => at[0]!.push(testScheduler.now()));
      testScheduler.schedule(() => {
        new Timer(100, { scheduler }).pipe(take(3)).subscribe(() => at[1]!.push(testScheduler.now()));
      }, 30);
      flush();
    });
    expect(at).toEqual([
      [100, 200, 300],
      [130, 230, 330],
    ]);
    expect(recording.scheduled).toBe(2);
    expect(recording.delays.length).toBe(6);
    expect(recording.live).toBe(0);
  });

  // A scheduler sees one `schedule` call per group that had no action free to take: the
  // action that just ran is rescheduled for the first new group armed in its work, as
  // RxJS's interval reschedules its own action (on asyncScheduler, its native timer is
  // then kept while the delay stays the same).

  it('the action of a group that fired is rescheduled for the next group a timer in it needs', () => {
    const scheduler = grouped();
    const at: number[][] = [[], [], []];
    testScheduler.run(({ flush }) => {
      // Due at 200, 100 and 400: three groups, three schedule calls. At 100 the second
      // joins the group at 200; at 200 the first joins the one at 400, which leaves the
      // action free for the second's new group at 300; at 300 it joins the one at 400.
      new Timer(200, { scheduler }).pipe(take(2)).subscribe(() => at[0]!.push(testScheduler.now()));
      new Timer(100, { scheduler }).pipe(take(4)).subscribe(() => at[1]!.push(testScheduler.now()));
      new Timer(400, { scheduler }).pipe(take(1)).subscribe(() => at[2]!.push(testScheduler.now()));
      flush();
    });
    expect(at).toEqual([[200, 400], [100, 200, 300, 400], [400]]);
    expect(recording.scheduled).toBe(3);
    expect(recording.live).toBe(0);
  });

  it('a timer started in a tick and joining a waiting group leaves the running action to the ticking timer', () => {
    const scheduler = grouped();
    const at: number[][] = [[], [], []];
    testScheduler.run(({ flush }) => {
      // At 50 the first starts the third, due at 200 with the second; the first's own next
      // wait, at 100, takes the action that just ran.
      new Timer(50, { scheduler }).pipe(take(2)).subscribe((tick) => {
        at[0]!.push(testScheduler.now());
        if (tick === 1) new Timer(150, { scheduler }).pipe(take(1)).subscribe(() => at[2]!.push(testScheduler.now()));
      });
      new Timer(200, { scheduler }).pipe(take(1)).subscribe(() => at[1]!.push(testScheduler.now()));
      flush();
    });
    expect(at).toEqual([[50, 100], [200], [200]]);
    expect(recording.scheduled).toBe(2);
    expect(recording.live).toBe(0);
  });

  it("a timer started in another timer's tick waits on its own scheduler, with a schedule call of its own", () => {
    const scheduler = grouped();
    const other = new RecordingScheduler(testScheduler);
    const at: number[][] = [[], []];
    testScheduler.run(({ flush }) => {
      new Timer(100, { scheduler }).pipe(take(3)).subscribe((tick) => {
        at[0]!.push(testScheduler.now());
        if (tick === 1) new Timer(70, { scheduler: other }).pipe(take(2)).subscribe(() => at[1]!.push(testScheduler.now()));
      });
      flush();
    });
    expect(at).toEqual([[100, 200, 300], [170, 240]]);
    expect([recording.scheduled, recording.delays]).toEqual([1, [100, 100, 100]]);
    expect([other.scheduled, other.delays]).toEqual([1, [70, 70]]);
    expect(recording.live + other.live).toBe(0);
  });

  it('a timer started in a tick on a scheduler that runs it at once leaves the ticking timer its action', () => {
    const scheduler = grouped();
    const at: number[] = [];
    testScheduler.run(({ flush }) => {
      new Timer(100, { scheduler }).pipe(take(3)).subscribe((tick) => {
        at.push(testScheduler.now());
        // Its first wait runs inside this tick (a piece of work within the work), early.
        if (tick === 1) new Timer(1_000, { scheduler: new RunsFirstAtOnceScheduler(testScheduler), logger: quietLogger() }).pipe(take(1)).subscribe();
      });
      flush();
    });
    expect(at).toEqual([100, 200, 300]);
    expect(recording.scheduled).toBe(1);
    expect(recording.live).toBe(0);
  });

  it('ticks dropped while a body runs re-arm the same action: one schedule call in all', () => {
    const scheduler = grouped();
    const timer = new Timer(100, { scheduler, logger: quietLogger() });
    const done = new Subject<void>();
    testScheduler.run(({ flush }) => {
      // The first body runs until 350, and its value ends the run: the ticks at 200 and 300
      // are dropped.
      timer
        .run(() => done.pipe(take(1)))
        .pipe(take(1))
        .subscribe();
      testScheduler.schedule(() => done.next(), 350);
      flush();
    });
    expect([timer.iteration, timer.overlaps]).toEqual([1, 2]);
    expect(recording.scheduled).toBe(1);
    expect(recording.live).toBe(0);
  });

  it('turning the sharing on twice for one scheduler keeps the timers made before and after in one group', () => {
    const scheduler = grouped();
    const first = new Timer(100, { scheduler });
    groupTimerWaitsOn(scheduler);
    const second = new Timer(100, { scheduler });
    const at: number[][] = [[], []];
    testScheduler.run(({ flush }) => {
      first.pipe(take(2)).subscribe(() => at[0]!.push(testScheduler.now()));
      second.pipe(take(2)).subscribe(() => at[1]!.push(testScheduler.now()));
      flush();
    });
    expect(at).toEqual([[100, 200], [100, 200]]);
    expect([recording.scheduled, recording.delays]).toEqual([1, [100, 100]]);
  });

  describe("on the wall clock, driven loops (@timer's) started together share their epoch", () => {
    function wallClock(): WallClockScheduler {
      const scheduler = new WallClockScheduler(testScheduler);
      recording = scheduler;
      groupTimerWaitsOn(scheduler);
      return scheduler;
    }

    /** Drives `timer` for `count` ticks, recording when each comes; what `Timer.pipe(take(count))` does for a subscribed one. */
    function drive(timer: Timer, count: number, at: number[]): void {
      const loop: Subscription = driveTimer(
        timer,
        () => {
          at.push(testScheduler.now());
          if (at.length === count) loop.unsubscribe();
        },
        (error) => fail(error),
      );
    }

    it('a loop started 3 ms after another in the same run of code ticks on its grid, one wait for both', () => {
      const scheduler = wallClock();
      const at: number[][] = [[], [], [], []];
      testScheduler.run(({ flush }) => {
        const start = (i: number) => drive(new Timer(100, { scheduler, logger: quietLogger() }), 3, at[i]!);
        testScheduler.schedule(() => start(0), 10);
        testScheduler.schedule(() => start(1), 13);
        // 11 ms after the first: past the 10 ms a start may share.
        testScheduler.schedule(() => start(2), 21);
        // A subscribed Timer keeps the moment of its subscription.
        testScheduler.schedule(() => new Timer(100, { scheduler }).pipe(take(1)).subscribe(() => at[3]!.push(testScheduler.now())), 11);
        flush();
      });
      expect(at).toEqual([
        [110, 210, 310],
        [110, 210, 310],
        [121, 221, 321],
        [111],
      ]);
      expect(recording.delays).withContext('one wait for the two at each of their moments').toEqual([100, 100, 100, 100, 100, 100, 100]);
      expect(recording.live).toBe(0);
    });

    it('property: each loop ticks on the grid of the epoch it shares, one wait per moment', () => {
      const timerArb = fc.record({
        interval: fc.constantFrom(20, 40, 60, 100, 150),
        start: fc.integer({ min: 0, max: 30 }),
        ticks: fc.integer({ min: 1, max: 5 }),
      });
      fc.assert(
        fc.property(fc.array(timerArb, { minLength: 1, maxLength: 6 }), (specs) => {
          testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
          const scheduler = wallClock();
          const seen: number[][] = specs.map(() => []);
          const timers: Timer[] = [];
          testScheduler.run(({ flush }) => {
            specs.forEach((s, i) =>
              testScheduler.schedule(() => {
                const t = new Timer(s.interval, { scheduler, logger: quietLogger(), driftLogThreshold: 0 });
                timers.push(t);
                drive(t, s.ticks, seen[i]!);
              }, s.start),
            );
            flush();
          });
          // The model: in start order (by frame, then as scheduled), a start within 10 ms and
          // a tenth of its interval of the shared epoch takes it; any other sets it. The
          // whole flush is one run of code.
          let shared = Number.NaN;
          const epochs: number[] = [];
          specs
            .map((s, i) => ({ ...s, i }))
            .sort((a, b) => a.start - b.start || a.i - b.i)
            .forEach((s) => {
              if (!(s.start >= shared && s.start - shared <= Math.min(10, s.interval / 10))) shared = s.start;
              epochs[s.i] = shared;
            });
          const wrong: string[] = [];
          specs.forEach((s, i) => {
            const expected = Array.from({ length: s.ticks }, (_, k) => epochs[i]! + (k + 1) * s.interval);
            if (seen[i]!.join() !== expected.join()) wrong.push(`timer ${i} ticked at ${seen[i]}, not ${expected}`);
          });
          const moments = new Set(specs.flatMap((s, i) => Array.from({ length: s.ticks }, (_, k) => epochs[i]! + (k + 1) * s.interval)));
          if (recording.delays.length !== moments.size) wrong.push(`${recording.delays.length} waits for ${moments.size} moments`);
          timers.forEach((t, i) => {
            if (t.drifting !== 0 || t.skipped !== 0) wrong.push(`timer ${i}: drifting ${t.drifting}, skipped ${t.skipped}`);
          });
          if (recording.live !== 0) wrong.push(`${recording.live} waits left`);
          expect(wrong).toEqual([]);
        }),
        { numRuns: 60 },
      );
    });
  });
});
