import { Observable } from 'rxjs';
import { ServiceCore } from './core.js';
import { ServiceStateError } from './errors.js';
import { callHookStep } from './hooks.js';
import { describeReason, logAt, logCrash, logMundane } from './log.js';
import { type Steps, inOrder } from './steps.js';
import { stop$, stopSteps } from './stop.js';
import { startDeclaredWork } from './work.js';

/**
 * Starts a service, as an Observable that completes when it has started: state `running`,
 * then (first start only) the dependencies from `onInitDependencies()` and `onFirstStart`,
 * then `onStart`, the declared tasks, timers and cron jobs, the children in the order they
 * were added, `onStarted`, and `ready$` true. A stop in between ends it at the next step.
 * A failing step rolls back (the service is crashed, then torn down: started children
 * stopped, contexts exited) and the error is passed on.
 *
 * Unsubscribing before it completes abandons the start: the service is stopped as if
 * `stop()` had been called then (API.md, "Cancellation"), so
 * `start$(core).pipe(timeout(5000))` is a start with a deadline.
 *
 * @example
 * start$(svc[CORE]).subscribe({ complete: () => console.log(svc.state) }); // 'running'
 */
export function start$(core: ServiceCore): Observable<void> {
  return new Observable<void>((subscriber) => {
    let finished = false;
    const subscription = inOrder(startSteps(core)).subscribe({
      complete: () => {
        finished = true;
        subscriber.complete();
      },
      error: (error: unknown) => {
        finished = true;
        subscriber.error(error);
      },
    });
    return () => {
      if (finished) return;
      subscription.unsubscribe();
      stop$(core).subscribe({ error: () => undefined }); // the teardown logs its own failures
    };
  });
}

/**
 * The start of a service as steps. Children whose start is not overridden run their
 * steps inline (yielded to the step runner, which keeps them on its own stack): while
 * every hook is synchronous, a whole tree of any depth starts in one pass.
 */
export function* startSteps(core: ServiceCore): Steps {
  const svc = core.data;
  const state = core.state;
  if (state !== 'init') {
    throw new ServiceStateError(`cannot start ${svc.label}: it is ${state} (start needs init; restart() or serviceReset() first)`, state);
  }
  core.stampStart();
  core.transition('running');
  logMundane(svc, 'Starting...');
  const run = core.run;
  let step: Observable<unknown> | undefined;
  try {
    if (core.restartCount === 0) {
      for (const dependency of svc.onInitDependencies()) svc.addDependency(dependency);
      if ((step = callHookStep(svc, 'onFirstStart', run))) yield step;
      if (run.isStopped) return;
    }
    if ((step = callHookStep(svc, 'onStart', run))) yield step;
    if (run.isStopped) return;
    startDeclaredWork(svc);
    // The tree's live list, indexed: a child added while an earlier one starts is started too.
    const nodes = core.children;
    for (let i = 0; i < nodes.length; i++) {
      if (run.isStopped) return;
      const child = nodes[i]!;
      if (!(child instanceof ServiceCore) || child.state !== 'init') continue;
      if (child.startsInline) yield startSteps(child);
      else yield child.data.start$();
    }
    if (run.isStopped) return;
    if ((step = callHookStep(svc, 'onStarted', run))) yield step;
    if (run.isStopped) return;
  } catch (error) {
    yield rollBack(core, error);
  }
  core.setReady(true);
  logAt(svc, 'debug', 'Started.');
}

/** Start failures already logged where they happened, so each ancestor need not repeat them. */
const reported = new WeakSet<object>();

/** Crashes the service, tears down what the start did, and passes the error on. */
function* rollBack(core: ServiceCore, error: unknown): Steps {
  if (core.markCrashed(error)) {
    const known = typeof error === 'object' && error !== null;
    if (known && reported.has(error)) logAt(core.data, 'debug', 'Start failed in a dependency: %s', describeReason(error));
    else logCrash(core.data, error);
    if (known) reported.add(error);
  }
  try {
    yield stopSteps(core);
  } catch {
    // The start's own failure is the one to report.
  }
  throw error;
}
