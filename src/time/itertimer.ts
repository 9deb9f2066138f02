import type { Observable } from 'rxjs';
import { until } from '../observable/until.js';
import type { Service } from '../service/service.js';
import type { Duration } from './duration.js';
import { Timer, type TimerOptions } from './timer.js';

/**
 * A {@link Timer} on the service's scheduler that completes when the service stops (at
 * once if it already must). `Service.prototype.itertimer` calls it.
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
  const ticks = new Timer(interval, { logger: () => service.log, ...options, scheduler: options.scheduler ?? service.scheduler });
  return ticks.pipe(until(service.stopped$));
}
