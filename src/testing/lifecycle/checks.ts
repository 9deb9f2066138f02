import { type Service, ServiceStateError } from '../../service/index.js';
import { inspectService } from '../inspect.js';
import { illegalTransition } from '../states.js';
import { handlesLeft } from './handles.js';
import type { Prediction } from './model.js';
import type { Outcome } from './settle.js';
import type { LifecycleReal, Snapshot, World } from './world.js';

/**
 * What the lifecycle check throws when a step goes wrong: the message says what, `calls`
 * the calls made up to there, and `cause` holds the service's own error when there is one
 * (a hook's rejection, a crash reason).
 *
 * @example
 * const { setup, sequence } = lifecycleCommands(() => new Database());
 * await fc.asyncModelRun(setup, sequence('start', 'restart'));
 * // rejects: LifecycleFailure: restart rejected with Error: already connected
 * //          (calls: ['start', 'restart'], cause: Error: already connected)
 */
export class LifecycleFailure extends Error {
  override name = 'LifecycleFailure';

  constructor(
    message: string,
    /** The calls of the run up to the failing one, e.g. ['start', 'restart']. */
    readonly calls: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One step, as the checks after it see it. */
export interface Step {
  /** How it reads in a failure: 'restart', 'stop(S1)', 'the final stop of Db'. */
  readonly label: string;
  /** How the call settled (not for custom commands: they check their own). */
  readonly outcome?: Outcome;
  readonly prediction: Prediction;
  readonly before: Snapshot;
}

/**
 * Your own invariants, checked after every step with the kit's (throw to fail).
 *
 * @example
 * const noOrphans: LifecycleCheck<Pool> = (real) => {
 *   if (real.service.state !== 'running' && real.service.openConnections > 0) throw new Error('connections left open');
 * };
 */
export type LifecycleCheck<S extends Service> = (real: LifecycleReal<S>) => void;

/**
 * The checks after every step. Each throws a LifecycleFailure, so that fast-check sees the
 * step fail and shrinks the calls: the call settled as predicted, every transition is
 * legal, every state and restart count is the predicted one, children were stopped in
 * reverse start order, a stopped or crashed service holds nothing rxmode tracks, then
 * the user's own check.
 */
export function checkStep<S extends Service>(world: World<S>, step: Step, check?: LifecycleCheck<S>): void {
  const fail = (message: string, cause?: unknown): never => {
    throw new LifecycleFailure(message, [...world.calls], cause === undefined ? undefined : { cause });
  };
  const { label, outcome, prediction } = step;
  if (outcome) {
    const expected = prediction.outcome;
    if (!outcome.ok && (expected === 'resolves' || !(outcome.error instanceof ServiceStateError))) {
      const model = expected === 'resolves' ? '' : ` (the model expected a ServiceStateError: ${expected.refused})`;
      fail(`${label} rejected with ${describe(outcome.error)}${model}`, outcome.error);
    }
    if (outcome.ok && expected !== 'resolves') fail(`${label} resolved, but the model expected a ServiceStateError: ${expected.refused}`);
  }
  const model = world.model;
  for (const service of world.services) {
    const history = world.histories.get(service)!;
    const illegal = illegalTransition(history);
    if (illegal) {
      fail(`after ${label}, ${service.label} went from ${illegal[0]} to ${illegal[1]}, which the state machine does not have (${history.slice(-8).join(' → ')})`);
    }
  }
  for (const service of world.services) {
    const expected = model.state(service);
    if (service.state === expected) continue;
    const crashed = service.state === 'crashed' ? `, crashed with ${describe(service.crashReason)}` : '';
    fail(`after ${label}, ${service.label} is ${service.state}${crashed}; the model expected ${expected}`, service.state === 'crashed' ? service.crashReason : undefined);
  }
  for (const service of world.services) {
    const expected = model.restartCount(service);
    if (service.restartCount !== expected) {
      fail(`after ${label}, ${service.label}.restartCount is ${service.restartCount}; the model expected ${expected}`);
    }
  }
  for (const parent of prediction.teardowns) {
    const order = stopOrder(world, step.before, parent);
    if (order) fail(`${label} stopped the children of ${parent.label} as ${order.actual}; reverse start order is ${order.expected}`);
  }
  for (const service of world.services) {
    const left = leftBehind(service, model.tornDown(service));
    if (left) fail(`after ${label}, ${service.label} (${service.state}) ${left}`);
  }
  if (!check) return;
  try {
    check(world);
  } catch (error) {
    // Said as the check's, at its step: the bare error read as the service's own.
    fail(`after ${label}, the check threw ${describe(error)}`, error);
  }
}

/**
 * With `handles: true` (Node): once everything is stopped, no active handle (timer,
 * socket, server...) is open that was not open before the factory ran.
 */
export async function checkHandles<S extends Service>(world: World<S>, label: string): Promise<void> {
  if (!world.handlesBefore) return;
  const open = await handlesLeft(world.handlesBefore);
  if (open) {
    throw new LifecycleFailure(`after ${label}, ${open} still open, opened since the factory made ${world.service.label}`, [...world.calls]);
  }
}

/**
 * The children of `parent` running when the step began, if its teardown stopped them out
 * of reverse start order. A child the parent removed itself (`removeDependency` in
 * `onStop`) was stopped when the parent chose, so it is left out.
 */
function stopOrder<S extends Service>(world: World<S>, before: Snapshot, parent: Service): { actual: string; expected: string } | undefined {
  const now = parent.children;
  const stopped = before
    .children(parent)
    .filter((child) => before.states.get(child) === 'running' && (world.lastStop.get(child) ?? 0) > before.mark && now.includes(child));
  if (stopped.length < 2) return undefined;
  const actual = [...stopped].sort((a, b) => world.lastStop.get(a)! - world.lastStop.get(b)!);
  const expected = [...stopped].sort((a, b) => (before.lastStart.get(b) ?? 0) - (before.lastStart.get(a) ?? 0));
  if (actual.every((service, i) => service === expected[i])) return undefined;
  const names = (list: Service[]) => list.map((s) => s.label).join(', ');
  return { actual: names(actual), expected: names(expected) };
}

/** What a stopped or crashed service still holds, in words, or undefined when nothing. */
function leftBehind(service: Service, tornDown: boolean): string | undefined {
  if (service.state !== 'shutdown' && service.state !== 'crashed') return undefined;
  const inside = inspectService(service);
  if (inside.liveWork > 0) {
    return `still has ${inside.liveWork} task(s) or future(s) going: ${Object.keys(service.tracebacks()).join(', ')}`;
  }
  if (!inside.workClosed) return 'still has task or timer subscriptions open';
  if (inside.sleeps > 0) return `still has ${inside.sleeps} sleep(s) waiting`;
  if (!inside.aborted) return 'has an AbortSignal not aborted';
  if (tornDown && inside.openContexts > 0) return `still has ${inside.openContexts} context(s) not exited`;
  return undefined;
}

/** An error as one line: its name and message. */
export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? `'${error}'` : String(error);
}
