import type { Service, ServiceState } from '../../service/index.js';

/**
 * The four calls the lifecycle check makes.
 *
 * @example
 * real.expect(child, 'stop' satisfies LifecycleCallName);
 */
export type LifecycleCallName = 'start' | 'stop' | 'restart' | 'crash';

/**
 * What the lifecycle model predicts, as custom commands see it (`run(model, real)`):
 * the state each service should be in and how many resets it should have had.
 *
 * @example
 * const probe: LifecycleCommand = {
 *   check: (model) => model.state(someService) === 'running', // drawn only while it should run
 *   async run(_model, real) { await real.service.ping(); },
 *   toString: () => 'ping',
 * };
 */
export interface LifecycleModel {
  /** The state the model predicts for `service`; undefined for a service it has not seen. */
  state(service: Service): ServiceState | undefined;
  /** The `restartCount` the model predicts for `service`. */
  restartCount(service: Service): number | undefined;
}

/** The tree at one moment: who is whose child, and how far a crash spreads. */
export interface TreeShape {
  children(service: Service): readonly Service[];
  /**
   * The services a crash of `service` marks: everything below its nearest supervised
   * ancestor (or itself), else its whole tree from the root.
   */
  crashGroup(service: Service): readonly Service[];
}

/** What one call should do: how it settles, and which services it touched. */
export interface Prediction {
  /** 'resolves', or the reason the model expects a ServiceStateError. */
  readonly outcome: 'resolves' | { readonly refused: string };
  /** Services whose predicted state this call set (the others keep theirs). */
  readonly touched: Set<Service>;
  /** Services whose teardown this call runs, in order: each stops its children in reverse start order. */
  readonly teardowns: Service[];
}

/**
 * The model: the state machine of the API contract, applied to a tree, with every hook
 * succeeding. It is told the tree's shape (read from the real tree: the model predicts
 * states, not structure) and predicts each service's state and restart count.
 *
 * - start: only from `init` (else ServiceStateError); the service runs, then each child
 *   still in `init`, depth first, in the order they were added.
 * - stop: a running service, or a crashed one not torn down yet, is torn down: its
 *   children that are not in `init` or `shutdown` stopped the same way, then it is
 *   `shutdown` (a crashed one stays `crashed`). Anything else: nothing happens.
 * - restart: stop, then the reset of the whole subtree (all or nothing: a ServiceStateError
 *   while any of it still runs), then start.
 * - crash: of a running service: every running service from the nearest supervised one
 *   (or the root) down is `crashed`.
 */
export class Model implements LifecycleModel {
  readonly #states = new Map<Service, ServiceState>();
  readonly #resets = new Map<Service, number>();
  /** Services whose current run has been torn down: a second stop does nothing. */
  readonly #tornDown = new Set<Service>();

  state(service: Service): ServiceState | undefined {
    return this.#states.get(service);
  }

  restartCount(service: Service): number | undefined {
    return this.#resets.get(service);
  }

  /** Whether the model knows `service`'s current run was torn down (its contexts exited). */
  tornDown(service: Service): boolean {
    return this.#tornDown.has(service) || this.#states.get(service) === 'shutdown';
  }

  /** A service seen for the first time, as it is. */
  know(service: Service, state: ServiceState, restartCount: number): void {
    this.#states.set(service, state);
    this.#resets.set(service, restartCount);
  }

  /**
   * Takes the real state of a service whose change the model did not predict (what a
   * custom command did). A crashed service is taken as not torn down, a shutdown one as
   * torn down.
   */
  adopt(service: Service, state: ServiceState): void {
    if (this.#states.get(service) === state) return;
    this.#states.set(service, state);
    this.#tornDown.delete(service);
  }

  /**
   * Predicts `call` on `target`. `before` is the tree when the call began (a stop or a
   * crash goes by it), `after` the tree when it ended (a start goes by it: a start may add
   * children); `fresh` are the services first seen after this call, not reset by it.
   */
  predict(call: LifecycleCallName, target: Service, before: TreeShape, after: TreeShape, fresh: ReadonlySet<Service>): Prediction {
    const prediction: Prediction = { outcome: 'resolves', touched: new Set(), teardowns: [] };
    const refuse = (why: string): Prediction => ({ ...prediction, outcome: { refused: why } });
    switch (call) {
      case 'start': {
        const state = this.#states.get(target);
        if (state !== 'init') return refuse(`${target.label} is ${state}, and start() needs init`);
        this.#start(target, after, prediction);
        return prediction;
      }
      case 'stop':
        this.#stop(target, before, prediction);
        return prediction;
      case 'restart': {
        this.#stop(target, before, prediction);
        const resetting = subtree(target, after).filter((s) => !fresh.has(s));
        const busy = resetting.find((s) => this.#states.get(s) === 'running' || this.#states.get(s) === 'stopping');
        if (busy) return refuse(`its reset finds ${busy.label} ${this.#states.get(busy)}`);
        for (const service of resetting) {
          this.#set(service, 'init', prediction);
          this.#resets.set(service, (this.#resets.get(service) ?? 0) + 1);
          this.#tornDown.delete(service);
        }
        this.#start(target, after, prediction);
        return prediction;
      }
      case 'crash': {
        const state = this.#states.get(target);
        if (state !== 'running' && state !== 'stopping') return prediction;
        for (const service of before.crashGroup(target)) {
          const each = this.#states.get(service);
          if (each === 'running' || each === 'stopping') this.#set(service, 'crashed', prediction);
        }
        return prediction;
      }
    }
  }

  #set(service: Service, state: ServiceState, prediction: Prediction): void {
    this.#states.set(service, state);
    prediction.touched.add(service);
  }

  #start(service: Service, tree: TreeShape, prediction: Prediction): void {
    this.#set(service, 'running', prediction);
    this.#tornDown.delete(service);
    for (const child of tree.children(service)) {
      if ((this.#states.get(child) ?? 'init') === 'init') this.#start(child, tree, prediction);
    }
  }

  #stop(service: Service, tree: TreeShape, prediction: Prediction): void {
    const state = this.#states.get(service);
    const live = state === 'running' || state === 'stopping';
    if (!live && !(state === 'crashed' && !this.#tornDown.has(service))) return;
    prediction.teardowns.push(service);
    for (const child of tree.children(service)) {
      const each = this.#states.get(child);
      if (each !== 'init' && each !== 'shutdown') this.#stop(child, tree, prediction);
    }
    if (live) this.#set(service, 'shutdown', prediction);
    else prediction.touched.add(service);
    this.#tornDown.add(service);
  }
}

/** `service` and its descendants in `tree`, parents first. */
export function subtree(service: Service, tree: TreeShape): Service[] {
  const out = [service];
  for (let i = 0; i < out.length; i++) out.push(...tree.children(out[i]!));
  return out;
}
