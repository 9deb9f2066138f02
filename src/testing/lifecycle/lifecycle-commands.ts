import { type Arbitrary, array, constant, nat, oneof } from 'fast-check';
import { Service } from '../../service/index.js';
import { LifecycleFailure, describe } from './checks.js';
import { CustomCall, LifecycleCall, type LifecycleCommand, LifecycleRun } from './commands.js';
import { activeHandles, assertHandlesAvailable } from './handles.js';
import type { LifecycleCallName, LifecycleModel } from './model.js';
import { type LifecycleOptions, checkOptions, show } from './options.js';
import type { StepSettings } from './step.js';
import { type LifecycleReal, World } from './world.js';

/**
 * What `lifecycleCommands` gives: the commands, the setup of each run, and hand-made sequences.
 *
 * @example
 * const { commands, setup, sequence } = lifecycleCommands(() => new Cache());
 * await fc.assert(fc.asyncProperty(commands, (cmds) => fc.asyncModelRun(setup, cmds)));
 * await fc.asyncModelRun(setup, sequence('start', 'restart'));
 */
export interface LifecycleCommands<S extends Service = Service> {
  /**
   * Sequences of calls for `fc.asyncModelRun`, each ending with a final stop of
   * everything, checked. Like `fc.commands(...)`, except that shrinking may also drop the
   * last call: a failure found by the final stop can owe nothing to the calls before it.
   */
  readonly commands: Arbitrary<Iterable<LifecycleCommand<S>>>;
  /** A fresh `{ model, real }` for `fc.asyncModelRun`, around a fresh service from the factory. */
  readonly setup: () => { model: LifecycleModel; real: LifecycleReal<S> };
  /**
   * One given sequence, for `fc.asyncModelRun(setup, sequence('start', 'restart'))`: a
   * counterexample kept as a regression test, or an order worth checking every time.
   * With targets: 'tree' a call names its service by label or index: `'stop(S1)'`.
   */
  sequence(...calls: (string | LifecycleCommand<S>)[]): Iterable<LifecycleCommand<S>>;
}

/** Setup errors that are the caller's mistake, not a finding: `checkLifecycle` throws them as they are. */
export const usageErrors = new WeakSet<object>();

/** With targets: 'tree', each call picks its service by an index in 0..20, modulo the number seen. */
const TREE_PICK = 20;
const CALLS: readonly LifecycleCallName[] = ['start', 'stop', 'restart', 'crash'];

/**
 * The lifecycle calls as fast-check commands, for your own model runs: mix in commands of
 * your own (a request, a signal) and they are drawn among `start`, `stop`, `restart` and
 * `crash`, with the same checks after every step (see `checkLifecycle`).
 *
 * @example
 * const get: fc.Arbitrary<LifecycleCommand<Cache>> = fc.constant({
 *   check: () => true,
 *   async run(_model, real) { if (real.service.state === 'running') await real.service.get('k'); },
 *   toString: () => 'get',
 * });
 * const { commands, setup } = lifecycleCommands(() => new Cache(), { commands: [get] });
 * await fc.assert(fc.asyncProperty(commands, (cmds) => fc.asyncModelRun(setup, cmds)));
 */
export function lifecycleCommands<S extends Service>(factory: () => S, options: LifecycleOptions<S> = {}): LifecycleCommands<S> {
  checkOptions('lifecycleCommands', factory, options);
  if (options.handles) assertHandlesAvailable('lifecycleCommands');
  const settings: StepSettings<S> = { check: options.check, handles: options.handles === true };
  const tree = options.targets === 'tree';

  const call = (name: LifecycleCallName): Arbitrary<LifecycleCommand<S>> =>
    tree ? nat(TREE_PICK).map((i) => new LifecycleCall(name, settings, i)) : constant(new LifecycleCall(name, settings));
  const custom = (options.commands ?? []).map((arbitrary) => arbitrary.map((command) => new CustomCall(command, settings)));
  // One oneof with cross-shrinking, so a counterexample shrinks each call towards the
  // first ones (start, stop): `start, restart` rather than `restart, restart`.
  const one = oneof({ withCrossShrink: true }, ...CALLS.map(call), ...custom);
  // fc.array, not fc.commands: fc.commands never shrinks the last call away (it takes the
  // last call that ran for the failing one), yet a leak the final stop finds often owes
  // nothing to it: `start, lookup, start` must shrink to `start, lookup`.
  const commands = array(one, { maxLength: options.maxCommands ?? 20, size: 'max' }).map((cmds) => new LifecycleRun(cmds, settings));

  const made = new WeakSet<Service>();
  const setup = () => {
    const before = settings.handles ? activeHandles() : undefined;
    let service: S;
    try {
      service = factory();
    } catch (error) {
      throw new LifecycleFailure(`the factory threw ${describe(error)}`, [], { cause: error });
    }
    if (!(service instanceof Service) || made.has(service) || service.state !== 'init') {
      const why = !(service instanceof Service)
        ? `returned ${show(service)}, not a Service`
        : made.has(service)
          ? `returned ${service.label} a second time`
          : `returned ${service.label} in state ${service.state}`;
      const error = new TypeError(`lifecycle check: the factory ${why}; it must make a fresh service on each call`);
      usageErrors.add(error);
      throw error;
    }
    made.add(service);
    const world = new World(service, before);
    return { model: world.model, real: world };
  };

  const sequence = (...calls: (string | LifecycleCommand<S>)[]): Iterable<LifecycleCommand<S>> =>
    new LifecycleRun(
      calls.map((c) => (typeof c === 'string' ? parseCall(c, tree, settings) : new CustomCall(c, settings))),
      settings,
    );
  return { commands, setup, sequence };
}

const CALL = /^(start|stop|restart|crash)(?:\((.+)\))?$/;

function parseCall<S extends Service>(text: string, tree: boolean, settings: StepSettings<S>): LifecycleCall<S> {
  const match = CALL.exec(text.trim());
  if (!match || (match[2] !== undefined && !tree)) {
    const form = tree ? "'start', 'stop', 'restart' or 'crash', optionally with a label or index: 'stop(S1)'" : "'start', 'stop', 'restart' or 'crash'";
    throw new TypeError(`lifecycle sequence: ${show(text)} is not a call; expected ${form}`);
  }
  const [, name, target] = match;
  return new LifecycleCall(name as LifecycleCallName, settings, target === undefined ? (tree ? 0 : undefined) : /^\d+$/.test(target) ? Number(target) : target);
}
