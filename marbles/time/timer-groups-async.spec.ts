import fc from 'fast-check';
import { asyncScheduler, Subject, take, takeUntil } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../src/logging/logger.js';
import { Timer } from '../../src/time/timer.js';
import { groupTimerWaitsOn } from '../../src/time/wait-groups.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';

// The Timers a user makes without a scheduler run on asyncScheduler, where the ones due at
// the same moment share one wait (a group). Inside `TestScheduler.run`, RxJS sends
// asyncScheduler's clock and its setInterval calls to the TestScheduler, so the groups
// themselves (the very actions and intervals of real time) run here in virtual time. Each
// native timer asyncScheduler would hold is one action in `testScheduler.actions`.
//
// Each spec stops every timer it starts: the groups of asyncScheduler outlive a run, and a
// wait left pending in one would be joined by the next run's timers due at that frame.
//
// asyncScheduler's waits are shared where Node's entry points share them (and in the Node
// run of the specs, spec/helpers/share-async-waits.ts); in a browser, for this suite only.

function quietLogger(): Logger {
  return { warn: () => undefined } as unknown as Logger;
}

describe('Timers on asyncScheduler share one wait per moment (virtual time)', () => {
  let unshare: () => void;
  beforeAll(() => (unshare = groupTimerWaitsOn(asyncScheduler)));
  afterAll(() => unshare());
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /**
   * Runs `fn` at `frame`. Scheduled before the timers' waits, it runs before the ticks due
   * at that same frame.
   */
  function check(frame: number, fn: () => void): void {
    testScheduler.schedule(probe, frame, fn);
  }
  function probe(this: unknown, fn?: () => void): void {
    fn!();
  }

  /** The waits pending now (asyncScheduler's native timers), leaving out the checks. */
  function pendingWaits(): number {
    return testScheduler.actions.filter((action) => (action as unknown as { work: unknown }).work !== probe).length;
  }

  it('three timers of one interval tick each on its frame, with one wait pending for the three', () => {
    const ticks: number[][] = [[], [], []];
    const waits: number[] = [];
    testScheduler.run(({ flush }) => {
      for (const list of ticks) new Timer(100).pipe(take(5)).subscribe(() => list.push(testScheduler.now()));
      for (const frame of [50, 150, 450]) check(frame, () => waits.push(pendingWaits()));
      check(501, () => waits.push(pendingWaits()));
      flush();
    });
    const frames = [100, 200, 300, 400, 500];
    expect(ticks).toEqual([frames, frames, frames]);
    expect(waits).toEqual([1, 1, 1, 0]);
  });

  it('timers of different intervals and starts share a wait only when due at the same moment', () => {
    // 100 ms from 0: 100, 200, 300...; 150 ms from 50: 200, 350...; 50 ms from 50: 100, 150, 200...
    const ticks: number[][] = [[], [], []];
    const timers: Timer[] = [];
    const waits: number[] = [];
    testScheduler.run(({ flush }) => {
      const a = new Timer(100, { logger: quietLogger(), driftLogThreshold: 0 });
      timers.push(a);
      a.pipe(take(4)).subscribe(() => ticks[0]!.push(testScheduler.now()));
      check(50, () => {
        const b = new Timer(150, { logger: quietLogger(), driftLogThreshold: 0 });
        const c = new Timer(50, { logger: quietLogger(), driftLogThreshold: 0 });
        timers.push(b, c);
        b.pipe(take(2)).subscribe(() => ticks[1]!.push(testScheduler.now()));
        c.pipe(take(6)).subscribe(() => ticks[2]!.push(testScheduler.now()));
      });
      // at 60: due next are 100 (the first and the third) and 200 (the second)
      check(60, () => waits.push(pendingWaits()));
      // at 160: 200 (all three)
      check(160, () => waits.push(pendingWaits()));
      // at 210: 250 (the third), 300 (the first), 350 (the second)
      check(210, () => waits.push(pendingWaits()));
      check(401, () => waits.push(pendingWaits()));
      flush();
    });
    expect(ticks).toEqual([
      [100, 200, 300, 400],
      [200, 350],
      [100, 150, 200, 250, 300, 350],
    ]);
    expect(waits).toEqual([2, 1, 3, 0]);
    // Every wake-up was on its frame: none early (woken by another timer's wait) or late.
    expect(timers.map((t) => [t.drifting, t.lastDrift, t.skipped])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('one timer stopping leaves the others ticking; the last one to stop cancels the wait', () => {
    const stopFirst = new Subject<void>();
    const stopRest = new Subject<void>();
    const ticks: number[][] = [[], [], []];
    const waits: number[] = [];
    let fired = 0;
    testScheduler.run(({ flush }) => {
      new Timer(100).pipe(takeUntil(stopFirst)).subscribe(() => ticks[0]!.push(testScheduler.now()));
      for (const list of ticks.slice(1)) {
        new Timer(100).pipe(takeUntil(stopRest)).subscribe(() => list.push(testScheduler.now()));
      }
      check(250, () => stopFirst.next());
      check(260, () => waits.push(pendingWaits()));
      check(450, () => stopRest.next());
      check(460, () => waits.push(pendingWaits()));
      // nothing ticks after the last stop, however long the clock runs
      check(10_000, () => (fired = ticks.flat().filter((t) => t > 450).length));
      flush();
    });
    expect(ticks).toEqual([
      [100, 200],
      [100, 200, 300, 400],
      [100, 200, 300, 400],
    ]);
    expect(waits).toEqual([1, 0]);
    expect(fired).toBe(0);
  });

  it('a timer started while a group fires, due with the others, joins their next wait', () => {
    const ticks: number[][] = [[], [], []];
    const waits: number[] = [];
    testScheduler.run(({ flush }) => {
      // The second timer starts in the first one's tick at 100 with an interval of 100, the
      // third in the same tick with 150: the second is due with the first from 200 on, the
      // third alone at 250, then at 400 with both.
      new Timer(100).pipe(take(4)).subscribe((tick) => {
        ticks[0]!.push(testScheduler.now());
        if (tick !== 1) return;
        new Timer(100).pipe(take(3)).subscribe(() => ticks[1]!.push(testScheduler.now()));
        new Timer(150).pipe(take(2)).subscribe(() => ticks[2]!.push(testScheduler.now()));
      });
      check(110, () => waits.push(pendingWaits()));
      check(310, () => waits.push(pendingWaits()));
      check(401, () => waits.push(pendingWaits()));
      flush();
    });
    expect(ticks).toEqual([
      [100, 200, 300, 400],
      [200, 300, 400],
      [250, 400],
    ]);
    expect(waits).toEqual([2, 1, 0]);
  });

  it('a wait longer than setTimeout allows is made in pieces, and only its last piece is shared', () => {
    const long = MAX_TIMEOUT_MS + 1_000;
    const ticks: number[][] = [[], []];
    const timers = [new Timer(long, { logger: quietLogger() }), new Timer(long, { logger: quietLogger() })];
    const waits: number[] = [];
    testScheduler.run(({ flush }) => {
      timers.forEach((t, i) => t.pipe(take(2)).subscribe(() => ticks[i]!.push(testScheduler.now())));
      // during the first pieces: one wait each; during the last second: one for both
      check(10, () => waits.push(pendingWaits()));
      check(MAX_TIMEOUT_MS + 10, () => waits.push(pendingWaits()));
      check(2 * long + 1, () => waits.push(pendingWaits()));
      flush();
    });
    expect(ticks).toEqual([
      [long, 2 * long],
      [long, 2 * long],
    ]);
    expect(waits).toEqual([2, 1, 0]);
    expect(timers.map((t) => [t.drifting, t.skipped])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('property: each timer ticks on its own grid, with one wait pending per moment some timer is due next', () => {
    const timerArb = fc.record({
      interval: fc.constantFrom(20, 30, 40, 50, 60, 100),
      start: fc.integer({ min: 0, max: 60 }),
      ticks: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(fc.array(timerArb, { minLength: 1, maxLength: 6 }), (specs) => {
        testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
        const seen: number[][] = specs.map(() => []);
        const timers: Timer[] = [];
        const wrong: string[] = [];
        const end = Math.max(...specs.map((s) => s.start + s.interval * s.ticks));
        testScheduler.run(({ flush }) => {
          specs.forEach((s, i) => {
            check(s.start, () => {
              const t = new Timer(s.interval, { logger: quietLogger(), driftLogThreshold: 0 });
              timers.push(t);
              t.pipe(take(s.ticks)).subscribe(() => seen[i]!.push(testScheduler.now()));
            });
          });
          // At each frame, before the ticks of that frame (scheduled later, so run later):
          // one wait per moment a started, unfinished timer is due next.
          for (let frame = 0; frame <= end + 1; frame++) {
            check(frame, () => {
              const dueNext = new Set<number>();
              specs.forEach((s, i) => {
                const done = seen[i]!.length;
                if (s.start <= frame && done < s.ticks) dueNext.add(s.start + (done + 1) * s.interval);
              });
              const waits = pendingWaits();
              if (waits !== dueNext.size) wrong.push(`at ${frame}: ${waits} waits for ${dueNext.size} moments`);
            });
          }
          flush();
        });
        specs.forEach((s, i) => {
          const expected = Array.from({ length: s.ticks }, (_, k) => s.start + (k + 1) * s.interval);
          if (seen[i]!.join() !== expected.join()) wrong.push(`timer ${i} ticked at ${seen[i]}, not ${expected}`);
        });
        timers.forEach((t, i) => {
          if (t.drifting !== 0 || t.skipped !== 0) wrong.push(`timer ${i}: drifting ${t.drifting}, skipped ${t.skipped}`);
        });
        expect(wrong).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
