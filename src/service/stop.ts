import { type Observable, defer, from, of, race, tap, timer } from 'rxjs';
import { toMs } from '../time/duration.js';
import { exitContexts } from './contexts.js';
import { BASE_LIFECYCLE, CORE, markCrashed, transition } from './core.js';
import { callHookStep } from './hooks.js';
import { describeReason, logAt, logCrash, logMundane } from './log.js';
import { Completion, type Run } from './run.js';
import type { Service } from './service.js';
import { type Steps, inOrder } from './steps.js';
import { currentWork, excusedWork } from './task-scope.js';

/**
 * Stops a service: begins its teardown, or waits for the one under way (a second stop()
 * resolves when the first completes). Nothing happens in `init` or after a finished stop.
 * Once begun, a teardown runs to its end whoever still listens. A stop that comes from
 * inside the service's own work is never made to wait for itself: a task that calls it
 * is not waited for, and a hook of a teardown under way (of this service or of one below
 * it) gets an immediate answer.
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
      else if (run.teardown && !run.teardown.settled) return of(undefined);
    }
    if (!run.teardown) {
      if (svc.state === 'init' || svc.state === 'shutdown') return of(undefined);
      inOrder(teardownSteps(svc)).subscribe({ error: () => undefined }); // the Completion reports it
    }
    return run.teardown!.observable;
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
 * The stop of `svc` as steps, for a parent's teardown or a start's rollback: the teardown
 * inline when none is under way (and `stop$` is not overridden), else a wait for it.
 * Throws what the stop fails with.
 */
export function* stopSteps(svc: Service): Steps {
  const teardown = svc[CORE].run.teardown;
  if (teardown) yield teardown.observable;
  else if (svc.stop$ !== BASE_LIFECYCLE.stop$) yield svc.stop$();
  else if (svc.state !== 'init' && svc.state !== 'shutdown') yield teardownSteps(svc);
}

/**
 * Tears a service down, as steps: `stopping`, stopped$ and the AbortSignal (tasks and
 * timers end), `onStop`, children in reverse order, the wait for `setShutdown()` when
 * asked, the Promise work settling (up to `stopTimeout`), contexts exited in reverse,
 * `onShutdown`. No failure skips a later step: the teardown finishes, the service ends
 * `crashed` with the failure, and it is thrown afterwards. The run's Completion tells
 * every other stop() the outcome.
 */
function* teardownSteps(svc: Service): Steps {
  const core = svc[CORE];
  const run = core.run;
  const completion = (run.teardown = new Completion());
  const failures: unknown[] = [];
  if (core.state === 'running') transition(svc, 'stopping');
  logMundane(svc, 'Stopping...');
  run.signalStop();

  let step = callHookStep(svc, 'onStop');
  if (step) {
    try {
      yield step;
    } catch (error) {
      failures.push(error);
    }
  }
  for (const child of inReverseStartOrder(svc)) {
    if (child.state === 'init' || child.state === 'shutdown') continue;
    try {
      // stopSteps, inlined for the common case: one generator a child, not two.
      if (!child[CORE].run.teardown && child.stop$ === BASE_LIFECYCLE.stop$) yield teardownSteps(child);
      else yield stopSteps(child);
    } catch (error) {
      logAt(svc, 'error', 'Error while stopping child %s: %s', child.label, describeReason(error));
      failures.push(error);
    }
  }
  logAt(svc, 'debug', 'Shutting down...');
  if (svc.waitForShutdown) yield awaitShutdown(svc, run);
  if ((step = settle(svc, run))) yield step;
  run.contextsClosed = true;
  if (run.contextCount > 0) yield exitContexts(run.contexts, (error) => failures.push(error));
  if ((step = callHookStep(svc, 'onShutdown'))) {
    try {
      yield step;
    } catch (error) {
      failures.push(error);
    }
  }

  if (failures.length > 0) {
    const reason =
      failures.length === 1 ? failures[0] : new AggregateError(failures, `${svc.label}: ${failures.length} failures while stopping`);
    if (markCrashed(svc, reason)) logCrash(svc, reason);
    completion.reject(reason);
    throw reason;
  }
  if (core.state === 'stopping') transition(svc, 'shutdown');
  logMundane(svc, '-Stopped!');
  completion.resolve();
}

/**
 * The children to stop, last started first. That is the reverse of the order they were
 * added, unless one was started on its own before its parent started the others.
 */
function inReverseStartOrder(svc: Service): Service[] {
  const children: Service[] = [];
  let sorted = true;
  const nodes = svc.beacon.children;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const child = nodes[i]!.data as Service;
    if (!child?.[CORE]) continue;
    const previous = children[children.length - 1];
    if (previous && previous[CORE].startedAt < child[CORE].startedAt) sorted = false;
    children.push(child);
  }
  return sorted ? children : children.sort((a, b) => b[CORE].startedAt - a[CORE].startedAt);
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
