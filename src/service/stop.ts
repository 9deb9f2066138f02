import { EMPTY, Observable, catchError, defer, from, of, race, tap, throwError, timer } from 'rxjs';
import { toMs } from '../time/duration.js';
import { exitContexts } from './contexts.js';
import { CORE, markCrashed, transition } from './core.js';
import { callHookStep } from './hooks.js';
import { describeReason, logAt, logCrash, logMundane } from './log.js';
import type { Run } from './run.js';
import type { Service } from './service.js';
import { inOrder } from './steps.js';
import { currentWork, excusedWork } from './task-scope.js';

/**
 * Stops a service: begins its teardown, or waits for the one under way (a second stop()
 * resolves when the first completes). Nothing happens in `init` or after a finished stop.
 * A stop that comes from inside the service's own work is never made to wait for itself:
 * a task that calls it is not waited for, and a hook of a teardown under way (of this
 * service or of one below it) gets an immediate answer.
 *
 * @example
 * stop$(svc).subscribe({ complete: () => console.log(svc.state) }); // 'shutdown'
 */
export function stop$(svc: Service): Observable<void> {
  return defer(() => {
    const run = svc[CORE].run;
    const caller = currentWork();
    if (caller && isWithin(caller.owner, svc)) {
      if (caller.kind !== 'hook') excusedWork.add(caller);
      else if (run.teardown && !run.tornDown) return of(undefined);
    }
    if (!run.teardown) {
      if (svc.state === 'init' || svc.state === 'shutdown') return of(undefined);
      run.teardown = runOnce(teardown$(svc));
    }
    return run.teardown;
  });
}

/** Whether `owner` is `svc` or one of its descendants. */
function isWithin(owner: unknown, svc: Service): boolean {
  const beacon = (owner as { beacon?: { walk(): Iterable<unknown> } } | undefined)?.beacon;
  if (!beacon) return false;
  for (const node of beacon.walk()) if (node === svc.beacon) return true;
  return false;
}

/**
 * Starts `source` on the first subscription and runs it to its end whoever still
 * listens; every subscriber, early or late, gets its completion or its error.
 */
function runOnce(source: Observable<void>): Observable<void> {
  let outcome: { failed: boolean; error?: unknown } | undefined;
  const waiting = new Set<{ complete(): void; error(e: unknown): void }>();
  let started = false;
  const settle = (result: { failed: boolean; error?: unknown }) => {
    outcome = result;
    for (const subscriber of [...waiting]) {
      if (result.failed) subscriber.error(result.error);
      else subscriber.complete();
    }
    waiting.clear();
  };
  return new Observable<void>((subscriber) => {
    if (outcome) {
      if (outcome.failed) subscriber.error(outcome.error);
      else subscriber.complete();
      return;
    }
    waiting.add(subscriber);
    if (!started) {
      started = true;
      source.subscribe({ error: (error: unknown) => settle({ failed: true, error }), complete: () => settle({ failed: false }) });
    }
    return () => waiting.delete(subscriber);
  });
}

/**
 * Tears a service down, as an Observable that completes when it is `shutdown` (or stays
 * `crashed`): `stopping`, stopped$ and the AbortSignal (tasks and timers end), `onStop`,
 * children in reverse order, the wait for `setShutdown()` when asked, the Promise work
 * settling (up to `stopTimeout`), contexts exited in reverse, `onShutdown`. No failure
 * skips a later step: the teardown finishes, the service ends `crashed` with the failure,
 * and the Observable errors with it afterwards.
 *
 * @example
 * teardown$(svc).subscribe({ complete: () => console.log(svc.state) }); // 'shutdown'
 */
export function teardown$(svc: Service): Observable<void> {
  return defer(() => {
    const core = svc[CORE];
    const run = core.run;
    const failures: unknown[] = [];
    if (core.state.value === 'running') transition(svc, 'stopping');
    logMundane(svc, 'Stopping...');
    run.signalStop();
    return inOrder(teardownSteps(svc, run, failures));
  });
}

// Steps that finish synchronously yield nothing: a plain service tears down without
// making an Observable per step.
function* teardownSteps(svc: Service, run: Run, failures: unknown[]): Generator<Observable<unknown>> {
  const keep = (error: unknown) => {
    failures.push(error);
    return EMPTY;
  };
  let step = callHookStep(svc, 'onStop');
  if (step) yield step.pipe(catchError(keep));
  const children = svc.children;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i]!;
    if (child.state === 'init' || child.state === 'shutdown') continue;
    yield child.stop$().pipe(
      catchError((error: unknown) => {
        logAt(svc, 'error', 'Error while stopping child %s: %s', child.label, describeReason(error));
        return keep(error);
      }),
    );
  }
  logAt(svc, 'debug', 'Shutting down...');
  if (svc.waitForShutdown) yield awaitShutdown(svc, run);
  if ((step = settle(svc, run))) yield step;
  run.contextsClosed = true;
  if (run.contextCount > 0) yield exitContexts(run.contexts, (error) => failures.push(error));
  if ((step = callHookStep(svc, 'onShutdown'))) yield step.pipe(catchError(keep));
  run.tornDown = true;
  if (failures.length > 0) {
    const reason = failures.length === 1 ? failures[0] : new AggregateError(failures, `${svc.label}: ${failures.length} failures while stopping`);
    if (markCrashed(svc, reason)) logCrash(svc, reason);
    yield throwError(() => reason);
    return;
  }
  if (svc[CORE].state.value === 'stopping') transition(svc, 'shutdown');
  logMundane(svc, '-Stopped!');
}

function awaitShutdown(svc: Service, run: Run): Observable<unknown> {
  logAt(svc, 'debug', 'Waiting for shutdown');
  const limit = toMs(svc.shutdownTimeout);
  return race(
    run.shutdown$.pipe(tap(() => logAt(svc, 'debug', 'Shutting down now'))),
    timer(limit, svc.scheduler).pipe(
      tap(() => logAt(svc, 'warn', 'No setShutdown() within %d ms: shutting down anyway', limit)),
    ),
  );
}

/**
 * Waits for the Promise tasks and futures still going, up to `stopTimeout`, then names
 * each one still pending. Work that itself called `stop()` is not waited for: it waits
 * for this stop, so waiting for it would never end.
 */
function settle(svc: Service, run: Run): Observable<unknown> | undefined {
  if (run.liveCount === 0) return undefined;
  const waiting = [...run.live.values()].filter((work) => work.promise && !excusedWork.has(work));
  if (waiting.length === 0) return undefined;
  const limit = toMs(svc.stopTimeout);
  return race(
    from(Promise.allSettled(waiting.map((work) => work.promise!))),
    timer(limit, svc.scheduler).pipe(
      tap(() => {
        for (const work of waiting) {
          if (run.live.has(work.promise!)) logAt(svc, 'warn', 'Still pending after %d ms: %s', limit, work.name);
        }
      }),
    ),
  );
}
