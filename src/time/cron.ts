import { CronExpressionParser } from 'cron-parser';
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { wakeAt } from './wake-at.js';

/** Options of {@link cron$}. */
export interface CronOptions {
  /** The IANA time zone the cron fields are read in (default `'UTC'`). */
  timezone?: string;
  /** Where the time comes from and the waits happen (default `asyncScheduler`). */
  scheduler?: SchedulerLike;
}

/**
 * Checks a cron expression (five fields, or six with seconds first) and an IANA time
 * zone, throwing a TypeError that names the bad one. `@crontab` calls it when the
 * class is defined, {@link cron$} when it is called.
 *
 * @example
 * validateCron('0 9 * * 1', 'Europe/Paris'); // fine
 * validateCron('0 9 * *', 'UTC');            // TypeError: invalid cron expression: '0 9 * *' ...
 * validateCron('0 9 * * 1', 'Mars/Olympus'); // TypeError: invalid cron timezone: 'Mars/Olympus' ...
 */
export function validateCron(expression: string, timezone = 'UTC'): void {
  if (typeof timezone !== 'string' || !isTimeZone(timezone)) {
    throw new TypeError(`invalid cron timezone: ${quote(timezone)} (expected an IANA zone such as 'Europe/Paris')`);
  }
  // A blank expression splits into one (empty) field, so the field count refuses it too.
  const fields = typeof expression === 'string' ? expression.trim().split(/\s+/).length : 0;
  if (typeof expression !== 'string' || (!expression.trim().startsWith('@') && fields < 5)) {
    throw new TypeError(`invalid cron expression: ${quote(expression)} (expected 5 fields, or 6 with seconds first)`);
  }
  try {
    // next() surfaces the errors that only show when a date is looked for.
    CronExpressionParser.parse(expression, { currentDate: new Date(0), tz: timezone }).next();
  } catch (error) {
    throw new TypeError(`invalid cron expression: ${quote(expression)} (${(error as Error).message})`, { cause: error });
  }
}

/**
 * The first run time of `expression` strictly after `after` (ms since 1970), in ms.
 *
 * @example
 * new Date(nextCronRun('0 9 * * 1', 'Europe/Paris', Date.UTC(2026, 2, 1))).toISOString();
 * // '2026-03-02T08:00:00.000Z' (09:00 in Paris)
 */
export function nextCronRun(expression: string, timezone: string, after: number): number {
  // cron-parser gives up ("loop limit exceeded") around some changes of zones whose
  // daylight saving moves by half an hour (Australia/Lord_Howe): look again from half an
  // hour later, for up to two days, before letting its error through.
  let from = after;
  for (let attempt = 0; ; attempt++) {
    try {
      const next = CronExpressionParser.parse(expression, { currentDate: new Date(from), tz: timezone }).next().getTime();
      if (next > after) return next;
      from = next;
    } catch (error) {
      if (attempt >= 96 || !String((error as Error)?.message).includes('loop limit')) throw error;
      from += HALF_HOUR_MS;
    }
  }
}

const HALF_HOUR_MS = 30 * 60_000;

/**
 * The run times of a cron schedule, as an Observable of Dates: each is emitted when the
 * scheduler's clock reaches it, and the value is the scheduled time (not the moment of
 * waking). The first run is computed from `scheduler.now()`, each next one from the
 * previous run, so a run time is emitted once. After a stall, the run that was due is
 * emitted (late) once and the runs missed meanwhile are skipped. Waits of any length are honoured (a yearly job sleeps the whole year).
 *
 * Daylight saving (cron-parser's behaviour, in the given zone): a run whose wall-clock
 * time falls in the skipped hour happens one hour later (02:30 becomes 03:30) on that
 * day; a run in the repeated hour happens once, at the first occurrence. Expressions
 * that run every hour or more often keep running every real hour, so they see the
 * repeated hour twice, as elapsed time says they should.
 *
 * @throws TypeError when the expression or the zone is invalid, at call time.
 *
 * @example
 * cron$('0 9 * * 1', { timezone: 'Europe/Paris' }).subscribe((at) => console.log('weekly report due', at));
 */
export function cron$(expression: string, options: CronOptions = {}): Observable<Date> {
  const timezone = options.timezone ?? 'UTC';
  validateCron(expression, timezone);
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<Date>((subscriber) => {
    let last = -Infinity;
    let pending: Subscription | undefined;
    const armNext = (): void => {
      let at: number;
      try {
        // Stepping from the last run (not from now) keeps a late wake-up inside a repeated
        // DST hour from finding that hour's second occurrence; runs missed during a
        // stall are skipped by stepping from now instead.
        const now = scheduler.now();
        at = last === -Infinity ? nextCronRun(expression, timezone, now) : nextCronRun(expression, timezone, last);
        if (at <= now) at = nextCronRun(expression, timezone, now);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      pending = wakeAt(scheduler, at, () => {
        last = at;
        subscriber.next(new Date(at));
        if (!subscriber.closed) armNext();
      });
    };
    armNext();
    return () => pending?.unsubscribe();
  });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
