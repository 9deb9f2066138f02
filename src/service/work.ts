import {
  Observable,
  type ObservableInput,
  type Subscriber,
  type Subscription,
  type TeardownLogic,
  isObservable,
} from 'rxjs';
import { CORE, type ServiceCore } from './core.js';
import { declaredWork } from './declare.js';
import { isPromiseLike } from './hook-result.js';
import { toObservable } from '../observable/to-observable.js';
import { until } from '../observable/until.js';
import { valueFrom } from '../observable/value-from.js';
import type { PendingWork, Run } from './run.js';
import { runAsWork } from './work-scope.js';

/** What work needs of a service: its core, its stop state and a way to crash it. */
export interface WorkHost {
  readonly [CORE]: ServiceCore;
  readonly label: string;
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
  origin?: Error | string,
): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const run = host[CORE].run;
    const work: PendingWork = { name, kind, origin: origin ?? stackHere(), owner: host };
    let result: unknown;
    try {
      result = runAsWork(work, call);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    return followWork(host, run, work, result, subscriber);
  });
}

/**
 * Follows what a piece of work returned into `subscriber`, as {@link invokeWork} does: a
 * Promise is tracked in `run` (the run the work began in) until it settles, an Observable
 * while subscribed, anything else is emitted at once.
 */
export function followWork(
  host: WorkHost,
  run: Run,
  work: PendingWork,
  result: unknown,
  subscriber: Subscriber<unknown>,
): TeardownLogic {
  if (isPromiseLike(result)) {
    run.trackPromise(result, work);
    result.then(
      (value) => {
        run.forgetPromise(work);
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        run.forgetPromise(work);
        if (!subscriber.closed) subscriber.error(error);
        else reportWorkError(host, error);
      },
    );
    return;
  }
  if (isObservable(result)) {
    const live = run.live;
    live.add(work);
    const subscription = result.subscribe(subscriber);
    return () => {
      live.delete(work);
      subscription.unsubscribe();
    };
  }
  subscriber.next(result);
  subscriber.complete();
  return;
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
 * Starts the work declared with `@task`, `@timer` and `@crontab`, in declaration order,
 * each ended by the run's stop and crashing the service when it fails.
 */
export function startDeclaredWork(host: WorkHost): void {
  const run = host[CORE].run;
  const works = declaredWork(host);
  if (works.length === 0) return;
  for (const work of works) {
    if (run.isStopped) return;
    // No takeUntil: the run's stop unsubscribes what it holds, which ends every one at once.
    const subscription = work.start(host as never);
    if (subscription) run.hold(subscription);
  }
}

/**
 * Subscribes `work$` as declared work of `host`: its failure crashes the service (see
 * {@link reportWorkError}). Returns the subscription for the run to hold.
 *
 * @example
 * declareWork(context, (service) => subscribeWork(service, interval(1000).pipe(tap(() => tick(service)))));
 */
export function subscribeWork(host: WorkHost, work$: Observable<unknown>): Subscription {
  return work$.subscribe({ error: (error: unknown) => reportWorkError(host, error) });
}

/**
 * Starts a task: calls `call` as a named piece of the service's work, as
 * {@link invokeWork} does, and follows what it returns without an Observable around it.
 * A Promise is tracked by the run until it settles (nothing is held for it); an
 * Observable is subscribed and held until the stop (see `Run.holdStream`). A failure
 * crashes the service, unless it is the AbortError of a stop. Returns nothing: what the
 * run must end is already given to it.
 *
 * W6: the Observable and subscriber of `invokeWork` around each task were a quarter of a
 * stop with 1,000 Promise and 1,000 Observable tasks (one unsubscribe each, and the
 * teardown that forgot the Observable's key).
 */
export function startWork(host: WorkHost, name: string, call: () => unknown, origin: Error | string): undefined {
  const run = host[CORE].run;
  // Every field tracking sets, set now: a field added later changes each object's shape
  // (and may grow its storage), 1,000 times over in W6.
  const work: PendingWork = { name, kind: 'task', origin, owner: host, promise: undefined, pendingIn: undefined };
  let result: unknown;
  try {
    result = runAsWork(work, call);
  } catch (error) {
    reportWorkError(host, error);
    return;
  }
  if (isPromiseLike(result)) {
    run.trackPromise(result, work);
    result.then(
      () => run.forgetPromise(work),
      (error: unknown) => {
        run.forgetPromise(work);
        reportWorkError(host, error);
      },
    );
  } else if (isObservable(result)) {
    let subscription: Subscription | undefined;
    subscription = result.subscribe({
      error: (error: unknown) => {
        if (subscription) run.forgetStream(subscription);
        reportWorkError(host, error);
      },
      complete: () => {
        if (subscription) run.forgetStream(subscription);
      },
    });
    run.holdStream(subscription, work);
  }
  return;
}

/**
 * Where the caller began, for `tracebacks()`. Taken as an Error and written out only
 * when someone asks (formatting is most of the cost, and most tasks are never looked
 * at). Forty frames: RxJS's and the lifecycle's own fill V8's default ten.
 */
export function stackHere(): Error {
  const engine = Error as { stackTraceLimit?: number };
  const limit = engine.stackTraceLimit;
  engine.stackTraceLimit = 40;
  const origin = new Error();
  engine.stackTraceLimit = limit;
  return origin;
}

/** The caller's own frames of an origin, at most twelve, as text. */
export function originStack(origin: Error | string): string {
  if (typeof origin === 'string') return origin;
  const internal = (internalFrame ??= new RegExp(internalFramePatterns.join('|')));
  return (origin.stack ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => !internal.test(line))
    .slice(0, 12)
    .join('\n');
}

// Frames of RxJS and of the lifecycle itself, by path where there are paths, and by
// function name for bundles (where every frame is the bundle's); and a Promise executor's,
// which says nothing. The Worker adds its own (hideFrames), since it starts every tree it
// runs: a browser's bundle has no Worker, nor its patterns. The RegExp is made from the
// list on first use, and again after it grows.
const internalFramePatterns: string[] = [
  String.raw`[\\/]rxjs[\\/]`,
  String.raw`[\\/]service[\\/](work|start|steps|stop|service|task)\.[jt]s`,
  String.raw`^\s*at new Promise \(<anonymous>\)`,
  String.raw`^\s*at (?:new )?(?:[\w$]+\.)*(?:_subscribe|_trySubscribe|errorContext|subscribe|startDeclaredWork|startSteps|stopSteps|teardownSteps|rollBack|advance|invokeWork|stackHere|next|_next|lastValueFrom|valueFrom|start\$|maybeStart\$|restart\$) `,
  String.raw`^\s*at [\w$]+\.(?:start|restart|maybeStart) `,
];
let internalFrame: RegExp | undefined;

/**
 * @internal Makes `tracebacks()` leave out the frames that match `patterns` too (regular
 * expressions' sources): the Worker's, whose module calls it.
 */
export function hideFrames(...patterns: string[]): void {
  internalFramePatterns.push(...patterns);
  internalFrame = undefined;
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
  const work = invokeWork(host, name, 'future', () => (isPromiseLike(input) ? input : toObservable(input)), stack) as Observable<T>;
  const result = valueFrom(work.pipe(until(host[CORE].run.stopped$)), 'last', undefined).catch(
    (error: unknown) => {
      void host.crash(error);
      throw error;
    },
  );
  result.catch(() => undefined);
  return result;
}
