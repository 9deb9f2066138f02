import { Observable } from 'rxjs';
import { CORE, type ServiceCore } from './core.js';
import { callHookStep } from './hooks.js';
import type { Service } from './service.js';
import { startSteps } from './start.js';
import { type Steps, inOrder } from './steps.js';
import { stop$, stopSteps } from './stop.js';
import { currentWork } from './work-scope.js';

/**
 * Starts `service` if it is in `init`; emits whether it did. Its own `start$` is used, so
 * a subclass that overrides it is honoured.
 *
 * @example
 * maybeStart$(svc).subscribe((started) => console.log(started)); // true, or false if it ran
 */
export function maybeStart$(service: Service): Observable<boolean> {
  // Not lazy(() => start$().pipe(ignoreElements(), defaultIfEmpty(true))): in a bundle of
  // `import { Service }` nothing else used ignoreElements (12 bytes gzipped, measured).
  return new Observable<boolean>((subscriber) => {
    if (service.state !== 'init') {
      subscriber.next(false);
      subscriber.complete();
      return undefined;
    }
    return service.start$().subscribe({
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        subscriber.next(true); // once the start completed
        subscriber.complete();
      },
    });
  });
}

/**
 * stop → serviceReset → onRestart → start, each through the service's own methods.
 * Unsubscribing during the start abandons it as `start$` does (the service is stopped).
 *
 * @example
 * restart$(svc).subscribe({ complete: () => console.log(svc.restartCount) }); // 1
 */
export function restart$(service: Service): Observable<void> {
  // A generator runs once: each subscriber gets steps of its own (a restart$ subscribed twice
  // restarts twice). Not defer(): its innerFrom made restart() in a loop 0.2-0.3 µs slower
  // (W4, 2.0-2.35 against 2.3-2.55 µs a cycle, Node 20, two runs each way).
  return new Observable<void>((subscriber) => inOrder(restartSteps(service)).subscribe(subscriber));
}

/**
 * The steps of {@link restart$}, for a runner of steps (a supervisor's reaction runs them
 * inline). A service that keeps Service's own `stop$`/`start$` is stopped and started
 * inline too: one step runner for the whole restart, where `concat()` of its three
 * Observables cost more than the restart itself (`restart()` in a loop: 5.4-6.1x its
 * floor before, 2.5-2.9x after, `npm run bench` on a quiet machine); only a teardown with
 * steps to wait for gets a runner of its own (stopSteps), so that abandoning the restart
 * never cuts it. A stop asked from inside the service's own work goes
 * through `stop$`, which knows not to wait for that work. `stopped`: the caller stopped
 * the service already, so it is not stopped again if it is still down (a failed stop
 * does not fail the restart). Nor is a crashed service whose teardown has ended: a
 * restart is how it comes back, even if that teardown failed.
 *
 * @example
 * inOrder(restartSteps(svc)).subscribe(); // what restart$(svc) does
 */
export function* restartSteps(service: Service, stopped = false): Steps {
  const core = service[CORE];
  // A proxy shares its target's core, but its own start$/stop$ are the ones to call.
  const own = core.data === service;
  if ((stopped || core.state === 'crashed') && isStopped(core)) {
    // The caller (a supervisor's reaction) stopped it and has seen how that went; or it
    // crashed and the teardown of its crash has ended, whose failure, if any, was logged.
    // Asked again, that stop would give its old failure, and fail every restart after it.
  } else if (own && core.stopsInline && !currentWork()) yield stopSteps(core);
  else yield service.stop$();
  service.serviceReset();
  // The hooks are those of the core's owner: a proxy's target, for a proxy.
  const hook = callHookStep(core.data, 'onRestart');
  if (hook) yield hook;
  if (!own || !core.startsInline) {
    yield service.start$();
    return;
  }
  let outcome: 'started' | 'failed' | undefined;
  try {
    yield startSteps(core);
    outcome = 'started';
  } catch (error) {
    outcome = 'failed';
    throw error;
  } finally {
    // Cut before it completed (the runner was unsubscribed): abandoned as start$'s would be.
    if (outcome === undefined) stop$(core).subscribe({ error: () => undefined });
  }
}

/** Whether the service runs nothing: never started, or its teardown has ended. */
function isStopped(core: ServiceCore): boolean {
  const state = core.state;
  if (state === 'init' || state === 'shutdown') return true;
  return state === 'crashed' && core.run.teardown?.settled === true;
}
