import { take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { offsetScheduler } from '../../src/testing/virtual-clock.js';
import { cron$ } from '../../src/time/cron.js';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';
import { RecordingScheduler } from './schedulers.js';

const at = (iso: string): Date => new Date(iso);
/** Virtual ms from `from` to `to`. */
const gap = (from: string, to: string): number => Date.parse(to) - Date.parse(from);

describe('cron$ (virtual time)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('fires once at Monday 09:00 in Europe/Paris (08:00 UTC in winter)', () => {
    const start = '2026-03-02T07:59:00Z'; // a Monday
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      const runs = cron$('0 9 * * 1', { timezone: 'Europe/Paris', scheduler: clock }).pipe(take(2));
      const first = gap(start, '2026-03-02T08:00:00Z');
      const week = 7 * 86_400_000;
      expectObservable(runs).toBe(`${first}ms a ${week - 1}ms (b|)`, {
        a: at('2026-03-02T08:00:00Z'),
        b: at('2026-03-09T08:00:00Z'),
      });
    });
  });

  it('reads the same expression in another zone (America/New_York: 14:00 UTC)', () => {
    const start = '2026-03-02T07:59:00Z';
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      const runs = cron$('0 9 * * 1', { timezone: 'America/New_York', scheduler: clock }).pipe(take(1));
      expectObservable(runs).toBe(`${gap(start, '2026-03-02T14:00:00Z')}ms (a|)`, { a: at('2026-03-02T14:00:00Z') });
    });
  });

  it('defaults to UTC', () => {
    const start = '2026-03-02T07:59:00Z';
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      expectObservable(cron$('0 9 * * 1', { scheduler: clock }).pipe(take(1))).toBe(
        `${gap(start, '2026-03-02T09:00:00Z')}ms (a|)`,
        { a: at('2026-03-02T09:00:00Z') },
      );
    });
  });

  it('takes six fields, seconds first', () => {
    const start = '2026-03-02T08:00:00Z';
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      expectObservable(cron$('*/15 * * * * *', { scheduler: clock }).pipe(take(3))).toBe(
        '15000ms a 14999ms b 14999ms (c|)',
        { a: at('2026-03-02T08:00:15Z'), b: at('2026-03-02T08:00:30Z'), c: at('2026-03-02T08:00:45Z') },
      );
    });
  });

  it('spring forward (Paris, 29 March 2026): the 02:30 run moves to 03:30 that day, once', () => {
    const start = '2026-03-28T00:00:00Z';
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      const runs = cron$('30 2 * * *', { timezone: 'Europe/Paris', scheduler: clock }).pipe(take(3));
      const a = '2026-03-28T01:30:00Z'; // 02:30 CET
      const b = '2026-03-29T01:30:00Z'; // 02:30 does not exist: 03:30 CEST
      const c = '2026-03-30T00:30:00Z'; // 02:30 CEST
      expectObservable(runs).toBe(`${gap(start, a)}ms a ${gap(a, b) - 1}ms b ${gap(b, c) - 1}ms (c|)`, {
        a: at(a),
        b: at(b),
        c: at(c),
      });
    });
  });

  it('fall back (Paris, 25 October 2026): a run in the repeated hour fires once, at its first occurrence', () => {
    const start = '2026-10-24T00:00:00Z';
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      const runs = cron$('30 2 * * *', { timezone: 'Europe/Paris', scheduler: clock }).pipe(take(3));
      const a = '2026-10-24T00:30:00Z'; // 02:30 CEST
      const b = '2026-10-25T00:30:00Z'; // 02:30 CEST, first of the two 02:30s
      const c = '2026-10-26T01:30:00Z'; // 02:30 CET, the next day (not 01:30Z on the 25th)
      expectObservable(runs).toBe(`${gap(start, a)}ms a ${gap(a, b) - 1}ms b ${gap(b, c) - 1}ms (c|)`, {
        a: at(a),
        b: at(b),
        c: at(c),
      });
    });
  });

  it('fall back: a wake-up that comes late, inside the repeated hour, does not fire that hour again', () => {
    const start = '2026-10-24T23:00:00Z';
    // the first wait (to 00:30Z) wakes 50 minutes late: 01:20Z is 02:20 CET, before the second 02:30
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 50 * 60_000 : 0));
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(recording, start);
      const runs = cron$('30 2 * * *', { timezone: 'Europe/Paris', scheduler: clock }).pipe(take(2));
      const late = gap(start, '2026-10-25T01:20:00Z');
      const next = gap('2026-10-25T01:20:00Z', '2026-10-26T01:30:00Z');
      expectObservable(runs).toBe(`${late}ms a ${next - 1}ms (b|)`, {
        a: at('2026-10-25T00:30:00Z'),
        b: at('2026-10-26T01:30:00Z'),
      });
    });
  });

  it('hourly jobs keep to elapsed time across the repeated hour (New York, 1 November 2026)', () => {
    const start = '2026-11-01T04:30:00Z'; // 00:30 EDT
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      const runs = cron$('0 * * * *', { timezone: 'America/New_York', scheduler: clock }).pipe(take(3));
      const hour = 3_600_000;
      // 01:00 EDT, 01:00 EST, 02:00 EST: one real hour apart
      expectObservable(runs).toBe(`${30 * 60_000}ms a ${hour - 1}ms b ${hour - 1}ms (c|)`, {
        a: at('2026-11-01T05:00:00Z'),
        b: at('2026-11-01T06:00:00Z'),
        c: at('2026-11-01T07:00:00Z'),
      });
    });
  });

  it('a yearly job waits the whole time, in pieces setTimeout can honour', () => {
    const start = '2026-06-15T12:00:00Z';
    const recording = new RecordingScheduler(testScheduler);
    const wait = gap(start, '2027-01-01T00:00:00Z');
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(recording, start);
      const runs = cron$('0 0 1 1 *', { scheduler: clock }).pipe(take(1));
      expectObservable(runs).toBe(`${wait}ms (a|)`, { a: at('2027-01-01T00:00:00Z') });
    });
    expect(wait).toBeGreaterThan(MAX_TIMEOUT_MS);
    expect(recording.delays.every((delay) => delay <= MAX_TIMEOUT_MS)).toBeTrue();
    expect(recording.delays.reduce((sum, delay) => sum + delay, 0)).toBe(wait);
  });

  it('after a stall, the due run is emitted once (late) and the missed ones are skipped', () => {
    const start = '2026-03-02T08:00:00Z';
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 3.5 * 60_000 : 0));
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(recording, start);
      const runs = cron$('* * * * *', { scheduler: clock }).pipe(take(2));
      // due 08:01, woke 08:04:30, next 08:05
      expectObservable(runs).toBe(`${4.5 * 60_000}ms a ${30_000 - 1}ms (b|)`, {
        a: at('2026-03-02T08:01:00Z'),
        b: at('2026-03-02T08:05:00Z'),
      });
    });
  });

  it('after a stall that ends exactly on a run time, that run counts as missed, as one at the start would', () => {
    const start = '2026-03-02T08:00:00Z';
    const recording = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 60_000 : 0));
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(recording, start);
      const runs = cron$('* * * * *', { scheduler: clock }).pipe(take(2));
      // due 08:01, woke 08:02:00 sharp: 08:01 is emitted late, 08:02 is skipped, 08:03 next
      expectObservable(runs).toBe(`${2 * 60_000}ms a ${60_000 - 1}ms (b|)`, {
        a: at('2026-03-02T08:01:00Z'),
        b: at('2026-03-02T08:03:00Z'),
      });
    });
  });

  it('a run exactly at the start is not fired: the next is strictly after now', () => {
    const start = '2026-03-02T09:00:00Z';
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(testScheduler, start);
      expectObservable(cron$('0 9 * * *', { scheduler: clock }).pipe(take(1))).toBe(`${86_400_000}ms (a|)`, {
        a: at('2026-03-03T09:00:00Z'),
      });
    });
  });

  it('errors at subscription when cron-parser finds no first run, and arms no wait', () => {
    const end = 8.64e15;
    const recording = new RecordingScheduler(testScheduler);
    const seen: string[] = [];
    testScheduler.run(({ flush }) => {
      const clock = offsetScheduler(recording, end - 30_000);
      cron$('* * * * *', { scheduler: clock }).subscribe({
        next: (run) => seen.push(run.toISOString()),
        error: () => seen.push('error'),
      });
      flush();
    });
    expect(seen).toEqual(['error']);
    expect(recording.delays).toEqual([]);
  });

  it('unsubscribing cancels the wait at once', () => {
    const recording = new RecordingScheduler(testScheduler);
    testScheduler.run(({ flush }) => {
      const clock = offsetScheduler(recording, '2026-03-02T08:00:00Z');
      const subscription = cron$('0 9 * * *', { scheduler: clock }).subscribe();
      testScheduler.schedule(() => subscription.unsubscribe(), 1000);
      testScheduler.schedule(() => expect(recording.live).withContext('just after unsubscribing').toBe(0), 1001);
      flush();
    });
  });

  it('errors when cron-parser finds no next run (past the last date a Date holds), leaving no wait', () => {
    // Date's range ends at 8.64e15 ms (+275760-09-13): the run a minute before it is the
    // last one cron-parser computes; looking for the next one throws, and cron$ gives that
    // error to the subscriber instead of throwing it out of the scheduler.
    const end = 8.64e15;
    const recording = new RecordingScheduler(testScheduler);
    const seen: Array<number | string> = [];
    testScheduler.run(({ flush }) => {
      const clock = offsetScheduler(recording, end - 150_000);
      cron$('* * * * *', { scheduler: clock }).subscribe({
        next: (run) => seen.push(run.getTime() - end),
        error: (error: unknown) => seen.push(`error at ${testScheduler.now()}: ${(error as Error).message}`),
      });
      flush();
    });
    expect(seen).toEqual([-120_000, -60_000, jasmine.stringMatching(/^error at 90000: ./) as unknown as string]);
    expect(recording.live).toBe(0);
  });

  it('unsubscribing leaves no wait behind', () => {
    const recording = new RecordingScheduler(testScheduler);
    testScheduler.run(({ expectObservable }) => {
      const clock = offsetScheduler(recording, '2026-03-02T08:00:00Z');
      expectObservable(cron$('0 0 1 1 *', { scheduler: clock }), '^ 1000ms !').toBe('');
    });
    expect(recording.live).toBe(0);
  });
});
