import { type Observable, catchError, concat, defer, ignoreElements, takeUntil, throwError } from 'rxjs';
import { CORE, markCrashed, transition } from './core.js';
import { ServiceStateError } from './errors.js';
import { type HookName, runHook } from './hooks.js';
import type { Service } from './service.js';
import { inOrder } from './steps.js';
import { startDeclaredWork } from './work.js';

/**
 * Starts a service, as an Observable that completes when it has started: state `running`,
 * then (first start only) the dependencies from `onInitDependencies()` and `onFirstStart`,
 * then `onStart`, the declared tasks, timers and cron jobs, the children in the order they
 * were added, `onStarted`, and `ready$` true. A stop in between ends it at the next step.
 * A failing step rolls back (the service is crashed, then torn down: started children
 * stopped, contexts exited) and the error is passed on.
 *
 * @example
 * start$(svc).subscribe({ complete: () => console.log(svc.state) }); // 'running'
 */
export function start$(svc: Service): Observable<void> {
  return defer(() => {
    const core = svc[CORE];
    const state = core.state.value;
    if (state !== 'init') {
      return throwError(
        () => new ServiceStateError(`cannot start ${svc.label}: it is ${state} (start needs init; restart() or serviceReset() first)`, state),
      );
    }
    transition(svc, 'running');
    logMundane(svc, 'Starting...');
    return inOrder(startSteps(svc)).pipe(catchError((error: unknown) => rollBack(svc, error)));
  });
}

function* startSteps(svc: Service): Generator<Observable<unknown>> {
  const core = svc[CORE];
  // A stop cuts a hook that is still running (an Observable hook is unsubscribed).
  const hook = (name: HookName) => runHook(svc, name).pipe(takeUntil(core.run.stopped$));
  if (core.restartCount === 0) {
    for (const dependency of svc.onInitDependencies()) svc.addDependency(dependency);
    yield hook('onFirstStart');
    if (svc.shouldStop) return;
  }
  yield hook('onStart');
  if (svc.shouldStop) return;
  startDeclaredWork(svc);
  // Indexed, not iterated: a child added while an earlier one starts is started too.
  for (let i = 0; i < svc.children.length; i++) {
    if (svc.shouldStop) return;
    yield svc.children[i]!.maybeStart$();
  }
  if (svc.shouldStop) return;
  yield hook('onStarted');
  if (svc.shouldStop) return;
  core.ready.next(true);
  svc.log.debug('Started.');
}

/** Start failures already logged where they happened, so each ancestor need not repeat them. */
const reported = new WeakSet<object>();

function rollBack(svc: Service, error: unknown): Observable<never> {
  if (markCrashed(svc, error)) {
    const known = typeof error === 'object' && error !== null;
    if (known && reported.has(error)) svc.log.debug('Start failed in a dependency: %s', describeReason(error));
    else svc.log.error({ err: error }, 'Crashed reason=%s', describeReason(error));
    if (known) reported.add(error);
  }
  return concat(
    svc.stop$().pipe(
      ignoreElements(),
      catchError(() => []),
    ),
    throwError(() => error),
  );
}

export function logMundane(svc: Service, message: string): void {
  const log = svc.log;
  if (svc.mundaneLevel === 'debug') log.debug(message);
  else log.info(message);
}

export function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  try {
    return typeof reason === 'string' ? reason : JSON.stringify(reason);
  } catch {
    return String(reason);
  }
}
