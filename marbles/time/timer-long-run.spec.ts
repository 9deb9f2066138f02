import { concat, finalize, map, of, Subject, take, takeUntil, timer as rxTimer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../src/logging/logger.js';
import { Timer } from '../../src/time/timer.js';
import { RecordingScheduler } from './schedulers.js';

// A Timer makes one scheduler.schedule call per subscription and then reschedules that
// action from inside its work (as RxJS's interval does). These pin that every one of those
// waits is still the scheduler's: exact virtual frames over a long run, drift corrected,
// each wait seen by a wrapping scheduler, and nothing left scheduled after the end.

function quietLogger(): Logger {
  return { warn: () => undefined } as unknown as Logger;
}

describe('Timer over 1,000 ticks (virtual time)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('ticks on its exact frames, every wait on the TestScheduler, and leaves no action behind', () => {
    const at: number[] = [];
    let pendingAfter = -1;
    testScheduler.run(({ flush }) => {
      new Timer(100, { scheduler: testScheduler })
        .pipe(take(1000))
        .subscribe((tick) => at.push(tick === at.length + 1 ? testScheduler.now() : -tick));
      // just after the 1,000th tick: the checker itself has left the queue, so it must be empty
      testScheduler.schedule(() => (pendingAfter = testScheduler.actions.length), 100_001);
      flush();
    });
    expect(at).toEqual(Array.from({ length: 1000 }, (_, k) => (k + 1) * 100));
    expect(pendingAfter).toBe(0);
  });

  it('corrects a late and an early wake-up in the middle of the run, one scheduler.schedule in all', () => {
    // The wait before tick 500 wakes 400 ms late, the one before tick 800 350 ms early.
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 499 ? 400 : n === 799 ? -350 : 0));
    const t = new Timer(1000, { scheduler: recording, logger: quietLogger() });
    const at: number[] = [];
    testScheduler.run(({ flush }) => {
      t.pipe(take(1000)).subscribe(() => at.push(testScheduler.now()));
      flush();
    });
    const expected = Array.from({ length: 1000 }, (_, k) => (k + 1) * 1000);
    // 400 ms late, then each wait shortened by maxDriftCorrection (100 ms) until on the grid
    expected[499] = 500_400;
    expected[500] = 501_300;
    expected[501] = 502_200;
    expected[502] = 503_100;
    expect(at).toEqual(expected);
    // 1,000 waits and the 350 ms waited out after the early wake-up, all seen by the wrapper
    expect(recording.delays.length).toBe(1001);
    expect(recording.delays[800]).toBe(350);
    expect(recording.scheduled).toBe(1);
    expect(recording.live).toBe(0);
    expect([t.iteration, t.skipped, t.overlaps, t.driftingLate, t.driftingEarly]).toEqual([1000, 0, 0, 1, 1]);
  });

  it('a stop between two ticks cancels the pending wait', () => {
    const recording = new RecordingScheduler(testScheduler);
    const stop = new Subject<void>();
    let live = -1;
    let pendingAfter = -1;
    testScheduler.run(({ flush }) => {
      new Timer(100, { scheduler: recording }).pipe(takeUntil(stop)).subscribe();
      testScheduler.schedule(() => stop.next(), 70_050);
      testScheduler.schedule(() => {
        live = recording.live;
        pendingAfter = testScheduler.actions.length;
      }, 70_051);
      flush();
    });
    expect(recording.delays.length).toBe(701); // 700 ticks, and the wait the stop cut
    expect(live).toBe(0);
    expect(pendingAfter).toBe(0);
  });
});

describe('Timer.run bodies (virtual time)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("a body's Observable is unsubscribed with the run, even when the run ends on its first, synchronous value", () => {
    const t = new Timer(1000, { scheduler: testScheduler });
    let endedAt = -1;
    testScheduler.run(({ expectObservable }) => {
      const runs = t
        .run(() =>
          concat(of('now'), rxTimer(500, testScheduler).pipe(map(() => 'later'))).pipe(
            finalize(() => (endedAt = testScheduler.now())),
          ),
        )
        .pipe(take(1));
      expectObservable(runs).toBe('1000ms (a|)', { a: 'now' });
    });
    expect(endedAt).toBe(1000);
    expect(t.lastRuntime).toBe(0);
  });

  it('a body that returns nothing: one undefined a tick, each run finished before the next tick', () => {
    const t = new Timer(1000, { scheduler: testScheduler });
    const ran: number[] = [];
    testScheduler.run(({ expectObservable }) => {
      const runs = t.run((tick) => void ran.push(tick)).pipe(take(3));
      expectObservable(runs).toBe('1000ms a 999ms b 999ms (c|)', { a: undefined, b: undefined, c: undefined });
    });
    expect(ran).toEqual([1, 2, 3]);
    expect([t.iteration, t.overlaps, t.skipped]).toEqual([3, 0, 0]);
  });
});
