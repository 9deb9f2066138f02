import { Observable, type Subscription } from 'rxjs';
import { until } from '../observable/until.js';
import type { Service } from '../service/service.js';
import { outsideWork } from '../service/work-scope.js';
import type { Duration } from './duration.js';
import { dueTick, nextFreeTick, nextWaitEnd, tickSettings, timerLogger, warnDrift, warnOverlap } from './tick-grid.js';
import type { TimerOptions } from './timer.js';
import { type GroupWaiter, groupsOn } from './wait-groups.js';
import { wakeAt } from './wake-at.js';

/**
 * Ticks as a {@link Timer} with the same options would (tick `k` at `k * interval` after
 * the subscription, the same drift correction, skipped slots and warnings, on the
 * service's logger unless given one), on the service's scheduler, and completes when the
 * service stops (at once if it already must). `Service.prototype.itertimer` calls it.
 *
 * It is not a Timer, whose bodies, counters and own wake-ups `@timer` needs: every Service
 * carries this method, and the Timer made a bundle of `import { Service }` 840 bytes
 * gzipped larger (scripts/size.mjs). The rules both follow are in `tick-grid.ts`; on
 * `asyncScheduler` both wait in the groups of the waits due together (`wait-groups.ts`),
 * and both tick as nobody's work. It has no counters to read.
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
  const groups = groupsOn(scheduler);
  const ticks = new Observable<number>((subscriber) => {
    const epoch = scheduler.now();
    const clock = (): number => scheduler.now() - epoch;
    // How long the last tick's delivery took (a synchronous consumer), for the drift warning.
    let runtime = 0;
    let nextTick = 1;
    // The current wait, on the clock since `epoch`: when it ends, and when it began.
    let at = settings.interval;
    let armedAt = 0;
    let pending: Subscription | undefined;
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
    const tick = (): void => {
      const now = clock();
      // Late, on time (a drift of 0, never past a threshold), or early: a shared wait's
      // native timer may fire a little before its moment on this clock, and the rest is
      // waited out.
      noteDrift(now - at, now - armedAt);
      if (now < at) return arm(now);
      const due = dueTick(nextTick, now, settings.interval);
      const after = deliver(due, now);
      if (subscriber.closed) return;
      nextTick = nextFreeTick(due, after, settings.interval);
      if (nextTick > due + 1) {
        warnOverlap(timerLogger(logger), settings.name, settings.interval, nextTick - due - 1, after - now);
      }
      at = nextWaitEnd(nextTick, now, settings.interval, settings.maxDriftCorrection);
      armedAt = after;
      arm(after);
    };
    // On `asyncScheduler` in Node the loop waits in the group of the waits due at its
    // moment (a Timer's, a sleep's): one native timer for them all. 1,000 itertimers at
    // 100 ms, CPU a tick: 0.86 to 0.97 µs (Node 20) and 1.3 to 1.5 (Node 24), as RxJS's
    // interval; with a wait of its own each (`wakeAt`, as in a browser), 2.0 to 2.7 and
    // 3.4 to 3.7. A group wakes its waiters as nobody's work (`wakeGroupWork`, the Timer's
    // work); a wait of its own is woken so here: where tasks are followed across awaits,
    // its native timer keeps the async context it was made in, and a tick must not pass
    // for that work.
    const waiter: GroupWaiter = { group: undefined, wake: tick };
    /** Waits from `now` until `at`. */
    const arm = (now: number): void => {
      if (groups?.wait(waiter, scheduler, epoch + at, at - now)) return;
      const seq = ++armed;
      const wait = wakeAt(scheduler, epoch + at, () => outsideWork(tick), (earlyBy) => noteDrift(-earlyBy, clock() - armedAt));
      if (armed === seq) pending = wait;
    };
    if (settings.execFirst) {
      armedAt = deliver(0, 0);
      if (subscriber.closed) return;
    }
    arm(armedAt);
    return () => {
      waiter.group?.leave(waiter);
      pending?.unsubscribe();
    };
  });
  return ticks.pipe(until(service.stopped$));
}
