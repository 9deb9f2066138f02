import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { type Duration, toMs } from './duration.js';
import { wakeAt } from './wake-at.js';

/**
 * The one way rxmode waits a length of time: emits `0` once `duration` has passed on
 * `scheduler`, then completes, like RxJS `timer(ms, scheduler)`, but a wait of any
 * length lasts its full time. `setTimeout` (under `asyncScheduler`) turns a delay past
 * 2^31-1 ms (24.8 days) into 1 ms; here such a wait is made in pieces, and a scheduler
 * that wakes early is waited out, so it never ends before its time.
 * Sleeps, `wait` timeouts, supervisors' backoff, a flight recorder's timeout, a
 * ServiceThread's stop and a Worker's exit grace all wait through it.
 *
 * The time is measured from the subscription; unsubscribing cancels the wait. A bad
 * duration throws a TypeError when called.
 *
 * @example
 * // Runs in 30 days, not in 1 ms as `timer(30 * 86_400_000)` would on setTimeout.
 * longTimer('30d').subscribe(() => renewCertificate());
 */
export function longTimer(duration: Duration, scheduler: SchedulerLike = asyncScheduler): Observable<0> {
  const ms = toMs(duration);
  return new Observable<0>((subscriber) =>
    wakeAt(scheduler, scheduler.now() + ms, () => {
      subscriber.next(0);
      subscriber.complete();
    }),
  );
}
