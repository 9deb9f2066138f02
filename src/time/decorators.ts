import { exhaustMap, isObservable, Observable, tap } from 'rxjs';
import { CORE } from '../service/core.js';
import { declareWork } from '../service/declare.js';
import { isPromiseLike } from '../service/hook-result.js';
import type { PendingWork, Run } from '../service/run.js';
import type { Service } from '../service/service.js';
import { followWork, invokeWork, reportWorkError, subscribeWork } from '../service/work.js';
import { boundWork, runSyncPart, tasksFollowedAcrossAwaits } from '../service/work-scope.js';
import { cron$, validateCron } from './cron.js';
import { type Duration, toMs } from './duration.js';
import { toIntervalMs } from './interval.js';
import { driveTimer } from './drive.js';
import { Timer } from './timer.js';

/** Options of {@link timer}. */
export interface TimerDecoratorOptions {
  /** Also run the method once at start, before the first interval. */
  execFirst?: boolean;
  /** The key in `service.timers` and the name in log lines (default: the method name). */
  name?: string;
  /** How much one wait may be shortened to catch up (default 100 ms). */
  maxDriftCorrection?: Duration;
}

/** Options of {@link crontab}. */
export interface CrontabOptions {
  /** The IANA zone the cron fields are read in (default `'UTC'`). */
  timezone?: string;
}

type Method<This> = (this: This, signal: AbortSignal) => unknown;

/**
 * Runs the method every `interval` while the service runs, on the service's scheduler,
 * with the drift correction of {@link Timer}; the first run comes one interval after
 * start (or at once too, with `execFirst`). On `asyncScheduler` in real time, the
 * `@timer`s started in one run of code within 10 ms of each other share the first one's
 * start, and so their wake-ups: their first run comes up to 10 ms sooner. The method
 * gets the service's AbortSignal; a Promise or Observable it returns is waited for, and a
 * tick that falls while it is still running is skipped and counted in `overlaps` (never
 * two runs at once). An error crashes the service. The stop ends the timer at once.
 * `service.timers.get(name)` is the Timer, for its counters. A bad interval throws when
 * the class is defined. The method is the one the service has when it starts (as for
 * `@task`): one put on the instance while it runs is called from the next start on.
 *
 * @example
 * class Metrics extends Service {
 *   @timer('10s', { execFirst: true })
 *   async flush() { await sendMetrics(); }
 * }
 * // later: metrics.timers.get('flush')?.overlaps
 */
export function timer(interval: Duration, options: TimerDecoratorOptions = {}) {
  const intervalMs = toIntervalMs(interval, 'timer interval');
  const maxDriftCorrection = toMs(options.maxDriftCorrection ?? 100);
  return function <This extends Service>(_method: Method<This>, context: ClassMethodDecoratorContext<This>): void {
    const method = String(context.name);
    const name = options.name ?? method;
    declareWork(context, (service) => {
      const ticks = new Timer(intervalMs, {
        name: `${service.label}.${name}`,
        maxDriftCorrection,
        scheduler: service.scheduler,
        execFirst: options.execFirst ?? false,
        logger: () => service.log, // made only if the timer ever has something to say
      });
      service.registerTimer(name, ticks);
      // One PendingWork for every run of this start: the runs never overlap, and a fresh
      // start calls this factory again. A tick makes nothing unless the method returns a
      // Promise or an Observable to follow (W3: CPU per tick, see docs/performance.md).
      const work: PendingWork = { name: `${service.label}.${method}`, kind: 'timer', origin: NO_ORIGIN, owner: service };
      // The method as it is at this start, like a @task's: looked up by name at each tick,
      // it was a megamorphic load on W3's class of 1,000 methods (4 % of a tick's samples in
      // perf). `call` is made here, not by a helper, so that it shares one closure context
      // with the tick's body below: one object fewer for a tick to touch.
      const fn = (service as unknown as Record<string, Method<Service>>)[method]!;
      const call = fn.length > 0 ? () => fn.call(service, service.signal) : () => (fn as (this: Service) => unknown).call(service);
      const run = service[CORE].run; // this start's run: it holds the timer until it stops
      // Only a method whose ticks return a Promise leaves continuations the stop waits for,
      // so only its ticks enter the async context (where tasks are followed across awaits,
      // Node 24): an `async` method's from the first, any other's from the tick after its
      // first Promise. The others mark only their synchronous part (runSyncPart): W3 on Node
      // 24, see there. The context is made once, and a tick only enters it (9.4 against 5.0
      // µs a tick, W3 on Node 24); at the start for an `async` method, else with the first
      // Promise, in the tick's own context, which its earlier ticks already ran in. A
      // synchronous method's timer makes none: W5 on Node 24, 2,092 to 1,587 bytes a service.
      // `enter`, once made, says the ticks are followed.
      let enter = tasksFollowedAcrossAwaits && isAsyncFunction(fn) ? boundWork(work) : undefined;
      // driveTimer, not subscribeWork(ticks.run(...)): the service ignores what the ticks
      // emit, so no subscriber stands between the timer and the method.
      return driveTimer(
        ticks,
        () => {
          const result = enter ? enter(call) : runSyncPart(work, call);
          if (!isPromiseLike(result) && !isObservable(result)) return result;
          if (!enter && tasksFollowedAcrossAwaits && isPromiseLike(result)) enter = boundWork(work);
          return followed(service, run, work, result);
        },
        (error) => reportWorkError(service, error),
      );
    });
  };
}

/**
 * Runs the method at the times of a cron expression (five fields, or six with seconds
 * first) in an IANA time zone (default UTC), on the service's scheduler, as
 * {@link cron$} computes them (see there for daylight-saving behaviour). A run still
 * going at the next run time makes that one skipped, with a warning. An error crashes
 * the service. A malformed expression or unknown zone throws a TypeError naming it when
 * the class is defined.
 *
 * @example
 * class Reports extends Service {
 *   @crontab('0 9 * * 1', { timezone: 'Europe/Paris' })
 *   async weekly() { await sendWeeklyReport(); }
 * }
 */
export function crontab(expression: string, options: CrontabOptions = {}) {
  const timezone = options.timezone ?? 'UTC';
  validateCron(expression, timezone);
  return function <This extends Service>(_method: Method<This>, context: ClassMethodDecoratorContext<This>): void {
    const method = String(context.name);
    declareWork(context, (service) => {
      let running = false;
      const runs$ = cron$(expression, { timezone, scheduler: service.scheduler }).pipe(
        tap((at) => {
          if (running) {
            service.log.warn(
              { cron: expression, method, skipped: at.toISOString() },
              `Cron job ${service.label}.${method} is still running at its next run time: skipped ${at.toISOString()}`,
            );
          }
        }),
        exhaustMap(() => {
          running = true;
          return invokeWork(service, `${service.label}.${method}`, 'timer', () => callMethod(service, method), NO_ORIGIN).pipe(
            tap({ finalize: () => (running = false) }),
          );
        }),
      );
      return subscribeWork(service, runs$);
    });
  };
}

/**
 * A timer run's Promise or Observable, followed as `invokeWork` follows it. Its own
 * function: an inner closure over `result` in the tick's body would make V8 allocate a
 * context for every tick, the synchronous ones too (40 bytes a tick).
 */
function followed(service: Service, run: Run, work: PendingWork, result: unknown): Observable<unknown> {
  return new Observable<unknown>((subscriber) => followWork(service, run, work, result, subscriber));
}

const AsyncFunction = (async () => {}).constructor;

/** Whether `fn` is an `async` function: its every call returns a Promise. */
function isAsyncFunction(fn: unknown): boolean {
  return fn instanceof AsyncFunction;
}

/** Timer and cron runs start every tick: no stack is taken for them (their name says it). */
const NO_ORIGIN = '';

function callMethod(service: Service, method: string): unknown {
  const fn = (service as unknown as Record<string, Method<Service>>)[method]!;
  // The signal only for a method that takes it, as @task does (there an AbortController
  // made for every run was 13% of a crash loop, W4): a tick skips the getters behind it.
  return fn.length > 0 ? fn.call(service, service.signal) : (fn as (this: Service) => unknown).call(service);
}
