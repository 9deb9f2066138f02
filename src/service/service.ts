/// <reference lib="esnext.disposable" preserve="true" />
// Disposable, AsyncDisposable and Symbol.(async)dispose, which this file's types name, come
// from TypeScript's esnext.disposable lib: the reference stays in our .d.ts (preserve), so a
// user's project need not load that lib itself (TypeScript 6 and later load no @types/node
// unless told, and with it went the lib's only other way in).
import { type Observable, type ObservableInput, type SchedulerLike, asyncScheduler } from 'rxjs';
import { type Logger, rootLogger } from '../logging/logger.js';
import type { SupervisorStrategy } from '../supervisors/supervisor-strategy.js';
import { type Duration, toMs } from '../time/duration.js';
import { itertimer } from '../time/itertimer.js';
import type { Timer, TimerOptions } from '../time/timer.js';
import type { Beacon } from '../tree/beacon.js';
import { assertAsyncDisposable, assertDisposable } from './contexts.js';
import { CORE, ServiceCore } from './core.js';
import { crash } from './crash.js';
import { describeValue } from './describe-value.js';
import type { Diag } from './diag.js';
import type { HookResult } from './hook-result.js';
import { lazy } from '../observable/lazy.js';
import { toObservable } from '../observable/to-observable.js';
import { subscriberOf } from '../observable/subscriber-of.js';
import { until } from '../observable/until.js';
import { valueFrom } from '../observable/value-from.js';
import { markEmptyHooks } from './hooks.js';
import { checkServiceOptions } from './options.js';
import { maybeStart$, restart$ } from './restart.js';
import { resetTree } from './reset.js';
import { start$ } from './start.js';
import type { ServiceEvent, ServiceState } from './state.js';
import { stop$ } from './stop.js';
import { addDependency, addRuntimeDependency, joinServices, removeDependency } from './tree-ops.js';
import {
  type WaitArgs,
  type WaitFirstResult,
  type WaitResult,
  sleep$,
  sleepInRun,
  splitWaitArgs,
  wait$,
  waitFirst$,
  waitMany$,
} from './waiting.js';
import { addFuture, originStack } from './work.js';

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

/**
 * A service: something that starts, runs work, stops, restarts and crashes, with its
 * state a `BehaviorSubject` you can watch. Subclass it and fill in the hooks.
 *
 * The class is the public face: settings, hooks and the API. What it is inside (the
 * state machine, the run, the place in the tree) is its core, and each lifecycle is a
 * function over the core that you can read from here: `start$` in start.ts, `stop$` in
 * stop.ts, `crash` in crash.ts (which hands the crash to the supervisor, or spreads it).
 *
 * @example
 * ```ts
 * class Cache extends Service {
 *   override async onStart() { await warmUp(); }
 *   @task async refresh(signal: AbortSignal) { while (!signal.aborted) await this.sleep('1m'); }
 * }
 * const cache = new Cache();
 * cache.state$.subscribe((s) => console.log(s)); // init, running, ...
 * await cache.start();
 * await cache.stop();
 * ```
 */
export class Service implements AsyncDisposable {
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

  /** Wraps anything awaitable or observable as a service that runs it when started. */
  static fromAwaitable(input: ObservableInput<unknown>, options: { name?: string } = {}): Service {
    return new AwaitableService(input, options.name);
  }

  mundaneLevel: 'info' | 'debug' = (this.constructor as typeof Service).mundaneLevel;
  waitForShutdown: boolean = (this.constructor as typeof Service).waitForShutdown;
  shutdownTimeout: Duration | string = (this.constructor as typeof Service).shutdownTimeout;
  stopTimeout: Duration | string = (this.constructor as typeof Service).stopTimeout;

  readonly #core: ServiceCore;
  readonly #name: string | undefined;
  #log: Logger | undefined;
  #logDepth = 0;
  #logParent: Logger | undefined;

  constructor(options: ServiceOptions = {}) {
    checkServiceOptions(options);
    this.#name = options.name;
    const core = (this.#core = new ServiceCore(this, options.scheduler ?? asyncScheduler, options.logger, options.beacon));
    // The subclass's prototype is in place already: an override of start$/stop$ shows here.
    core.startsInline = this.start$ === Service.prototype.start$;
    core.stopsInline = this.stop$ === Service.prototype.stop$;
  }

  /** @internal The service's machinery; a proxy answers with its target's. */
  get [CORE](): ServiceCore {
    return this.#core;
  }

  // ---- hooks ---------------------------------------------------------------------------

  onInitDependencies(): Iterable<Service> {
    return [];
  }
  onFirstStart(): HookResult {}
  onStart(): HookResult {}
  onStarted(): HookResult {}
  onStop(): HookResult {}
  onShutdown(): HookResult {}
  onRestart(): HookResult {}

  // ---- lifecycle, as Observables (transitions happen synchronously inside them) --------

  /**
   * Starts the service; errors with ServiceStateError unless it is in `init`.
   * Unsubscribing before it completes abandons the start: the service is stopped.
   */
  start$(): Observable<void> {
    return start$(this[CORE]);
  }

  /** Starts the service if it is in `init`; emits whether it did. */
  maybeStart$(): Observable<boolean> {
    return maybeStart$(this);
  }

  /** Stops the service; a second call waits for the first. Unsubscribing never cuts it. */
  stop$(): Observable<void> {
    return stop$(this[CORE]);
  }

  /** stop → serviceReset → onRestart → start. */
  restart$(): Observable<void> {
    return restart$(this);
  }

  // ---- lifecycle, as Promises ------------------------------------------------------------

  start(): Promise<void> {
    return valueFrom(this.start$(), 'last', undefined);
  }

  async maybeStart(): Promise<boolean> {
    return valueFrom(this.maybeStart$(), 'last');
  }

  stop(): Promise<void> {
    return valueFrom(this.stop$(), 'last', undefined);
  }

  restart(): Promise<void> {
    return valueFrom(this.restart$(), 'last', undefined);
  }

  /**
   * Crashes the service: the first crash records the reason and logs it, ends its work
   * and goes to its supervisor (or spreads through the tree); a later one is only logged.
   */
  crash(reason: unknown): Promise<void> {
    crash(this[CORE], reason);
    return Promise.resolve();
  }

  /**
   * restartCount + 1, state back to `init` with a fresh run; its children too. All or
   * nothing: while any service of the subtree still runs, it throws and resets none.
   */
  serviceReset(): void {
    resetTree(this[CORE]);
  }

  /** Lets a stop that waits for shutdown (`waitForShutdown`) finish. */
  setShutdown(): void {
    this[CORE].run.setShutdown();
  }

  /** Resolves once the service is `shutdown` or `crashed`. */
  waitUntilStopped(): Promise<void> {
    return new Promise((resolve) => {
      const watcher = subscriberOf<ServiceState>({
        next: (state) => {
          if (state !== 'shutdown' && state !== 'crashed') return;
          resolve();
          watcher.unsubscribe();
        },
      });
      this.state$.subscribe(watcher);
    });
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  // ---- observable state -------------------------------------------------------------------

  get state(): ServiceState {
    return this[CORE].state;
  }

  /** The current state, then each transition. */
  get state$(): Observable<ServiceState> {
    return this[CORE].state$;
  }

  /** True once onStarted has finished; false again from stopping or crashed. */
  get ready$(): Observable<boolean> {
    return this[CORE].ready$;
  }

  /** Emits once when the service must stop (stop or crash); at once if it already must. */
  get stopped$(): Observable<void> {
    return lazy(() => this[CORE].run.stopped$);
  }

  /** Aborted at the same moment as stopped$ emits. */
  get signal(): AbortSignal {
    return this[CORE].run.signal;
  }

  /** Every transition of this service and of its subtree, services added later included. */
  get events$(): Observable<ServiceEvent> {
    return this[CORE].events$;
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
    const ctor = this.constructor as typeof Service;
    return Object.hasOwn(ctor, 'label') && typeof ctor.label === 'string' ? ctor.label : ctor.name;
  }

  get shortlabel(): string {
    return this.label;
  }

  /** Where every wait of this service takes its time from. */
  get scheduler(): SchedulerLike {
    return this[CORE].scheduler;
  }

  /** Who restarts this service when it crashes; `null` lets the crash spread up the tree. */
  get supervisor(): SupervisorStrategy | null {
    return this[CORE].supervisor;
  }
  set supervisor(supervisor: SupervisorStrategy | null) {
    this[CORE].supervisor = supervisor;
  }

  /** This service's node in the tree. */
  get beacon(): Beacon {
    return this[CORE];
  }

  /** Flags saying what the service is doing, for people. */
  get diag(): Diag {
    return this[CORE].diag;
  }

  /** The Timer behind each `@timer`, by name, for its counters. */
  get timers(): ReadonlyMap<string, Timer> {
    return this[CORE].timers;
  }

  /** @internal Registers the Timer of a `@timer` so `timers` shows it. */
  registerTimer(name: string, timer: Timer): void {
    this[CORE].registerTimer(name, timer);
  }

  /** A pino child logger bound to this service's label and depth in the tree. */
  get log(): Logger {
    const parent = this[CORE].logParent ?? rootLogger();
    const depth = this.beacon.depth;
    if (!this.#log || this.#logDepth !== depth || this.#logParent !== parent) {
      this.#log = parent.child({ label: this.label, depth });
      this.#logDepth = depth;
      this.#logParent = parent;
    }
    return this.#log;
  }

  /** The services this one starts and stops with itself, in the order they were added. */
  get children(): readonly Service[] {
    return this[CORE].serviceChildren().map((core) => core.data);
  }

  // ---- the tree ----------------------------------------------------------------------------

  /** Makes `service` a child: started after this one's tasks, stopped before its contexts. */
  addDependency<S extends Service>(service: S): S {
    if (!(service instanceof Service)) {
      throw new TypeError(`${this.label}.addDependency: expected a Service, got ${describeValue(service)}`);
    }
    return addDependency(this, service);
  }

  /** Adds a child and, if this service is running, starts it now. */
  addRuntimeDependency<S extends Service>(service: S): Promise<S> {
    return addRuntimeDependency(this, service);
  }

  /** Stops a child and detaches it; a TypeError naming it if it is not ours. */
  removeDependency<S extends Service>(service: S): Promise<S> {
    return removeDependency(this, service);
  }

  /** Starts each service in order (a failure crashes this one), then stops them in reverse. */
  joinServices(services: Service[]): Promise<void> {
    return joinServices(this, services);
  }

  // ---- work that lives as long as the service ----------------------------------------------

  /**
   * Runs `input` as part of this service: an Observable until the service stops, a
   * Promise waited for on stop. Its failure crashes the service (and rejects the result).
   */
  addFuture<T>(input: ObservableInput<T>): Promise<T | undefined> {
    return addFuture(this, input);
  }

  /**
   * Enters a `Disposable` for this run: disposed on stop, in reverse order of adding (at
   * once when the stop has already exited its contexts).
   */
  addContext<T extends Disposable>(ctx: T): T {
    assertDisposable(ctx, this.label);
    const run = this[CORE].run;
    if (run.contextsClosed) ctx[Symbol.dispose]();
    else run.contexts.push(ctx);
    return ctx;
  }

  /** Enters an `AsyncDisposable` for this run: awaited on stop, in reverse order of adding. */
  async addAsyncContext<T extends AsyncDisposable>(ctx: T): Promise<T> {
    assertAsyncDisposable(ctx, this.label);
    const run = this[CORE].run;
    if (run.contextsClosed) await ctx[Symbol.asyncDispose]();
    else run.contexts.push(ctx);
    return ctx;
  }

  /** Sets the diag flag `flag` while `input` runs. */
  async transitionWith<T>(flag: string, input: ObservableInput<T>): Promise<T> {
    this.diag.setFlag(flag);
    try {
      return await valueFrom(toObservable(input), 'last');
    } finally {
      this.diag.unsetFlag(flag);
    }
  }

  // ---- waiting -------------------------------------------------------------------------------

  sleep$(ms: Duration): Observable<void> {
    return sleep$(ms, this.scheduler, this.stopped$);
  }

  /** Waits `ms`, or less when the service stops. */
  sleep(ms: Duration): Promise<void> {
    return sleepInRun(toMs(ms), this.scheduler, this[CORE].run);
  }

  /**
   * A drift-correcting interval on this service's scheduler that completes when the
   * service stops (mode's `itertimer`).
   *
   * @example
   * this.itertimer('1s').pipe(concatMap(() => this.poll()));
   */
  itertimer(interval: Duration, options: TimerOptions = {}): Observable<number> {
    return itertimer(this, interval, options);
  }

  wait$<T>(input: ObservableInput<T>, options: { timeout?: Duration } = {}): Observable<WaitResult<T>> {
    return wait$(input, this.stopped$, this.scheduler, options.timeout);
  }

  /** Waits for `input`'s first value, a stop, or the timeout. */
  wait<T>(input: ObservableInput<T>, options: { timeout?: Duration } = {}): Promise<WaitResult<T>> {
    return valueFrom(this.wait$(input, options), 'first');
  }

  waitFirst$(...args: WaitArgs): Observable<WaitFirstResult> {
    const { inputs, timeout } = splitWaitArgs(args);
    return waitFirst$(inputs, this.stopped$, this.scheduler, timeout);
  }

  /** Waits for the first of `inputs` (a trailing `{ timeout }` sets a limit). */
  waitFirst(...inputs: WaitArgs): Promise<WaitFirstResult> {
    return valueFrom(this.waitFirst$(...inputs), 'first');
  }

  waitMany$(inputs: ObservableInput<unknown>[], options: { timeout?: Duration } = {}): Observable<WaitResult<unknown[]>> {
    return waitMany$(inputs, this.stopped$, this.scheduler, options.timeout);
  }

  /** Waits for every one of `inputs`, a stop, or the timeout. */
  waitMany(inputs: ObservableInput<unknown>[], options: { timeout?: Duration } = {}): Promise<WaitResult<unknown[]>> {
    return valueFrom(this.waitMany$(inputs, options), 'first');
  }

  /** Whether the service stopped before any of `inputs` finished (with none: waits for the stop). */
  async waitForStopped(...inputs: WaitArgs): Promise<boolean> {
    return (await this.waitFirst(...inputs)).stopped;
  }

  // ---- what it is doing, for people ------------------------------------------------------------

  /** Pending tasks and futures, each with the stack where it began. */
  tracebacks(): Record<string, string> {
    const out: Record<string, string> = {};
    const run = this[CORE].run;
    if (run.liveCount === 0) return out; // without making the map
    for (const work of run.liveWork()) {
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

markEmptyHooks(Service.prototype);

/** A service that runs one awaitable or Observable when started (`Service.fromAwaitable`). */
class AwaitableService extends Service {
  readonly #input: ObservableInput<unknown>;

  constructor(input: ObservableInput<unknown>, name?: string) {
    super({ name: name ?? 'Awaitable' });
    this.#input = input;
    this.mundaneLevel = 'debug';
  }

  override onStart(): HookResult {
    return toObservable(this.#input).pipe(until(this.stopped$));
  }
}
