import { TestScheduler } from 'rxjs/testing';
import { offsetScheduler } from '../../src/testing/virtual-clock.js';
import { MAX_TIMEOUT_MS, wakeAt } from '../../src/time/wake-at.js';
import { RecordingScheduler, RunsFirstAtOnceScheduler } from '../../marbles/time/schedulers.js';

describe('wakeAt', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it('calls back once the clock reaches the time, with the time of waking', () => {
    const due = jasmine.createSpy('due');
    testScheduler.run(({ flush }) => {
      wakeAt(testScheduler, 1234, due);
      flush();
    });
    expect(due.calls.allArgs()).toEqual([[1234]]);
  });

  it('cuts a wait beyond 2^31-1 ms into pieces and never fires early', () => {
    const recording = new RecordingScheduler(testScheduler);
    const due = jasmine.createSpy('due');
    const far = 3 * MAX_TIMEOUT_MS + 5;
    testScheduler.run(({ flush }) => {
      wakeAt(recording, far, due);
      flush();
    });
    expect(recording.delays).toEqual([MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, MAX_TIMEOUT_MS, 5]);
    expect(due.calls.allArgs()).toEqual([[far]]);
  });

  it('hears of no early wake-up for the pieces before the last, only for the last', () => {
    // the last piece wakes 300 ms early: that one is reported, the first three are not
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 3 ? -300 : 0));
    const early = jasmine.createSpy('early');
    const due = jasmine.createSpy('due');
    const far = 3 * MAX_TIMEOUT_MS + 1000;
    testScheduler.run(({ flush }) => {
      wakeAt(recording, far, due, early);
      flush();
    });
    expect(early.calls.allArgs()).toEqual([[300]]);
    expect(due.calls.allArgs()).toEqual([[far]]);
  });

  it('waits out a scheduler that wakes early and reports by how much', () => {
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? -300 : 0));
    const due = jasmine.createSpy('due');
    const early = jasmine.createSpy('early');
    testScheduler.run(({ flush }) => {
      wakeAt(recording, 1000, due, early);
      flush();
    });
    expect(early.calls.allArgs()).toEqual([[300]]);
    expect(due.calls.allArgs()).toEqual([[1000]]);
  });

  it('without an onEarly callback, still waits out an early wake-up', () => {
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? -300 : 0));
    const due = jasmine.createSpy('due');
    testScheduler.run(({ flush }) => {
      wakeAt(recording, 1000, due);
      flush();
    });
    expect(due.calls.allArgs()).toEqual([[1000]]);
  });

  it('a time already past is due at once (delay 0)', () => {
    const recording = new RecordingScheduler(testScheduler);
    const due = jasmine.createSpy('due');
    testScheduler.run(({ flush }) => {
      testScheduler.schedule(() => wakeAt(recording, 10, due), 50);
      flush();
    });
    expect(recording.delays).toEqual([0]);
    expect(due.calls.allArgs()).toEqual([[50]]);
  });

  it('on a scheduler that ran the first piece at once (early), unsubscribing cancels the wait it armed', () => {
    const recording = new RecordingScheduler(testScheduler);
    const due = jasmine.createSpy('due');
    const early = jasmine.createSpy('early');
    testScheduler.run(({ flush }) => {
      const wait = wakeAt(new RunsFirstAtOnceScheduler(recording), 1000, due, early);
      expect(early.calls.allArgs()).toEqual([[1000]]);
      expect(recording.live).toBe(1);
      testScheduler.schedule(() => wait.unsubscribe(), 500);
      testScheduler.schedule(() => expect(recording.live).withContext('just after unsubscribing').toBe(0), 501);
      flush();
    });
    expect(due).not.toHaveBeenCalled();
  });

  it('unsubscribing cancels, even between pieces', () => {
    const recording = new RecordingScheduler(testScheduler);
    const due = jasmine.createSpy('due');
    testScheduler.run(({ flush }) => {
      const wait = wakeAt(recording, 2 * MAX_TIMEOUT_MS + 1, due);
      testScheduler.schedule(() => wait.unsubscribe(), MAX_TIMEOUT_MS + 1);
      flush();
    });
    expect(due).not.toHaveBeenCalled();
    expect(recording.live).toBe(0);
    expect(recording.delays.length).toBe(2);
  });
});

describe('offsetScheduler', () => {
  it('reads the base clock plus the epoch and waits on the base', () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const seen: number[] = [];
    testScheduler.run(({ flush }) => {
      const clock = offsetScheduler(testScheduler, '2026-03-02T08:00:00Z');
      expect(clock.now()).toBe(Date.parse('2026-03-02T08:00:00Z'));
      clock.schedule(() => seen.push(clock.now()), 60_000);
      flush();
    });
    expect(seen).toEqual([Date.parse('2026-03-02T08:01:00Z')]);
  });

  it('takes a Date or ms, and names a bad epoch', () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    expect(offsetScheduler(testScheduler, new Date(5000)).now()).toBe(testScheduler.now() + 5000);
    expect(offsetScheduler(testScheduler, 7).now()).toBe(testScheduler.now() + 7);
    expect(() => offsetScheduler(testScheduler, 'next tuesday')).toThrowError(TypeError, /'next tuesday'/);
  });
});
