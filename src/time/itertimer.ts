import { Observable, type Subscription } from 'rxjs';
import { until } from '../observable/until.js';
import type { Service } from '../service/service.js';
import type { Duration } from './duration.js';
import { dueTick, nextFreeTick, nextWaitEnd, tickSettings, timerLogger, warnDrift, warnOverlap } from './tick-grid.js';
import type { TimerOptions } from './timer.js';
import { wakeAt } from './wake-at.js';

/**
 * Ticks as a {@link Timer} with the same options would (tick `k` at `k * interval` after
 * the subscription, the same drift correction, skipped slots and warnings, on the
 * service's logger unless given one), on the service's scheduler, and completes when the
 * service stops (at once if it already must). `Service.prototype.itertimer` calls it.
 *
 * It is not a Timer: it has no counters to read, and each subscription waits on its own
 * (a Timer's ticks due together share one native timer). Every Service carries this
 * method, and the Timer would make a bundle of `import { Service }` 863 bytes gzipped larger
 * (scripts/size.mjs); the rules both follow are in `tick-grid.ts`.
 *
 * @example
 * ```ts
 * class Poller extends Service {
 *   @task poll() {
 *     return itertimer(this, '5s', { name: 'poll' }).pipe(concatMap(() => this.fetch()));
 *   }
 * }
 * ```
 */
export function itertimer(service: Service, interval: Duration, options: TimerOptions = {}): Observable<number> {
  const settings = tickSettings(interval, options);
  const scheduler = options.scheduler ?? service.scheduler;
  const logger = options.logger ?? (() => service.log);
  const ticks = new Observable<number>((subscriber) => {
    const epoch = scheduler.now();
    const clock = (): number => scheduler.now() - epoch;
    // How long the last tick's delivery took (a synchronous consumer), for the drift warning.
    let runtime = 0;
    let wait: Subscription | undefined;
    // Counts the waits armed, so that a wait armed from inside a scheduler that ran the
    // previous one at once (inside `schedule`) is the one kept, not that finished one.
    let armed = 0;
    const noteDrift = (drift: number, slept: number): void => {
      if (settings.logDrift && Math.abs(drift) > settings.driftThreshold) {
        warnDrift(timerLogger(logger), settings.name, drift, runtime, slept);
      }
    };
    /** Emits tick `k`, woken at `wokeAt`; returns the time after. */
    const deliver = (k: number, wokeAt: number): number => {
      subscriber.next(k);
      const after = clock();
      runtime = after - wokeAt;
      return after;
    };
    /** Waits for tick `nextTick`, until `at`, from `armedAt`. */
    const arm = (nextTick: number, at: number, armedAt: number): void => {
      const seq = ++armed;
      const pending = wakeAt(
        scheduler,
        epoch + at,
        (woke) => {
          const now = woke - epoch;
          // On time is a drift of 0, never past a threshold: no test needed.
          noteDrift(now - at, now - armedAt);
          const due = dueTick(nextTick, now, settings.interval);
          const after = deliver(due, now);
          if (subscriber.closed) return;
          const next = nextFreeTick(due, after, settings.interval);
          if (next > due + 1) warnOverlap(timerLogger(logger), settings.name, settings.interval, next - due - 1, after - now);
          arm(next, nextWaitEnd(next, now, settings.interval, settings.maxDriftCorrection), after);
        },
        (earlyBy) => noteDrift(-earlyBy, clock() - armedAt),
      );
      if (armed === seq) wait = pending;
    };
    let now = 0;
    if (settings.execFirst) {
      now = deliver(0, 0);
      if (subscriber.closed) return;
    }
    arm(1, settings.interval, now);
    return () => wait?.unsubscribe();
  });
  return ticks.pipe(until(service.stopped$));
}
