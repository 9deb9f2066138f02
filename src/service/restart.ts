import { EMPTY, type Observable, concat, defer, ignoreElements, of } from 'rxjs';
import { CORE } from './core.js';
import { callHookStep } from './hooks.js';
import type { Service } from './service.js';

/**
 * Starts `service` if it is in `init`; emits whether it did. Its own `start$` is used, so
 * a subclass that overrides it is honoured.
 *
 * @example
 * maybeStart$(svc).subscribe((started) => console.log(started)); // true, or false if it ran
 */
export function maybeStart$(service: Service): Observable<boolean> {
  return defer(() => (service.state === 'init' ? concat(service.start$().pipe(ignoreElements()), of(true)) : of(false)));
}

/**
 * stop → serviceReset → onRestart → start, each through the service's own methods.
 * Unsubscribing during the start abandons it as `start$` does (the service is stopped).
 *
 * @example
 * restart$(svc).subscribe({ complete: () => console.log(svc.restartCount) }); // 1
 */
export function restart$(service: Service): Observable<void> {
  return concat(
    service.stop$(),
    defer(() => {
      service.serviceReset();
      // The hooks are those of the core's owner: a proxy's target, for a proxy.
      return callHookStep(service[CORE].data, 'onRestart')?.pipe(ignoreElements()) ?? EMPTY;
    }),
    service.start$(),
  );
}
