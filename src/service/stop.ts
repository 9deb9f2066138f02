import { EMPTY, Observable, catchError, concat, defer, from, of, race, tap, throwError, timer } from 'rxjs';
import { toMs } from '../time/duration.js';
import { exitContexts } from './contexts.js';
import { CORE, markCrashed, transition } from './core.js';
import { runHook } from './hooks.js';
import type { Run } from './run.js';
import type { Service } from './service.js';
import { describeReason, logMundane } from './start.js';
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
    const keep = (error: unknown) => {
      failures.push(error);
      return EMPTY;
    };
    if (core.state.value === 'running') transition(svc, 'stopping');
    logMundane(svc, 'Stopping...');
    run.signalStop();

    const steps = inOrder(
      (function* () {
        yield runHook(svc, 'onStop').pipe(catchError(keep));
        const children = [...svc.children].reverse();
        for (const child of children) {
          yield child.stop$().pipe(
            catchError((error: unknown) => {
              svc.log.error({ err: error }, 'Error while stopping child %s: %s', child.label, describeReason(error));
              return keep(error);
            }),
          );
        }
        svc.log.debug('Shutting down...');
        if (svc.waitForShutdown) yield awaitShutdown(svc, run);
        yield settle(svc, run);
        run.contextsClosed = true;
        yield exitContexts(run.contexts, (error) => failures.push(error));
        yield runHook(svc, 'onShutdown').pipe(catchError(keep));
      })(),
    );
    return concat(steps, defer(() => finish(svc, run, failures)));
  });
}

function finish(svc: Service, run: Run, failures: unknown[]): Observable<never> {
  run.tornDown = true;
  if (failures.length > 0) {
    const reason = failures.length === 1 ? failures[0] : new AggregateError(failures, `${svc.label}: ${failures.length} failures while stopping`);
    if (markCrashed(svc, reason)) svc.log.error({ err: reason }, 'Crashed reason=%s', describeReason(reason));
    return throwError(() => reason);
  }
  if (svc[CORE].state.value === 'stopping') transition(svc, 'shutdown');
  logMundane(svc, '-Stopped!');
  return EMPTY;
}

function awaitShutdown(svc: Service, run: Run): Observable<unknown> {
  svc.log.debug('Waiting for shutdown');
  const limit = toMs(svc.shutdownTimeout);
  return race(
    run.shutdown$.pipe(tap(() => svc.log.debug('Shutting down now'))),
    timer(limit, svc.scheduler).pipe(
      tap(() => svc.log.warn('No setShutdown() within %d ms: shutting down anyway', limit)),
    ),
  );
}

/**
 * Waits for the Promise tasks and futures still going, up to `stopTimeout`, then names
 * each one still pending. Work that itself called `stop()` is not waited for: it waits
 * for this stop, so waiting for it would never end.
 */
function settle(svc: Service, run: Run): Observable<unknown> {
  const waiting = [...run.live.values()].filter((work) => work.promise && !excusedWork.has(work));
  if (waiting.length === 0) return EMPTY;
  const limit = toMs(svc.stopTimeout);
  return race(
    from(Promise.allSettled(waiting.map((work) => work.promise!))),
    timer(limit, svc.scheduler).pipe(
      tap(() => {
        for (const work of waiting) {
          if (run.live.has(work.promise!)) svc.log.warn('Still pending after %d ms: %s', limit, work.name);
        }
      }),
    ),
  );
}
