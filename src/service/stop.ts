import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { toObservable } from '../observable/to-observable.js';
import { wakeAt } from '../time/wake-at.js';
import { toMs } from '../time/duration.js';
import { boundedStep } from './bounded.js';
import { exitContexts } from './contexts.js';
import { ServiceCore } from './core.js';
import { StopTimeoutError } from './errors.js';
import { callHookStep, isEmptyHook } from './hooks.js';
import { describeReason, logAt, logCrash, logMundane } from './log.js';
import { Completion, type Run, excuse } from './run.js';
import { type Steps, inOrder } from './steps.js';
import { currentWork } from './work-scope.js';

/**
 * Stops a service: begins its teardown, or waits for the one under way (a second stop()
 * resolves when the first completes). Nothing happens in `init` or after a finished stop.
 * Once begun, a teardown runs to its end whoever still listens: unsubscribing never cuts
 * it (API.md, "Cancellation"). A stop that comes from inside the service's own work is
 * never made to wait for itself: a task that calls it is not waited for, and a hook of a
 * teardown under way (of this service or of one below it) gets an immediate answer.
 *
 * @example
 * stop$(svc[CORE]).subscribe({ complete: () => console.log(svc.state) }); // 'shutdown'
 */
export function stop$(core: ServiceCore): Observable<void> {
  return new Observable<void>((subscriber) => {
    const run = core.run;
    const caller = currentWork();
    if (caller && isWithin(caller.owner, core)) {
      if (caller.kind !== 'hook') excuse(caller);
      else if (run.teardown && !run.teardown.settled) return done(subscriber);
    }
    if (!run.teardown) {
      if (core.state === 'init' || core.state === 'shutdown') return done(subscriber);
      beginTeardown(core);
    }
    return run.teardown!.observable.subscribe(subscriber);
  });
}

/** A stop with nothing to wait for: one value, then complete. */
function done(subscriber: Subscriber<void>): void {
  subscriber.next();
  subscriber.complete();
}

/** Whether `owner` (a service) is the service of `core` or one of its descendants. */
function isWithin(owner: unknown, core: ServiceCore): boolean {
  const beacon = (owner as { beacon?: { walk(): Iterable<unknown> } } | undefined)?.beacon;
  if (!beacon) return false;
  for (const node of beacon.walk()) if (node === core) return true;
  return false;
}

/**
 * The stop of a service as steps, for a start's rollback or a restart: begins the
 * teardown when none is under way (through `stop$` when it is overridden), then waits
 * for it. Throws what the stop fails with.
 *
 * The teardown runs on a runner of its own, not inline in the caller's: whoever runs
 * these steps may unsubscribe (a start with a deadline, a restart$ abandoned), and that
 * must cut the wait only, never the teardown, whose Completion every later stop() waits
 * for. A teardown with nothing to wait for ends at once and makes no runner.
 */
export function* stopSteps(core: ServiceCore): Steps {
  const run = core.run;
  if (!run.teardown) {
    if (!core.stopsInline) {
      yield core.data.stop$();
      return;
    }
    if (core.state === 'init' || core.state === 'shutdown' || !beginTeardown(core)) return;
  }
  yield run.teardown!.observable;
}

/**
 * Begins the teardown on a runner of its own, which nobody unsubscribes: its Completion
 * reports how it ends. False when it ended at once (nothing to wait for, no runner made).
 */
function beginTeardown(core: ServiceCore): boolean {
  const rest = teardown(core);
  if (!rest) return false;
  inOrder(rest).subscribe({ error: () => undefined });
  return true;
}

/**
 * Tears a service down: `stopping`, stopped$ and the AbortSignal (tasks and timers end),
 * the start hook still running (a stop during start), `onStop`, children in reverse start
 * order, the wait for `setShutdown()` when asked, the Promise work settling (up to
 * `stopTimeout`), contexts exited in reverse, `onShutdown`. Each hook and context is
 * bounded by `stopTimeout` (boundedStep): past it, it is logged by name and left behind,
 * so a stop always settles. No failure skips a later step: the teardown finishes, the
 * service ends `crashed` with the failure, and it is thrown afterwards. The run's
 * Completion tells every other stop() the outcome; a clean end tells the supervisor.
 *
 * Begins at once, and returns the steps still to run, or nothing when the service had
 * nothing to wait for and is torn down already: a leaf with empty hooks, no children, no
 * Promise work and no contexts (W1: 10,000 of 11,111 services) makes no generator, where
 * one was 640 of the 860 bytes a stop allocated a service, and a third of its time.
 */
function teardown(core: ServiceCore): Steps | undefined {
  const svc = core.data;
  const run = core.run;
  const completion = (run.teardown = new Completion());
  if (core.state === 'running') core.transition('stopping');
  logMundane(svc, 'Stopping...');
  run.signalStop();
  if (hasBeforeChildren(core) || core.children.length > 0 || hasAfterChildren(core)) {
    return teardownSteps(core, completion);
  }
  logAt(svc, 'debug', 'Shutting down...');
  run.contextsClosed = true;
  finishTeardown(core, completion, undefined);
  return undefined;
}

/**
 * The rest of {@link teardown}, as steps. What most services skip (a start hook still
 * running, `onStop`, the shutdown wait, Promise work, contexts, `onShutdown`) is in
 * generators of its own, made only when needed: a generator keeps every local across its
 * yields, and this one is made for every service with children (W1's chain of 10,000:
 * 930 to 460 bytes a service a stop, with the index loop and the one-child array).
 */
function* teardownSteps(core: ServiceCore, completion: Completion): Steps {
  const svc = core.data;
  const run = core.run;
  // Made on the first failure, or for the steps that may fail: most teardowns have none.
  let failures: unknown[] | undefined;
  if (hasBeforeChildren(core)) yield beforeChildren(core, (failures = []));
  // An index, not for-of: an iterator's state would be kept across the yields too.
  const children = inReverseStartOrder(core);
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.state === 'init' || child.state === 'shutdown') continue;
    try {
      // stopSteps, inlined for the common case: one generator a child at most, not two.
      if (!child.run.teardown && child.stopsInline) {
        const rest = teardown(child);
        if (rest) yield rest;
      } else yield stopSteps(child);
    } catch (error) {
      logAt(svc, 'error', 'Error while stopping child %s: %s', child.label, describeReason(error));
      (failures ??= []).push(error);
    }
  }
  logAt(svc, 'debug', 'Shutting down...');
  if (hasAfterChildren(core)) yield afterChildren(core, (failures ??= []));
  run.contextsClosed = true;
  finishTeardown(core, completion, failures?.length ? failures : undefined);
}

/** Whether {@link beforeChildren} has anything to do. */
function hasBeforeChildren(core: ServiceCore): boolean {
  return core.run.startHook !== undefined || !isEmptyHook(core.data, 'onStop');
}

/** Whether {@link afterChildren} has anything to do. */
function hasAfterChildren(core: ServiceCore): boolean {
  const run = core.run;
  return core.data.waitForShutdown || run.liveCount > 0 || run.contextCount > 0 || !isEmptyHook(core.data, 'onShutdown');
}

/** The start hook still running (a stop during start), then `onStop`. */
function* beforeChildren(core: ServiceCore, failures: unknown[]): Steps {
  const svc = core.data;
  const limit = toMs(svc.stopTimeout);
  const startHook = core.run.startHook;
  if (startHook) {
    // A stop during start: what the running start hook opens, onStop must close.
    try {
      yield boundedStep(core, toObservable(startHook.promise!), startHook.name, limit);
    } catch (error) {
      if (error instanceof StopTimeoutError) failures.push(error);
      else logAt(svc, 'warn', '%s failed after the stop began: %s', startHook.name, describeReason(error));
    }
  }
  const step = callHookStep(svc, 'onStop');
  if (step) {
    try {
      yield boundedStep(core, step, `${svc.label}.onStop`, limit);
    } catch (error) {
      failures.push(error);
    }
  }
}

/** The wait for `setShutdown()` when asked, the Promise work settling, the contexts, `onShutdown`. */
function* afterChildren(core: ServiceCore, failures: unknown[]): Steps {
  const svc = core.data;
  const run = core.run;
  const limit = toMs(svc.stopTimeout);
  if (svc.waitForShutdown) yield awaitShutdown(core, run);
  let step = settle(core, run);
  if (step) yield step;
  run.contextsClosed = true;
  if (run.contextCount > 0) {
    yield exitContexts(
      run.contexts,
      (error) => failures.push(error),
      (exit, name) => boundedStep(core, exit, `${svc.label}: ${name}`, limit),
    );
  }
  if ((step = callHookStep(svc, 'onShutdown'))) {
    try {
      yield boundedStep(core, step, `${svc.label}.onShutdown`, limit);
    } catch (error) {
      failures.push(error);
    }
  }
}

/**
 * The end of a teardown: `crashed` with its failures (thrown afterwards), else
 * `shutdown` and the supervisor told; then the Completion.
 */
function finishTeardown(core: ServiceCore, completion: Completion, failures: unknown[] | undefined): void {
  const svc = core.data;
  if (failures) {
    const reason =
      failures.length === 1 ? failures[0] : new AggregateError(failures, `${svc.label}: ${failures.length} failures while stopping`);
    // A service that had crashed already (the teardown of its crash) logs the failure too:
    // a restart does not replay it (restartSteps), so it may reach nobody else.
    logCrash(svc, reason, core.markCrashed(reason) ? 'Crashed' : 'Stop failed');
    completion.reject(reason);
    throw reason;
  }
  if (core.state === 'stopping') {
    core.transition('shutdown');
    core.supervisor?.childStopped(svc);
  }
  logMundane(svc, '-Stopped!');
  completion.resolve();
}

/**
 * The children to stop, last started first. That is the reverse of the order they were
 * added, unless one was started on its own before its parent started the others.
 */
function inReverseStartOrder(core: ServiceCore): readonly ServiceCore[] {
  const nodes = core.children;
  // Most services of a large tree are leaves: no array for them (W1: 10,000 of 11,111).
  if (nodes.length === 0) return NO_CHILDREN;
  // One child (a chain's links): an array of one, where a pushed-to array has room for 17.
  if (nodes.length === 1) return nodes[0] instanceof ServiceCore ? [nodes[0]] : NO_CHILDREN;
  const children: ServiceCore[] = [];
  let sorted = true;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const child = nodes[i]!;
    if (!(child instanceof ServiceCore)) continue;
    const previous = children[children.length - 1];
    if (previous && previous.startedAt < child.startedAt) sorted = false;
    children.push(child);
  }
  return sorted ? children : children.sort((a, b) => b.startedAt - a.startedAt);
}

const NO_CHILDREN: readonly ServiceCore[] = [];

/** The wait for `setShutdown()`, up to `shutdownTimeout`. */
function awaitShutdown(core: ServiceCore, run: Run): Observable<unknown> {
  const svc = core.data;
  logAt(svc, 'debug', 'Waiting for shutdown');
  const limit = toMs(svc.shutdownTimeout);
  return waitAtMost(
    core,
    limit,
    (done) => {
      const shutdown = run.shutdown$.subscribe(() => {
        logAt(svc, 'debug', 'Shutting down now');
        done();
      });
      return () => shutdown.unsubscribe();
    },
    () => logAt(svc, 'warn', 'No setShutdown() within %d ms: shutting down anyway', limit),
  );
}

/**
 * Waits for the Promise tasks and futures still going, up to `stopTimeout`, then names
 * each one still pending. Work that itself called `stop()` is not waited for: it waits
 * for this stop, so waiting for it would never end.
 */
function settle(core: ServiceCore, run: Run): Observable<unknown> | undefined {
  if (run.liveCount === 0) return undefined;
  const svc = core.data;
  const limit = toMs(svc.stopTimeout);
  return waitAtMost(core, limit, (done) => run.whenSettled(done), () => {
    for (const work of run.live) {
      if (work.pendingIn === run && !work.excused) logAt(svc, 'warn', 'Still pending after %d ms: %s', limit, work.name);
    }
  });
}

/**
 * A step that waits until `wait` calls its `done`, or `limit` ms on the service's
 * scheduler, then `timedOut()`. `wait` returns how to stop waiting, or nothing when there
 * is nothing to wait for. One Observable with the deadline in it, not a race of two
 * through `firstToEmit`, `longTimer` and `peek`: this code runs once a stop, so a stop
 * measured cold runs it unoptimized, layer by layer (W6 on Node 24, a stop of one Promise
 * task and one Observable task, the tenth of a process: 0.15 to 0.1 ms).
 */
function waitAtMost(
  core: ServiceCore,
  limit: number,
  wait: (done: () => void) => (() => void) | undefined,
  timedOut: () => void,
): Observable<unknown> {
  return new Observable<void>((subscriber) => {
    let deadline: Subscription | undefined;
    const stopWaiting = wait(() => {
      deadline?.unsubscribe();
      done(subscriber);
    });
    if (!stopWaiting) return done(subscriber);
    if (subscriber.closed) return; // it ended as it began
    const scheduler = core.scheduler;
    deadline = wakeAt(scheduler, scheduler.now() + limit, () => {
      stopWaiting();
      timedOut();
      done(subscriber);
    });
    return () => {
      stopWaiting();
      deadline!.unsubscribe();
    };
  });
}
