import { type AsyncCommand, cloneMethod, hasCloneMethod } from 'fast-check';
import type { Service } from '../../service/index.js';
import type { LifecycleCallName, LifecycleModel } from './model.js';
import { type StepSettings, callStep, customStep, finalStep } from './step.js';
import type { LifecycleReal, World } from './world.js';

/**
 * A command of a lifecycle run: the check's own calls, or one of yours (fast-check's
 * `AsyncCommand` over the lifecycle model and the run's real side).
 *
 * @example
 * const lookup: fc.Arbitrary<LifecycleCommand<Cache>> = fc.constant({
 *   check: () => true,
 *   async run(_model, real) { if (real.service.state === 'running') await real.service.get('k'); },
 *   toString: () => 'lookup',
 * });
 */
export type LifecycleCommand<S extends Service = Service> = AsyncCommand<LifecycleModel, LifecycleReal<S>>;

/** Runs a step; after a failure, stops what the run left running before passing the failure on. */
async function guarded<S extends Service>(world: World<S>, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    await world.abandon();
    throw error;
  }
}

/**
 * `start`, `stop`, `restart` or `crash` on the factory's service, or (targets: 'tree') on
 * the service `target` picks among those seen: an index (modulo their number) or a label.
 */
export class LifecycleCall<S extends Service> implements LifecycleCommand<S> {
  #label: string | undefined;
  /** Whether it ran (in this run: each run gets fresh commands). */
  ran = false;

  constructor(
    readonly call: LifecycleCallName,
    readonly settings: StepSettings<S>,
    readonly target?: number | string,
  ) {}

  check(): boolean {
    return true;
  }

  async run(_model: LifecycleModel, real: LifecycleReal<S>): Promise<void> {
    const world = real as World<S>;
    this.ran = true;
    await guarded(world, () => {
      const target = this.#pick(world);
      const label = (this.#label = this.target === undefined ? this.call : `${this.call}(${target.label})`);
      world.calls.push(label);
      return callStep(world, this.call, target, label, this.settings);
    });
  }

  #pick(world: World<S>): Service {
    const target = this.target;
    if (target === undefined) return world.service;
    if (typeof target === 'number') return world.services[target % world.services.length]!;
    const found = world.services.find((s) => s.label === target);
    if (!found) throw new TypeError(`${this.call}(${target}): no service labelled '${target}' in this run (${world.services.map((s) => s.label).join(', ')})`);
    return found;
  }

  toString(): string {
    return this.#label ?? (this.target === undefined ? this.call : `${this.call}(${this.target})`);
  }

  // A fresh command for each run of a sequence, so the label it prints is that run's.
  [cloneMethod](): LifecycleCall<S> {
    return new LifecycleCall(this.call, this.settings, this.target);
  }
}

/** A command of the user's own, followed by the model's update and the checks. */
export class CustomCall<S extends Service> implements LifecycleCommand<S> {
  ran = false;

  constructor(
    readonly command: LifecycleCommand<S>,
    readonly settings: StepSettings<S>,
  ) {}

  check(model: Readonly<LifecycleModel>): boolean {
    return this.command.check(model);
  }

  async run(_model: LifecycleModel, real: LifecycleReal<S>): Promise<void> {
    const world = real as World<S>;
    this.ran = true;
    const label = this.command.toString();
    world.calls.push(label);
    await guarded(world, () => customStep(world, (m, r) => this.command.run(m, r), label, this.settings));
  }

  toString(): string {
    return this.command.toString();
  }

  [cloneMethod](): CustomCall<S> {
    const command = this.command;
    return new CustomCall(hasCloneMethod(command) ? (command[cloneMethod]() as LifecycleCommand<S>) : command, this.settings);
  }
}

/** The last command of every run: everything stopped and checked, handles too. */
export class FinalStop<S extends Service> implements LifecycleCommand<S> {
  constructor(readonly settings: StepSettings<S>) {}

  check(): boolean {
    return true;
  }

  async run(_model: LifecycleModel, real: LifecycleReal<S>): Promise<void> {
    const world = real as World<S>;
    await guarded(world, () => finalStep(world, this.settings));
  }

  toString(): string {
    return 'the final stop';
  }
}

/**
 * One run's commands followed by the final stop, so that a plain
 * `fc.asyncModelRun(setup, cmds)` also ends with everything stopped and checked.
 */
export class LifecycleRun<S extends Service> implements Iterable<LifecycleCommand<S>> {
  constructor(
    readonly commands: Iterable<LifecycleCommand<S>>,
    readonly settings: StepSettings<S>,
  ) {}

  *[Symbol.iterator](): Iterator<LifecycleCommand<S>> {
    yield* this.commands;
    yield new FinalStop(this.settings);
  }

  /** The calls that ran, e.g. ['start', 'restart']. */
  calls(): string[] {
    const ran = [...this.commands].filter((command) => (command as { ran?: boolean }).ran !== false);
    return ran.map(String);
  }

  /** The calls that ran, as fast-check prints a counterexample: `start, restart`. */
  toString(): string {
    return this.calls().join(', ');
  }
}
