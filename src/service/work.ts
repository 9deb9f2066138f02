import { Observable, type ObservableInput, from, isObservable, lastValueFrom, takeUntil } from 'rxjs';
import { asCurrentWork } from './current-work.js';
import { CORE, type CoreHost } from './core.js';
import { declaredWork } from './declare.js';
import { isPromiseLike } from './hook-result.js';
import type { PendingWork } from './run.js';
import { runAsWork } from './task-scope.js';

/** What work needs of a service: its core, its stop state and a way to crash it. */
export interface WorkHost extends CoreHost {
  readonly shouldStop: boolean;
  crash(reason: unknown): Promise<void>;
}

/**
 * Calls `call` as a named piece of the service's work and follows what it returns: a
 * Promise is tracked (so `stop()` waits for it and `tracebacks()` shows it), an Observable
 * is tracked while subscribed, anything else is emitted at once. A Promise that fails
 * after its subscriber left still crashes the service, unless it is the AbortError of a
 * stop, which is the normal way out.
 *
 * @example
 * invokeWork(svc, 'Cache.refresh', 'timer', () => svc.refresh()).subscribe();
 */
export function invokeWork(
  host: WorkHost,
  name: string,
  kind: PendingWork['kind'],
  call: () => unknown,
  stack?: string,
): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const run = host[CORE].run;
    const work: PendingWork = { name, kind, stack: stack ?? stackHere(), owner: host };
    let result: unknown;
    try {
      result = runAsWork(work, () => asCurrentWork(name, call));
    } catch (error) {
      subscriber.error(error);
      return;
    }
    if (isPromiseLike(result)) {
      run.trackPromise(result, work);
      result.then(
        (value) => {
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => {
          if (!subscriber.closed) subscriber.error(error);
          else reportWorkError(host, error);
        },
      );
      return;
    }
    if (isObservable(result)) {
      const key = {};
      run.live.set(key, work);
      const subscription = result.subscribe(subscriber);
      return () => {
        run.live.delete(key);
        subscription.unsubscribe();
      };
    }
    subscriber.next(result);
    subscriber.complete();
    return;
  });
}

/** Crashes the service for a failure of its work, except for the AbortError of a stop. */
export function reportWorkError(host: WorkHost, error: unknown): void {
  if (host.shouldStop && isAbortError(error)) return;
  void host.crash(error);
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Subscribes the work declared with `@task`, `@timer` and `@crontab`, in declaration
 * order, each ended by the run's stop and crashing the service when it fails.
 */
export function startDeclaredWork(host: WorkHost): void {
  const run = host[CORE].run;
  const works = declaredWork(host);
  if (works.length === 0) return;
  const stack = stackHere();
  for (const work of works) {
    if (run.isStopped) return;
    const subscription = work
      .factory(host as never, stack)
      .pipe(takeUntil(run.stopped$))
      .subscribe({ error: (error: unknown) => reportWorkError(host, error) });
    run.work.add(subscription);
  }
}

/**
 * Where the caller began, for `tracebacks()`. RxJS frames fill V8's default ten, so the
 * limit is raised for this one capture (a no-op where the engine has no such knob).
 */
export function stackHere(): string {
  const engine = Error as { stackTraceLimit?: number };
  const limit = engine.stackTraceLimit;
  engine.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  engine.stackTraceLimit = limit;
  return stack
    .split('\n')
    .slice(1)
    .filter((line) => !line.includes('/rxjs/') && !line.includes('stackHere'))
    .join('\n');
}

let futureCount = 0;

/**
 * Runs `input` as part of the service's current run: an Observable until the service
 * stops, a Promise waited for on stop. Its failure crashes the service and rejects the
 * result (which is marked handled: the crash is how the failure is reported).
 *
 * @example
 * const config = await addFuture(svc, fetchConfig());
 */
export function addFuture<T>(host: WorkHost, input: ObservableInput<T>): Promise<T | undefined> {
  const name = `${host.label}.future#${++futureCount}`;
  const stack = stackHere();
  const work = invokeWork(host, name, 'future', () => (isPromiseLike(input) ? input : from(input)), stack) as Observable<T>;
  const result = lastValueFrom(work.pipe(takeUntil(host[CORE].run.stopped$)), { defaultValue: undefined }).catch(
    (error: unknown) => {
      void host.crash(error);
      throw error;
    },
  );
  result.catch(() => undefined);
  return result;
}
