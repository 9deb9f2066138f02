import { type Observable, defer } from 'rxjs';
import { BASE_LIFECYCLE, CORE, markCrashed, setReady, stampStart, transition } from './core.js';
import { ServiceStateError } from './errors.js';
import { callHookStep } from './hooks.js';
import { describeReason, logAt, logCrash, logMundane } from './log.js';
import type { Service } from './service.js';
import { type Steps, inOrder } from './steps.js';
import { stopSteps } from './stop.js';
import { startDeclaredWork } from './work.js';

/**
 * Starts a service, as an Observable that completes when it has started: state `running`,
 * then (first start only) the dependencies from `onInitDependencies()` and `onFirstStart`,
 * then `onStart`, the declared tasks, timers and cron jobs, the children in the order they
 * were added, `onStarted`, and `ready$` true. A stop in between ends it at the next step
 * (a hook still running is cut). A failing step rolls back (the service is crashed, then
 * torn down: started children stopped, contexts exited) and the error is passed on.
 *
 * @example
 * start$(svc).subscribe({ complete: () => console.log(svc.state) }); // 'running'
 */
export function start$(svc: Service): Observable<void> {
  return defer(() => inOrder(startSteps(svc)));
}

/**
 * The start of `svc` as steps. Children whose start is not overridden are started inline
 * (yielded, so they run on the step runner's stack): while every hook is synchronous, a whole tree starts in one pass.
 */
export function* startSteps(svc: Service): Steps {
  const core = svc[CORE];
  const state = core.state;
  if (state !== 'init') {
    throw new ServiceStateError(`cannot start ${svc.label}: it is ${state} (start needs init; restart() or serviceReset() first)`, state);
  }
  stampStart(core);
  transition(svc, 'running');
  logMundane(svc, 'Starting...');
  const cut = core.run;
  let step: Observable<unknown> | undefined;
  try {
    if (core.restartCount === 0) {
      for (const dependency of svc.onInitDependencies()) svc.addDependency(dependency);
      if ((step = callHookStep(svc, 'onFirstStart', cut))) yield step;
      if (svc.shouldStop) return;
    }
    if ((step = callHookStep(svc, 'onStart', cut))) yield step;
    if (svc.shouldStop) return;
    startDeclaredWork(svc);
    // The beacon's live list, indexed: a child added while an earlier one starts is started too.
    const nodes = svc.beacon.children;
    for (let i = 0; i < nodes.length; i++) {
      if (svc.shouldStop) return;
      const child = nodes[i]!.data as Service;
      if (child?.[CORE] && child.state === 'init') {
        if (child.start$ === BASE_LIFECYCLE.start$) yield startSteps(child);
        else yield child.start$();
      }
    }
    if (svc.shouldStop) return;
    if ((step = callHookStep(svc, 'onStarted', cut))) yield step;
    if (svc.shouldStop) return;
  } catch (error) {
    yield rollBack(svc, error);
  }
  setReady(core, true);
  logAt(svc, 'debug', 'Started.');
}

/** Start failures already logged where they happened, so each ancestor need not repeat them. */
const reported = new WeakSet<object>();

/** Crashes the service, tears down what the start did, and passes the error on. */
function* rollBack(svc: Service, error: unknown): Steps {
  if (markCrashed(svc, error)) {
    const known = typeof error === 'object' && error !== null;
    if (known && reported.has(error)) logAt(svc, 'debug', 'Start failed in a dependency: %s', describeReason(error));
    else logCrash(svc, error);
    if (known) reported.add(error);
  }
  try {
    yield stopSteps(svc);
  } catch {
    // The start's own failure is the one to report.
  }
  throw error;
}
