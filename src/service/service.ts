import {
  EMPTY,
  type Observable,
  type ObservableInput,
  concat,
  defer,
  filter,
  firstValueFrom,
  from,
  ignoreElements,
  lastValueFrom,
  map,
  of,
  takeUntil,
} from 'rxjs';
import type { Duration } from '../time/duration.js';
import { itertimer } from '../time/itertimer.js';
import type { TimerOptions } from '../time/timer.js';
import { assertAsyncDisposable, assertDisposable } from './contexts.js';
import { BASE_LIFECYCLE, CORE } from './core.js';
import { spreadCrash } from './crash.js';
import type { HookResult } from './hook-result.js';
import { callHookStep, markEmptyHooks } from './hooks.js';
import { logCrash } from './log.js';
import { resetTree } from './reset.js';
import { start$ } from './start.js';
import { stop$ } from './stop.js';
import { addDependency, addRuntimeDependency, joinServices, removeDependency } from './tree-ops.js';
import {
  type WaitArgs,
  type WaitFirstResult,
  type WaitResult,
  sleep$,
  splitWaitArgs,
  wait$,
  waitFirst$,
  waitMany$,
} from './waiting.js';
import { ServiceBase } from './service-base.js';
import { addFuture } from './work.js';

export type { ServiceOptions, SupervisorLike } from './service-base.js';

/**
 * A service: something that starts, runs work, stops, restarts and crashes, with its
 * state a `BehaviorSubject` you can watch. Subclass it and fill in the hooks.
 *
 * @example
 * class Cache extends Service {
 *   override async onStart() { await warmUp(); }
 *   @task async refresh(signal: AbortSignal) { while (!signal.aborted) await this.sleep('1m'); }
 * }
 * const cache = new Cache();
 * cache.state$.subscribe((s) => console.log(s)); // init, running, ...
 * await cache.start();
 * await cache.stop();
 */
export class Service extends ServiceBase implements AsyncDisposable {
  /** Wraps anything awaitable or observable as a service that runs it when started. */
  static fromAwaitable(input: ObservableInput<unknown>, options: { name?: string } = {}): Service {
    return new AwaitableService(input, options.name);
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

  /** Starts the service; errors with ServiceStateError unless it is in `init`. */
  start$(): Observable<void> {
    return start$(this);
  }

  /** Starts the service if it is in `init`; emits whether it did. */
  maybeStart$(): Observable<boolean> {
    return defer(() => (this.state === 'init' ? concat(this.start$().pipe(ignoreElements()), of(true)) : of(false)));
  }

  /** Stops the service; a second call waits for the first. Nothing happens in `init`. */
  stop$(): Observable<void> {
    return stop$(this);
  }

  /** stop → serviceReset → onRestart → start. */
  restart$(): Observable<void> {
    return concat(
      this.stop$(),
      defer(() => {
        this.serviceReset();
        return callHookStep(this, 'onRestart')?.pipe(ignoreElements()) ?? EMPTY;
      }),
      this.start$(),
    );
  }

  // ---- lifecycle, as Promises ------------------------------------------------------------

  start(): Promise<void> {
    return lastValueFrom(this.start$(), { defaultValue: undefined });
  }

  async maybeStart(): Promise<boolean> {
    return lastValueFrom(this.maybeStart$());
  }

  stop(): Promise<void> {
    return lastValueFrom(this.stop$(), { defaultValue: undefined });
  }

  restart(): Promise<void> {
    return lastValueFrom(this.restart$(), { defaultValue: undefined });
  }

  /**
   * Crashes the service: the first crash records the reason and logs it, ends its work
   * and spreads (to its supervisor, or through the tree); a later one is only logged.
   */
  crash(reason: unknown): Promise<void> {
    logCrash(this, reason);
    if (this.state === 'running' || this.state === 'stopping') spreadCrash(this, reason);
    return Promise.resolve();
  }

  /**
   * restartCount + 1, state back to `init` with a fresh run; its children too. All or
   * nothing: while any service of the subtree still runs, it throws and resets none.
   */
  serviceReset(): void {
    resetTree(this, Service);
  }

  /** Lets a stop that waits for shutdown (`waitForShutdown`) finish. */
  setShutdown(): void {
    this[CORE].run.setShutdown();
  }

  /** Resolves once the service is `shutdown` or `crashed`. */
  waitUntilStopped(): Promise<void> {
    return firstValueFrom(
      this.state$.pipe(
        filter((state) => state === 'shutdown' || state === 'crashed'),
        map(() => undefined),
      ),
    );
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  // ---- the tree ----------------------------------------------------------------------------

  /** Makes `service` a child: started after this one's tasks, stopped before its contexts. */
  addDependency<S extends Service>(service: S): S {
    return addDependency(this, service, Service);
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
      return await lastValueFrom(from(input));
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
    return lastValueFrom(this.sleep$(ms), { defaultValue: undefined });
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
    return firstValueFrom(this.wait$(input, options));
  }

  waitFirst$(...args: WaitArgs): Observable<WaitFirstResult> {
    const { inputs, timeout } = splitWaitArgs(args);
    return waitFirst$(inputs, this.stopped$, this.scheduler, timeout);
  }

  /** Waits for the first of `inputs` (a trailing `{ timeout }` sets a limit). */
  waitFirst(...inputs: WaitArgs): Promise<WaitFirstResult> {
    return firstValueFrom(this.waitFirst$(...inputs));
  }

  waitMany$(inputs: ObservableInput<unknown>[], options: { timeout?: Duration } = {}): Observable<WaitResult<unknown[]>> {
    return waitMany$(inputs, this.stopped$, this.scheduler, options.timeout);
  }

  /** Waits for every one of `inputs`, a stop, or the timeout. */
  waitMany(inputs: ObservableInput<unknown>[], options: { timeout?: Duration } = {}): Promise<WaitResult<unknown[]>> {
    return firstValueFrom(this.waitMany$(inputs, options));
  }

  /** Whether the service stopped before any of `inputs` finished (with none: waits for the stop). */
  async waitForStopped(...inputs: WaitArgs): Promise<boolean> {
    return (await this.waitFirst(...inputs)).stopped;
  }

}

markEmptyHooks(Service.prototype);
BASE_LIFECYCLE.start$ = Service.prototype.start$;
BASE_LIFECYCLE.stop$ = Service.prototype.stop$;

/** A service that runs one awaitable or Observable when started (`Service.fromAwaitable`). */
class AwaitableService extends Service {
  constructor(
    private readonly input: ObservableInput<unknown>,
    name?: string,
  ) {
    super({ name: name ?? 'Awaitable' });
    this.mundaneLevel = 'debug';
  }

  override onStart(): HookResult {
    return from(this.input).pipe(takeUntil(this.stopped$));
  }
}
