import { type Observable, defer } from 'rxjs';
import { fromHookResult } from './hook-result.js';
import type { PendingWork } from './run.js';
import { runAsWork } from './task-scope.js';

/** The lifecycle hooks a service may define. */
export type HookName = 'onFirstStart' | 'onStart' | 'onStarted' | 'onStop' | 'onShutdown' | 'onRestart';

/**
 * Calls one of the service's hooks as an Observable that completes when the hook is done.
 * The hook runs as the service's work, so a `stop()` it makes is known to come from inside
 * (and does not wait for the very teardown that is waiting for the hook).
 *
 * @example
 * concat(runHook(svc, 'onStop'), runHook(svc, 'onShutdown')).subscribe();
 */
export function runHook(service: { label: string } & Record<HookName, () => unknown>, hook: HookName): Observable<unknown> {
  return defer(() => {
    const work: PendingWork = { name: `${service.label}.${hook}`, kind: 'hook', stack: '', owner: service };
    return fromHookResult(runAsWork(work, () => service[hook]()));
  });
}
