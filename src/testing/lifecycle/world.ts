import type { Subscription } from 'rxjs';
import { Service, type ServiceState } from '../../service/index.js';
import { type LifecycleCallName, Model, type TreeShape, subtree } from './model.js';

/**
 * The real side of a lifecycle run, as custom commands see it (`run(model, real)`).
 *
 * @example
 * const request: fc.Arbitrary<LifecycleCommand<Cache>> = fc.constant({
 *   check: () => true,
 *   async run(_model, real) { if (real.service.state === 'running') await real.service.get('key'); },
 *   toString: () => 'get',
 * });
 */
export interface LifecycleReal<S extends Service = Service> {
  /** The service the factory made for this run. */
  readonly service: S;
  /** Every service seen in this run, the factory's first, in the order they were seen. */
  readonly services: readonly Service[];
  /**
   * Tells the model what a custom command is about to do to `service`, as if the check
   * itself called `call` on it: e.g. `real.expect(child, 'stop')` before
   * `parent.removeDependency(child)`. The model then predicts those states too; without
   * it, it takes the states a custom command leaves as they are.
   */
  expect(service: Service, call: LifecycleCallName): void;
}

/** The tree as it stands now, copied, so that later changes do not move it. */
export interface Snapshot extends TreeShape {
  readonly states: ReadonlyMap<Service, ServiceState>;
  /** When the snapshot was taken, in the run's count of transitions. */
  readonly mark: number;
  /** Each service's latest start, in that count. */
  readonly lastStart: ReadonlyMap<Service, number>;
}

/**
 * One run's services and what they did: every service of the trees it touches, found as
 * they appear (through `events$` of each tree's top service, and by walking the trees after
 * each step), the history of each one's states, and the order of their starts and stops.
 */
export class World<S extends Service> implements LifecycleReal<S> {
  readonly model = new Model();
  readonly services: Service[] = [];
  readonly histories = new Map<Service, ServiceState[]>();
  /** Each service's latest `running` and `stopping`, in a count of transitions across the run. */
  readonly lastStart = new Map<Service, number>();
  readonly lastStop = new Map<Service, number>();
  /** The calls made so far, as they read in a failure: `start`, `stop(S1)`. */
  readonly calls: string[] = [];
  expectations: [Service, LifecycleCallName][] = [];
  #count = 0;
  #fresh = new Set<Service>();
  readonly #subscriptions: Subscription[] = [];
  readonly #watched = new Map<Service, Subscription>();
  #closed = false;

  constructor(
    readonly service: S,
    /** Active handles by type before the factory ran (`handles: true`). */
    readonly handlesBefore?: ReadonlyMap<string, number>,
  ) {
    this.#track(canonical(service));
    for (const each of this.discover()) this.model.know(each, each.state, each.restartCount);
  }

  expect(service: Service, call: LifecycleCallName): void {
    this.expectations.push([service, call]);
  }

  /** Begins a step: the tree it starts from, and no service counted as new yet. */
  snapshot(): Snapshot {
    this.#fresh = new Set();
    return this.shape();
  }

  /** The tree as it stands now, copied. */
  shape(): Snapshot {
    const children = new Map<Service, readonly Service[]>();
    const states = new Map<Service, ServiceState>();
    for (const service of this.services) {
      children.set(service, service.children);
      states.set(service, service.state);
    }
    const groups = new Map<Service, readonly Service[]>();
    const shape: TreeShape = {
      children: (service) => children.get(service) ?? [],
      crashGroup: (service) => groups.get(service) ?? [service],
    };
    for (const service of this.services) groups.set(service, subtree(crashTop(service), shape));
    return { ...shape, states, mark: this.#count, lastStart: new Map(this.lastStart) };
  }

  /**
   * Finds the services that joined the trees (and starts watching any new top service);
   * returns those first seen since the last snapshot.
   */
  discover(): ReadonlySet<Service> {
    const tops = new Set<Service>();
    for (let i = 0; i < this.services.length; i++) {
      const top = topService(this.services[i]!);
      if (tops.has(top)) continue;
      tops.add(top);
      for (const node of top.beacon.traverse()) if (node.data instanceof Service) this.#track(node.data);
    }
    for (const [top, subscription] of this.#watched) {
      if (!tops.has(top)) {
        subscription.unsubscribe();
        this.#watched.delete(top);
      }
    }
    for (const top of tops) {
      if (this.#watched.has(top) || this.#closed) continue;
      // A service that joins mid-step and starts at once is seen at its first transition,
      // so its start takes its true place among the others.
      this.#watched.set(top, top.events$.subscribe((event) => event.service instanceof Service && this.#track(event.service)));
    }
    return this.#fresh;
  }

  /** Stops every service this run saw, quietly: after a failure, so that nothing is left running. */
  async abandon(): Promise<void> {
    if (this.#closed) return;
    for (const service of this.services) {
      const top = topService(service);
      if (top.state === 'running' || top.state === 'crashed') await top.stop().catch(() => undefined);
    }
    for (const service of this.services) {
      if (service.state === 'running' || service.state === 'crashed') await service.stop().catch(() => undefined);
    }
    this.close();
  }

  /** Stops watching the services. */
  close(): void {
    this.#closed = true;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    for (const subscription of this.#watched.values()) subscription.unsubscribe();
    this.#watched.clear();
  }

  #track(service: Service): boolean {
    if (this.histories.has(service) || this.#closed) return false;
    const history: ServiceState[] = [];
    this.services.push(service);
    this.histories.set(service, history);
    this.#fresh.add(service);
    this.#subscriptions.push(
      service.state$.subscribe((state) => {
        history.push(state);
        const at = ++this.#count;
        if (state === 'running') this.lastStart.set(service, at);
        else if (state === 'stopping') this.lastStop.set(service, at);
      }),
    );
    return true;
  }
}

/**
 * The service that holds `service`'s place in the tree: itself, or for a `ServiceProxy`
 * the service it hands its lifecycle to (its beacon is that one's).
 */
export function canonical(service: Service): Service {
  const data = service.beacon.data;
  return data instanceof Service ? data : service;
}

/** The topmost service above `service` (itself when no service is above it). */
export function topService(service: Service): Service {
  let top = service;
  for (const node of service.beacon.walk()) if (node.data instanceof Service) top = node.data;
  return top;
}

/** Where a crash of `service` spreads from: its nearest supervised ancestor (or itself), else the top. */
function crashTop(service: Service): Service {
  for (const node of service.beacon.walk()) {
    if (node.data instanceof Service && node.data.supervisor) return node.data;
  }
  return topService(service);
}
