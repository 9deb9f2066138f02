import {
  asyncScheduler, defer, of, retry, throwError,
  type MonoTypeOperatorFunction, type Observable, type SchedulerLike,
} from 'rxjs';
import type { Duration } from '../time/duration.js';
import { longTimer } from '../time/long-timer.js';
import { backoffDelay, resolveBackoff, type Backoff } from './backoff.js';
import { MaxRestartsExceeded } from './max-restarts-exceeded.js';
import { RestartWindow } from './restart-window.js';

/** Options of {@link supervise}. */
export interface SuperviseOptions {
  /** How many restarts `over` may hold (a whole number >= 0, or Infinity). */
  maxRestarts: number;
  /** The length of the sliding window (> 0). */
  over: Duration;
  /** Wait before each restart; without it, restarts are immediate. */
  backoff?: Backoff;
  /** Where time comes from and waits happen (default `asyncScheduler`). */
  scheduler?: SchedulerLike;
}

/**
 * Restarts (resubscribes to) the source when it errors, as long as fewer than
 * `maxRestarts` restarts happened within the last `over` (OTP's MaxR/MaxT, a sliding
 * window). Past that it errors with {@link MaxRestartsExceeded}, whose `cause` is the
 * error it did not restart from.
 *
 * With `backoff`, each restart waits its delay on `scheduler` first, and a restart counts
 * against the window from the moment it happens. Time is `scheduler.now()`, so
 * `TestScheduler.run` drives it all in virtual time. Each subscriber has its own budget.
 *
 * Bad options throw at once: a RangeError for a negative or fractional `maxRestarts` or
 * an empty `over`, a TypeError for a value that is no duration.
 *
 * @example
 * connect$.pipe(
 *   supervise({ maxRestarts: 5, over: '1m', backoff: { initial: '100ms', max: '10s' } }),
 * ).subscribe({ error: (err) => log.error(err, 'gave up') });
 */
export function supervise<T>(options: SuperviseOptions): MonoTypeOperatorFunction<T> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`invalid supervise options: ${String(options)} (expected { maxRestarts, over })`);
  }
  const { maxRestarts, over } = options;
  // Checked here so that a mistake shows where the pipeline is built.
  new RestartWindow(maxRestarts, over);
  const backoff = options.backoff === undefined ? undefined : resolveBackoff(options.backoff);
  const scheduler = options.scheduler ?? asyncScheduler;

  return (source: Observable<T>) => defer(() => {
    const budget = new RestartWindow(maxRestarts, over);
    let attempt = 0;
    let runningSince = scheduler.now();
    const run = defer(() => {
      runningSince = scheduler.now();
      return source;
    });
    return run.pipe(retry({
      delay: (error: unknown) => {
        const now = scheduler.now();
        if (backoff !== undefined && now - runningSince >= backoff.resetAfterMs) attempt = 0;
        attempt += 1;
        const wait = backoff === undefined ? 0 : backoffDelay(backoff, attempt);
        if (!budget.tryRecord(now + wait)) {
          return throwError(() => new MaxRestartsExceeded(
            `more than ${String(maxRestarts)} restarts within ${budget.overMs}ms`, { cause: error },
          ));
        }
        return wait > 0 ? longTimer(wait, scheduler) : of(0);
      },
    }));
  });
}
