import { Observable } from 'rxjs';
import { until } from '../observable/until.js';
import { fromHookResult, isPromiseLike } from './hook-result.js';
import type { PendingWork, Run } from './run.js';
import { runAsWork } from './work-scope.js';

/** The lifecycle hooks a service may define. */
export type HookName = 'onFirstStart' | 'onStart' | 'onStarted' | 'onStop' | 'onShutdown' | 'onRestart';

type HookHost = { label: string } & Record<HookName, () => unknown>;

/** The base class's empty hooks: a service that keeps one has nothing to run there. */
const emptyHooks = new WeakSet<object>();

/** Records the hooks of `prototype` as empty ones, which callHookStep skips outright. */
export function markEmptyHooks(prototype: Record<HookName, unknown>): void {
  for (const hook of ['onFirstStart', 'onStart', 'onStarted', 'onStop', 'onShutdown', 'onRestart'] as const) {
    emptyHooks.add(prototype[hook] as object);
  }
}

/** Whether the service keeps the base class's empty `hook` (callHookStep would skip it). */
export function isEmptyHook(service: HookHost, hook: HookName): boolean {
  return emptyHooks.has(service[hook]);
}

/**
 * Calls one of the service's hooks now. It runs as the service's work, so a `stop()` it
 * makes is known to come from inside (and does not wait for the very teardown that waits
 * for the hook). Returns `undefined` when the hook is already done (it returned nothing),
 * otherwise a step that completes when it is done: an error, a Promise, or an Observable,
 * cut by the stop of `cut` (a run) when given. A start hook (one given `cut`) that returns
 * a Promise is kept as the run's `startHook` until it settles, so a stop that cuts the
 * start waits for it before `onStop` (what `onStart` opened is then closed by `onStop`).
 *
 * @example
 * const step = callHookStep(svc, 'onStart', run);
 * if (step) yield step;
 */
export function callHookStep(
  service: HookHost,
  hook: HookName,
  cut?: Run,
): Observable<unknown> | undefined {
  const fn = service[hook];
  if (emptyHooks.has(fn)) return undefined;
  let result: unknown;
  const work: PendingWork = { name: `${service.label}.${hook}`, kind: 'hook', origin: '', owner: service };
  try {
    result = runAsWork(work, () => fn.call(service));
  } catch (error) {
    // throwError(() => error), without rxjs's throwError: 27 bytes gzipped of a Service bundle (measured).
    return new Observable((subscriber) => subscriber.error(error));
  }
  if (result === undefined || result === null) return undefined;
  const step = fromHookResult(result);
  if (!cut) return step;
  if (isPromiseLike(result)) cut.trackStartHook(result, work);
  return step.pipe(until(cut.stopped$));
}
