import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/**
 * A scheduler that waits on `base` but whose clock reads `epoch` later: `now()` is
 * `base.now() + epoch`. Under `TestScheduler.run`, virtual time starts at 0 (1970), so
 * this is how a test puts virtual time at a real date, e.g. just before a cron job.
 *
 * @param epoch what `now()` reads when `base.now()` is 0: a Date, ms since 1970, or an
 * ISO string.
 *
 * @example
 * testScheduler.run(({ expectObservable }) => {
 *   const clock = offsetScheduler(testScheduler, '2026-03-02T07:59:00Z');
 *   // Monday 09:00 in Paris is 08:00 UTC: one virtual minute after the start
 *   expectObservable(cron$('0 9 * * 1', { timezone: 'Europe/Paris', scheduler: clock }).pipe(take(1)))
 *     .toBe('60000ms (a|)', { a: new Date('2026-03-02T08:00:00Z') });
 * });
 */
export function offsetScheduler(base: SchedulerLike, epoch: Date | number | string): SchedulerLike {
  const offset = epochMs(epoch);
  return {
    now: () => base.now() + offset,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      return base.schedule(work, delay, state);
    },
  };
}

function epochMs(epoch: Date | number | string): number {
  const ms = epoch instanceof Date ? epoch.getTime() : typeof epoch === 'string' ? Date.parse(epoch) : epoch;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new TypeError(`invalid epoch: ${typeof epoch === 'string' ? `'${epoch}'` : String(epoch)} (expected a Date, ms or an ISO date)`);
  }
  return ms;
}
