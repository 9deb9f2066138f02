import fc from 'fast-check';
import { defer, mergeMap, of, throwError, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Backoff } from '../../src/supervisors/backoff.js';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { supervise } from '../../src/supervisors/supervise.js';

interface Outcome {
  /** Virtual times of every subscription after the first: the restarts. */
  restarts: number[];
  /** Virtual times at which a run failed. */
  failures: number[];
  error?: unknown;
  completed: boolean;
}

/**
 * Runs a source that, on its i-th subscription, runs `runs[i]` ms cleanly and then fails
 * with error i; once the runs are used up it completes. All in virtual time.
 */
function simulate(runs: number[], maxRestarts: number, over: number, backoff?: Backoff): Outcome {
  const outcome: Outcome = { restarts: [], failures: [], completed: false };
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(() => {
    let subscriptions = 0;
    const source: Observable<never> = defer(() => {
      const i = subscriptions++;
      if (i > 0) outcome.restarts.push(scheduler.now());
      const length = runs[i];
      if (length === undefined) return of();
      return timer(length).pipe(mergeMap(() => {
        outcome.failures.push(scheduler.now());
        return throwError(() => i);
      }));
    });
    source.pipe(supervise({ maxRestarts, over, backoff, scheduler })).subscribe({
      error: (err: unknown) => { outcome.error = err; },
      complete: () => { outcome.completed = true; },
    });
  });
  return outcome;
}

/** The most restarts found in any half-open span [t, t + over). */
function busiestWindow(restarts: number[], over: number): number {
  return Math.max(0, ...restarts.map((t) => restarts.filter((r) => r >= t && r < t + over).length));
}

const runsArb = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 });
const maxRestartsArb = fc.integer({ min: 0, max: 5 });
const overArb = fc.integer({ min: 1, max: 80 });
const backoffArb: fc.Arbitrary<Backoff> = fc.record({
  initial: fc.integer({ min: 0, max: 60 }),
  extra: fc.integer({ min: 0, max: 40 }),
  factor: fc.double({ min: 1, max: 3, noNaN: true }),
  jitter: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  resetAfter: fc.integer({ min: 0, max: 50 }),
  draws: fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 10 }),
}).map(({ initial, extra, factor, jitter, resetAfter, draws }) => {
  let n = 0;
  return { initial, max: initial + extra, factor, jitter, resetAfter, random: () => draws[n++ % draws.length]! };
});

describe('supervise (properties, virtual time)', () => {
  it('never restarts more than maxRestarts times in any window of `over`', () => {
    fc.assert(fc.property(runsArb, maxRestartsArb, overArb, fc.option(backoffArb, { nil: undefined }),
      (runs, maxRestarts, over, backoff) => {
        const { restarts } = simulate(runs, maxRestarts, over, backoff);
        expect(busiestWindow(restarts, over)).toBeLessThanOrEqual(maxRestarts);
      }), { numRuns: 1000 });
  });

  it('ends either complete, after every run, or with MaxRestartsExceeded caused by the last failure', () => {
    fc.assert(fc.property(runsArb, maxRestartsArb, overArb, fc.option(backoffArb, { nil: undefined }),
      (runs, maxRestarts, over, backoff) => {
        const outcome = simulate(runs, maxRestarts, over, backoff);
        if (outcome.completed) {
          expect(outcome.restarts.length).toBe(runs.length);
          expect(outcome.error).toBeUndefined();
        } else {
          expect(outcome.error).toBeInstanceOf(MaxRestartsExceeded);
          expect((outcome.error as MaxRestartsExceeded).cause).toBe(outcome.failures.length - 1);
          expect(outcome.restarts.length).toBe(outcome.failures.length - 1);
        }
      }));
  });

  it('without backoff, restarts at once whenever the window has room (no more cautious than OTP)', () => {
    fc.assert(fc.property(runsArb, maxRestartsArb, overArb, (runs, maxRestarts, over) => {
      const outcome = simulate(runs, maxRestarts, over);
      // A reference model: a failure at t is restarted at t iff fewer than maxRestarts
      // restarts happened in (t - over, t].
      const expected: number[] = [];
      let gaveUp = false;
      let now = 0;
      for (const length of runs) {
        now += length;
        if (expected.filter((r) => r > now - over).length >= maxRestarts) {
          gaveUp = true;
          break;
        }
        expected.push(now);
      }
      expect(outcome.restarts).toEqual(expected);
      expect(outcome.completed).toBe(!gaveUp);
    }));
  });
});
