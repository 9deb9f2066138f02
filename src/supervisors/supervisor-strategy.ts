import {
  BehaviorSubject, Subject, filter, firstValueFrom, from, merge, mergeMap, type Observable, switchMap, take,
} from 'rxjs';
import { CORE } from '../service/core.js';
import { Service, type ServiceOptions } from '../service/service.js';
import { task } from '../service/task.js';
import type { Duration } from '../time/duration.js';
import { resolveBackoff, type Backoff, type ResolvedBackoff } from './backoff.js';
import { MaxRestartsExceeded } from './max-restarts-exceeded.js';
import type { RestartRecord } from './restart-history.js';
import { type AddOptions, type RestartType, toRestartType } from './restart-type.js';
import { RestartWindow } from './restart-window.js';
import { Roster } from './roster.js';
import { type RestartPlan, type SupervisionHost, supervisorLoop$ } from './supervisor-loop.js';

/** Options of {@link SupervisorStrategy} and its subclasses. */
export interface SupervisorOptions extends ServiceOptions {
  /** Claimed exactly as by `add()`, in this order. */
  services?: Service[];
  /** Restarts allowed within `over` (default 100); past that the supervisor crashes. */
  maxRestarts?: number;
  /** The sliding window of the budget (default '1s'). */
  over?: Duration;
  /** The error it crashes with when over budget (default MaxRestartsExceeded), given (message, { cause }). */
  raises?: new (...args: any[]) => Error;
  /** Makes the service that takes a crashed one's place (started by it, or by the supervisor). */
  replacement?: (service: Service, index: number) => Promise<Service>;
  /** Wait before each restart of a service, growing while it keeps crashing. */
  backoff?: Backoff;
}

/**
 * A service that looks after other services: it starts them with itself, stops them with
 * itself, and when one of them crashes (or, if `permanent`, stops) it reacts at once, by
 * its strategy. The base class restarts the one that ended (as {@link OneForOneSupervisor}).
 *
 * Restarts are limited to `maxRestarts` within any `over` (a sliding window; a group
 * restart counts once). Past that the supervisor stops all its services and crashes
 * with `raises`, so the failure goes to its own supervisor or up its tree.
 *
 * @example
 * const supervisor = new OneForOneSupervisor({ maxRestarts: 5, over: '1m' });
 * supervisor.add(new Fetcher());
 * supervisor.add(new Cache(), { restart: 'transient' });
 * await supervisor.start();
 */
export class SupervisorStrategy extends Service {
  /** How many endings each service's history keeps. */
  static historyLimit = 20;

  readonly maxRestarts: number;
  /** The budget's window, in ms. */
  readonly over: number;
  readonly raises: new (...args: any[]) => Error;
  readonly replacement: ((service: Service, index: number) => Promise<Service>) | undefined;
  readonly backoff: ResolvedBackoff | undefined;
  readonly #roster: Roster;
  readonly #settled = new BehaviorSubject(false);
  /** What the loop is told or asked to look at; see {@link childCrashed}. */
  readonly #looks = new Subject<Service>();
  // The budget of the current run (a fresh one each start), read by `restartsUsed`.
  #budget: RestartWindow | undefined;

  constructor(options: SupervisorOptions = {}) {
    super(options);
    const maxRestarts = options.maxRestarts ?? 100;
    const window = new RestartWindow(maxRestarts, options.over ?? '1s');
    this.maxRestarts = maxRestarts;
    this.over = window.overMs;
    this.raises = options.raises ?? MaxRestartsExceeded;
    if (typeof this.raises !== 'function') {
      throw new TypeError(`${this.label}: invalid raises: ${String(this.raises)} (expected an Error class)`);
    }
    if (options.replacement !== undefined && typeof options.replacement !== 'function') {
      throw new TypeError(`${this.label}: invalid replacement: ${String(options.replacement)} (expected a function)`);
    }
    this.replacement = options.replacement;
    this.backoff = options.backoff === undefined ? undefined : resolveBackoff(options.backoff);
    this.#roster = new Roster((this.constructor as typeof SupervisorStrategy).historyLimit);
    const services = options.services ?? [];
    if (!Array.isArray(services)) {
      throw new TypeError(`${this.label}: invalid services: ${String(services)} (expected an array of services)`);
    }
    this.add(...services);
  }

  /** The services it looks after, in the order they were added. */
  get services(): readonly Service[] {
    return [...this.#roster.services];
  }

  /**
   * Claims services: each becomes a child of this one (started and stopped with it) and
   * its `supervisor` is this one. Added while the supervisor runs, a service is started
   * at once. `add(service, { restart })` sets its restart type (default `permanent`).
   * Throws a TypeError for anything but a Service, or one another supervisor has.
   */
  add(...services: Service[]): void;
  add(service: Service, options: AddOptions): void;
  add(...args: (Service | AddOptions)[]): void {
    const last = args[args.length - 1];
    const hasOptions = args.length > 1 && typeof last === 'object' && last !== null && !(last instanceof Service);
    const options = hasOptions ? (args.pop() as AddOptions) : {};
    const type = toRestartType(options.restart);
    for (const service of args) this.#check(service);
    for (const service of args as Service[]) {
      if (this.#roster.has(service)) {
        if (options.restart !== undefined) this.#roster.setType(service, type);
        continue;
      }
      this.claim(service);
      this.#roster.join(service, type);
    }
  }

  /**
   * Stops looking after services: they leave `services`, the tree under this one and
   * their `supervisor` link, and keep running as they are. Unknown ones are ignored.
   */
  discard(...services: Service[]): void {
    for (const service of services) {
      if (this.#roster.leave(service) < 0) continue;
      this.#roster.forget(service);
      this.release(service);
    }
  }

  /**
   * Puts `service` in place of the one at `index`, which is discarded (not stopped). The
   * newcomer takes over its restart type and history.
   */
  insert(index: number, service: Service): void {
    const services = this.#roster.services;
    if (!Number.isInteger(index) || index < 0 || index >= services.length) {
      throw new RangeError(`${this.label}.insert: invalid index ${String(index)} (it has ${services.length} services)`);
    }
    this.#check(service);
    const old = services[index]!;
    if (old === service) return;
    const type = this.#roster.typeOf(old);
    this.#roster.leave(old);
    this.#roster.inherit(service, old);
    this.release(old);
    if (this.#roster.has(service)) this.#roster.leave(service);
    this.claim(service);
    this.#roster.join(service, type, Math.min(index, this.#roster.services.length));
    // Children start in tree order: keep it the same as the services' order.
    for (const s of this.#roster.services.slice(index)) {
      if (s.beacon.parent === this.beacon) s.beacon.detach().reattach(this.beacon);
    }
  }

  /** Takes a look at every service now: starts those not started, handles those that ended. */
  wakeup(): void {
    for (const service of this.#roster.services) this.#looks.next(service);
  }

  /**
   * @internal One of our services crashed: the last call of the crash path
   * (`Service.crash` → `crash` → `ServiceCore.markCrashed` → here). The supervisor's loop
   * reacts once the crash has finished spreading.
   */
  childCrashed(service: Service): void {
    this.#tell(service);
  }

  /** @internal One of our services stopped cleanly (a permanent one is restarted). */
  childStopped(service: Service): void {
    this.#tell(service);
  }

  /** @internal One of our services was reset (by a restart): it is ours to restart again. */
  childReset(service: Service): void {
    this.#tell(service);
  }

  /** Hands `service` to the loop as the roster knows it: a proxy we claimed, for its target. */
  #tell(service: Service): void {
    const roster = this.#roster;
    const member = roster.has(service) ? service : roster.services.find((s) => s[CORE] === service[CORE]);
    if (member) this.#looks.next(member);
  }

  /** Whether `service` is working; a service that is not counts as crashed. */
  serviceOperational(service: Service): boolean {
    return !service.crashed;
  }

  /** The last endings of `service` (time, reason, what was done), oldest first. */
  history(service: Service): readonly RestartRecord[] {
    return this.#roster.has(service) ? this.#roster.history(service).records : [];
  }

  /**
   * How many restarts count against the budget now: those within the last `over` (of at
   * most `maxRestarts`); 0 before the supervisor first runs. A group restart counts once.
   *
   * @example
   * const supervisor = new OneForOneSupervisor({ maxRestarts: 5, over: '1m' });
   * // after two crashes of its services within a minute:
   * supervisor.restartsUsed; // 2
   */
  get restartsUsed(): number {
    return this.#budget?.count(this.scheduler.now()) ?? 0;
  }

  /** The restart type of `service`, or undefined if it is not one of ours. */
  restartType(service: Service): RestartType | undefined {
    return this.#roster.has(service) ? this.#roster.typeOf(service) : undefined;
  }

  /**
   * Starts the supervisor, waits until it stops, crashes, or has nothing left to look
   * after (every service ended and none is to be restarted), then stops it. Rejects with
   * the crash reason if it crashed (unlike mode's, which stops right after starting).
   */
  async runUntilComplete(): Promise<void> {
    await this.maybeStart();
    await firstValueFrom(merge(
      this.state$.pipe(filter((state) => state === 'shutdown' || state === 'crashed')),
      this.ready$.pipe(filter(Boolean), take(1), switchMap(() => this.#settled.pipe(filter(Boolean)))),
    ));
    const crashed = this.crashed;
    const reason = this.crashReason;
    await this.stop().catch(() => undefined);
    if (crashed) throw reason;
  }

  /** Stops looking after a service of ours before stopping and detaching it. */
  override async removeDependency<S extends Service>(service: S): Promise<S> {
    if (this.#roster.has(service)) {
      this.#roster.leave(service);
      this.#roster.forget(service);
      if (service.supervisor === this) service.supervisor = null;
    }
    return super.removeDependency(service);
  }

  /**
   * Which services to stop and which to start again when `service` ended. The base
   * restarts `service` alone; strategies override this.
   */
  protected planRestart(service: Service, _services: readonly Service[]): RestartPlan {
    return { stop: [service], restart: [service] };
  }

  /** Makes `service` ours: a child in the tree, with us as its supervisor. */
  protected claim(service: Service): void {
    service.supervisor = this;
    this.addDependency(service);
  }

  /** Undoes {@link claim}. */
  protected release(service: Service): void {
    if (service.supervisor === this) service.supervisor = null;
    if (service.beacon.parent === this.beacon) service.beacon.detach();
  }

  /** The supervision itself: reacts to its services from when the supervisor is ready. */
  @task
  protected superviseServices(): Observable<never> {
    return this.ready$.pipe(filter(Boolean), take(1), switchMap(() => supervisorLoop$(this.#host())));
  }

  #host(): SupervisionHost {
    const self = this;
    return {
      label: this.label,
      log: this.log,
      scheduler: this.scheduler,
      roster: this.#roster,
      budget: (this.#budget = new RestartWindow(this.maxRestarts, this.over)),
      backoff: this.backoff,
      get running() {
        return self.state === 'running' && !self.shouldStop;
      },
      settled: this.#settled,
      looks: this.#looks,
      replaces: this.replacement !== undefined,
      plan: (service) => this.planRestart(service, this.#roster.services),
      operational: (service) => this.serviceOperational(service),
      restartOne: (service) => this.#restartOne(service),
      giveUp: (reason) => this.#giveUp(reason),
    };
  }

  #restartOne(service: Service): Observable<unknown> {
    const replacement = this.replacement;
    if (!replacement) return service.restart$();
    const index = this.#roster.indexOf(service);
    return from(replacement(service, index)).pipe(
      mergeMap((fresh) => {
        this.#check(fresh);
        if (this.#roster.indexOf(service) === index) this.insert(index, fresh);
        return fresh.maybeStart$();
      }),
    );
  }

  #giveUp(reason: unknown): Error {
    const message = `${this.label}: more than ${this.maxRestarts} restarts within ${this.over}ms`;
    const error = new this.raises(message, { cause: reason });
    if (error.cause === undefined && reason !== undefined) {
      Object.defineProperty(error, 'cause', { value: reason, writable: true, configurable: true });
    }
    return error;
  }

  #check(service: unknown): asserts service is Service {
    if (!(service instanceof Service)) {
      throw new TypeError(`${this.label}: expected a Service, got ${String(service)}`);
    }
    if (service === this) throw new TypeError(`${this.label} cannot supervise itself`);
    const owner = service.supervisor;
    if (owner && owner !== this) {
      throw new TypeError(`${service.label} is already supervised by ${(owner as { label?: string }).label ?? String(owner)}`);
    }
  }
}

export type { RestartPlan } from './supervisor-loop.js';
