import { type Observable, type SchedulerLike, asyncScheduler, defer } from 'rxjs';
import { type Logger, rootLogger } from '../logging/logger.js';
import type { Duration } from '../time/duration.js';
import type { Timer } from '../time/timer.js';
import { Beacon } from '../tree/beacon.js';
import { CORE, type Core, events$, newCore, ready$, state$ } from './core.js';
import { Diag } from './diag.js';
import type { Service } from './service.js';
import type { ServiceEvent, ServiceState } from './state.js';
import { originStack } from './work.js';

export interface ServiceOptions {
  /** The label in logs and graphs; the class name when omitted. */
  name?: string;
  /** Where every wait of this service takes its time from (default `asyncScheduler`). */
  scheduler?: SchedulerLike;
  /** The parent logger of this service's logger (default: the root logger). */
  logger?: Logger;
  /** Attach this service's beacon under an existing one. */
  beacon?: Beacon;
}

/** What claims a service: anything with a `wakeup()`, such as a `SupervisorStrategy`. */
export interface SupervisorLike {
  wakeup(): void;
}

/**
 * What every service is, before it does anything: its settings, its observable state,
 * its place in the tree, its logger and what it is doing, for people. {@link Service}
 * adds the lifecycle, the tree's operations, work and waiting.
 */
export abstract class ServiceBase {
  /** Level of the Starting.../Stopping... lines. */
  static mundaneLevel: 'info' | 'debug' = 'info';
  /**
   * The label of this class's services when they get no `name` (only a class's own
   * `static label` counts, not one it inherits): a class name can be mangled by a minifier.
   *
   * @example
   * class Webserver extends Service { static override label = 'Webserver'; }
   */
  declare static label: string | undefined;
  /** When true, stop() waits for setShutdown(), up to shutdownTimeout. */
  static waitForShutdown = false;
  // The two durations below also take a plain string: TypeScript types a subclass's
  // `static override stopTimeout = '5s'` as string, not from the base, so a Duration type
  // here would refuse every such override. They are checked when used.
  static shutdownTimeout: Duration | string = 60_000;
  /** How long stop() waits for Promise tasks and futures to settle. */
  static stopTimeout: Duration | string = 10_000;

  mundaneLevel: 'info' | 'debug' = (this.constructor as typeof ServiceBase).mundaneLevel;
  waitForShutdown: boolean = (this.constructor as typeof ServiceBase).waitForShutdown;
  shutdownTimeout: Duration | string = (this.constructor as typeof ServiceBase).shutdownTimeout;
  stopTimeout: Duration | string = (this.constructor as typeof ServiceBase).stopTimeout;


  readonly scheduler: SchedulerLike;
  readonly #beacon: Beacon;
  #diag: Diag | undefined;
  /** @internal */
  readonly [CORE]: Core = newCore();
  readonly #name: string | undefined;
  // Name, timer, name, timer... until someone asks for `timers`: a Map costs a few
  // hundred bytes a service, and most services' timers are never looked up by name.
  #timers: (string | Timer)[] | Map<string, Timer> | undefined;
  #supervisor: SupervisorLike | null = null;

  constructor(options: ServiceOptions = {}) {
    this.#name = options.name;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this[CORE].logParent = options.logger;
    this.#beacon = options.beacon ? options.beacon.new(this) : new Beacon(this);
  }


  // ---- observable state -------------------------------------------------------------

  /** Who restarts this service when it crashes; `null` lets the crash spread up the tree. */
  get supervisor(): SupervisorLike | null {
    return this.#supervisor;
  }
  set supervisor(supervisor: SupervisorLike | null) {
    this.#supervisor = supervisor;
  }

  /** This service's node in the tree. */
  get beacon(): Beacon {
    return this.#beacon;
  }

  /** Flags saying what the service is doing, for people. */
  get diag(): Diag {
    return (this.#diag ??= new Diag(this.scheduler));
  }

  get state(): ServiceState {
    return this[CORE].state;
  }

  /** The current state, then each transition. */
  get state$(): Observable<ServiceState> {
    return state$(this[CORE]);
  }

  /** True once onStarted has finished; false again from stopping or crashed. */
  get ready$(): Observable<boolean> {
    return ready$(this[CORE]);
  }

  /** Emits once when the service must stop (stop or crash); at once if it already must. */
  get stopped$(): Observable<void> {
    return defer(() => this[CORE].run.stopped$);
  }

  /** Aborted at the same moment as stopped$ emits. */
  get signal(): AbortSignal {
    return this[CORE].run.signal;
  }

  /** Every transition of this service and of its subtree, services added later included. */
  get events$(): Observable<ServiceEvent> {
    return events$(this[CORE]);
  }

  get started(): boolean {
    return this.state !== 'init';
  }

  get crashed(): boolean {
    return this.state === 'crashed';
  }

  get shouldStop(): boolean {
    return this[CORE].run.isStopped;
  }

  get crashReason(): unknown {
    return this[CORE].crashReason;
  }

  get restartCount(): number {
    return this[CORE].restartCount;
  }

  /**
   * The label in logs, events and graphs: the `name` option, else the class's own
   * `static label`, else the class name. A minifier may rename classes, so a program
   * that is bundled and minified gives its services a `name` or a `static label`.
   */
  get label(): string {
    if (this.#name !== undefined) return this.#name;
    const ctor = this.constructor as typeof ServiceBase;
    return Object.hasOwn(ctor, 'label') && typeof ctor.label === 'string' ? ctor.label : ctor.name;
  }

  get shortlabel(): string {
    return this.label;
  }

  /** The Timer behind each `@timer`, by name, for its counters. */
  get timers(): ReadonlyMap<string, Timer> {
    const list = this.#timers;
    if (list instanceof Map) return list;
    const timers = new Map<string, Timer>();
    if (list) for (let i = 0; i < list.length; i += 2) timers.set(list[i] as string, list[i + 1] as Timer);
    return (this.#timers = timers);
  }

  /** @internal Registers the Timer of a `@timer` so `timers` shows it. */
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

  /** A pino child logger bound to this service's label and depth in the tree. */
  get log(): Logger {
    const core = this[CORE];
    const parent = core.logParent ?? rootLogger();
    const depth = this.beacon.depth;
    if (!core.log || core.logDepth !== depth || (core.log as { __parent?: Logger }).__parent !== parent) {
      const log = parent.child({ label: this.label, depth });
      Object.defineProperty(log, '__parent', { value: parent });
      core.log = log;
      core.logDepth = depth;
    }
    return core.log;
  }

  /** The services this one starts and stops with itself, in the order they were added. */
  get children(): readonly Service[] {
    const children: Service[] = [];
    for (const node of this.beacon.children) if ((node.data as Partial<Service>)?.[CORE]) children.push(node.data as Service);
    return children;
  }

  // ---- what it is doing, for people ------------------------------------------------------------

  /** Pending tasks and futures, each with the stack where it began. */
  tracebacks(): Record<string, string> {
    const out: Record<string, string> = {};
    const run = this[CORE].run;
    if (run.liveCount === 0) return out; // without making the map
    for (const work of run.live.values()) {
      let key = work.name;
      for (let n = 2; key in out; n++) key = `${work.name} (${n})`;
      out[key] = originStack(work.origin);
    }
    return out;
  }

  humanTracebacks(): string {
    return Object.entries(this.tracebacks())
      .map(([name, stack]) => `${name}\n${'='.repeat(name.length)}\n${stack}`)
      .join('\n');
  }

  toString(): string {
    return `<${this.label}: ${this.state}>`;
  }
}
