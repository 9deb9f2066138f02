import { BehaviorSubject, Observable, type SchedulerLike, Subject } from 'rxjs';
import type { Logger } from '../logging/logger.js';
import type { SupervisorStrategy } from '../supervisors/supervisor-strategy.js';
import type { Timer } from '../time/timer.js';
import { Beacon } from '../tree/beacon.js';
import { Diag } from './diag.js';
import { ServiceStateError } from './errors.js';
import { Run } from './run.js';
import type { Service } from './service.js';
import { canTransition, type ServiceEvent, type ServiceState } from './state.js';

/** @internal The key under which a Service keeps its core. */
export const CORE: unique symbol = Symbol('rxmode.core');

/**
 * @internal
 * What a service is inside: its state machine, the run it is on, and its place in the
 * tree. A core *is* the service's Beacon (`service.beacon`), so the tree links cores, and
 * a walk of the tree finds each service's machinery without a lookup. `Service` is the
 * public class with the hooks, over its core; a `ServiceProxy` shares its target's core,
 * so it has the target's state, tree place, scheduler and timers without forwarding them.
 *
 * The lifecycle (start.ts, stop.ts, crash.ts, reset.ts) works on cores and calls the hooks
 * of `core.data`, the service that made the core.
 */
export class ServiceCore extends Beacon<Service> {
  state: ServiceState = 'init';
  /** Made on first use of `state$`; until then `state` alone holds the value. */
  #state$: BehaviorSubject<ServiceState> | undefined;
  /** Made on first use of `ready$`; until then `isReady` alone holds the value. */
  #ready$: BehaviorSubject<boolean> | undefined;
  isReady = false;
  /** Made on first use of `events$`. */
  #events: Subject<ServiceEvent> | undefined;
  #diag: Diag | undefined;
  // Name, timer, name, timer... until someone asks for `timers`: a Map costs a few
  // hundred bytes a service, and most services' timers are never looked up by name.
  #timers: (string | Timer)[] | Map<string, Timer> | undefined;
  run = new Run();
  crashReason: unknown = undefined;
  restartCount = 0;
  /** How many times it went to `crashed`, over all its runs (for `/metrics`). */
  crashes = 0;
  /** When this run started, as a count of starts across all services: stops go by it. */
  startedAt = 0;
  /** Who restarts the service when it crashes; `null` lets the crash spread up the tree. */
  supervisor: SupervisorStrategy | null = null;
  /** The parent logger given in the options (default: the root logger). */
  readonly logParent: Logger | undefined;
  /**
   * Whether the service keeps Service's own `start$` / `stop$`: its parent then runs its
   * steps inline instead of subscribing to it (an Observable per child made W1 45x slower).
   */
  startsInline = true;
  stopsInline = true;

  constructor(
    service: Service,
    readonly scheduler: SchedulerLike,
    logParent: Logger | undefined,
    parent: Beacon | undefined,
  ) {
    super(service, parent as Beacon<Service> | undefined);
    this.logParent = logParent;
  }

  /** The label of the service that owns this core, for messages. */
  get label(): string {
    return this.data.label;
  }

  /**
   * Moves the service to `to`, refusing any transition the state machine does not have,
   * and tells `state$` and the `events$` of the service and of each of its ancestors.
   */
  transition(to: ServiceState, reason?: unknown): void {
    const from = this.state;
    if (!canTransition(from, to)) {
      throw new ServiceStateError(`${this.label} cannot go from ${from} to ${to}`, from);
    }
    if (to !== 'running') this.setReady(false);
    this.state = to;
    this.#state$?.next(to);
    if (eventWatchers > 0) this.#tellEvents(from, to, reason);
  }

  #tellEvents(from: ServiceState, to: ServiceState, reason: unknown): void {
    let event: ServiceEvent | undefined;
    for (let node: Beacon | undefined = this; node; node = node.parent) {
      const events = node instanceof ServiceCore ? node.#events : undefined;
      if (!events?.observed) continue;
      const service = this.data;
      const at = this.scheduler.now();
      event ??=
        reason === undefined
          ? { service, label: this.label, from, to, at }
          : { service, label: this.label, from, to, at, reason };
      events.next(event);
    }
  }

  setReady(ready: boolean): void {
    if (this.isReady === ready) return;
    this.isReady = ready;
    this.#ready$?.next(ready);
  }

  /**
   * Marks this service crashed (not its relatives): records the reason, ends everything
   * that runs on its own (stopped$, the AbortSignal, tasks), emits the transition, and
   * tells its supervisor, if it has one. A service in `init` or `shutdown` runs nothing,
   * so there is nothing to crash: false.
   */
  markCrashed(reason: unknown): boolean {
    const state = this.state;
    if (state !== 'running' && state !== 'stopping') return false;
    this.crashReason = reason;
    this.crashes += 1;
    this.run.signalStop();
    this.transition('crashed', reason);
    this.supervisor?.childCrashed(this.data);
    return true;
  }

  /** Stamps the start of a run, so the parent stops its children in reverse start order. */
  stampStart(): void {
    this.startedAt = ++starts;
  }

  /** A fresh run in `init`: restartCount + 1, no crash reason. Tells the supervisor. */
  reset(): void {
    this.restartCount++;
    this.run = new Run();
    this.crashReason = undefined;
    if (this.state !== 'init') this.transition('init');
    this.supervisor?.childReset(this.data);
  }

  /**
   * Moves the service under `parent`. A service that a supervisor claimed, moved under
   * anything but that supervisor (`addDependency()` elsewhere), leaves it: the supervisor
   * is told by a call (`SupervisorStrategy.childMoved`), as it is told of a crash.
   */
  override reattach(parent: Beacon<Service>): this {
    super.reattach(parent);
    // Undefined while the Beacon constructor attaches a new core: nobody claimed it yet.
    const supervisor = this.supervisor as SupervisorStrategy | null | undefined;
    if (supervisor && parent !== supervisor.beacon) supervisor.childMoved(this.data);
    return this;
  }

  /** The cores of the services among this one's children, in the order they were added. */
  serviceChildren(): ServiceCore[] {
    const cores: ServiceCore[] = [];
    for (const node of this.children) if (node instanceof ServiceCore) cores.push(node);
    return cores;
  }

  /** The nearest core, this one or up the tree, whose service has a supervisor. */
  supervisedAncestor(): ServiceCore | undefined {
    for (let node: Beacon | undefined = this; node; node = node.parent) {
      if (node instanceof ServiceCore && node.supervisor) return node;
    }
    return undefined;
  }

  get state$(): Observable<ServiceState> {
    return (this.#state$ ??= new BehaviorSubject(this.state)).asObservable();
  }

  /** Whether anyone watches `state$` (for `inspectService`). */
  get stateWatched(): boolean {
    return this.#state$?.observed ?? false;
  }

  get ready$(): Observable<boolean> {
    return (this.#ready$ ??= new BehaviorSubject(this.isReady)).asObservable();
  }

  /** Every transition of the service and of its subtree, from now on. */
  get events$(): Observable<ServiceEvent> {
    return new Observable<ServiceEvent>((subscriber) => {
      eventWatchers++;
      const subscription = (this.#events ??= new Subject<ServiceEvent>()).subscribe(subscriber);
      return () => {
        eventWatchers--;
        subscription.unsubscribe();
      };
    });
  }

  get diag(): Diag {
    return (this.#diag ??= new Diag(this.scheduler));
  }

  /** The Timer behind each `@timer`, by name. */
  get timers(): ReadonlyMap<string, Timer> {
    const list = this.#timers;
    if (list instanceof Map) return list;
    const timers = new Map<string, Timer>();
    if (list) for (let i = 0; i < list.length; i += 2) timers.set(list[i] as string, list[i + 1] as Timer);
    return (this.#timers = timers);
  }

  /** Each `@timer`'s name and Timer, without making the `timers` map. */
  forEachTimer(visit: (name: string, timer: Timer) => void): void {
    const list = this.#timers;
    if (list instanceof Map) list.forEach((timer, name) => visit(name, timer));
    else if (list) for (let i = 0; i < list.length; i += 2) visit(list[i] as string, list[i + 1] as Timer);
  }

  registerTimer(name: string, timer: Timer): void {
    const list = this.#timers;
    if (!list) {
      this.#timers = [name, timer]; // made at its size: a pushed-to [] reserves room for 17
      return;
    }
    if (list instanceof Map) {
      list.set(name, timer);
      return;
    }
    const at = list.indexOf(name);
    if (at >= 0 && at % 2 === 0) list[at + 1] = timer;
    else list.push(name, timer);
  }
}

let starts = 0;

/**
 * How many `events$` subscriptions there are, in all services. While there are none, a
 * transition tells no ancestor: walking up a chain of 20,000 services at each of its
 * transitions made its start and stop quadratic (18 s of 26 s at that depth).
 */
let eventWatchers = 0;
