import {
  BehaviorSubject, Observable, defer, filter, firstValueFrom, merge, switchMap, take,
} from 'rxjs';
import { StopTimeoutError } from '../service/errors.js';
import { restartSteps } from '../service/restart.js';
import { Service, type ServiceOptions } from '../service/service.js';
import type { Step } from '../service/steps.js';
import { task } from '../service/task.js';
import { type Duration, toMs } from '../time/duration.js';
import { resolveBackoff, type Backoff, type ResolvedBackoff } from './backoff.js';
import { MaxRestartsExceeded } from './max-restarts-exceeded.js';
import type { RestartRecord } from './restart-history.js';
import { type AddOptions, type RestartType, toRestartType } from './restart-type.js';
import { RestartWindow } from './restart-window.js';
import { Roster } from './roster.js';
import { type RestartPlan, type SupervisionHost, type Supervision, supervisorLoop$ } from './supervisor-loop.js';

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
  /** The supervision of the current run, while it runs: told of crashes, stops, resets and adds. */
  #supervision: Supervision | undefined;
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
   * its `supervisor` is this one. `add(service, { restart })` sets its restart type
   * (default `permanent`). Everything is checked before anything changes: a TypeError for
   * anything but a Service, one another supervisor has, or one above this supervisor in
   * the tree (a cycle), and then nothing was claimed.
   *
   * On a running supervisor the services are started at once, and the Promise resolves
   * once they all started; it rejects with the error of the first whose first start
   * failed, and that service is not kept (it leaves `services`, as in OTP's
   * `start_child`), while the supervisor carries on. On a supervisor that is not running,
   * it resolves at once: they start with the supervisor, and a failure there fails the
   * supervisor's start. The Promise is marked handled: an `add()` nobody awaits never
   * becomes an unhandled rejection (the supervisor logs the failure either way).
   *
   * @example
   * await supervisor.add(new Fetcher());            // running: resolves once it started
   * supervisor.add(cache, { restart: 'transient' }); // not awaited: a failure is only logged
   */
  add(...services: Service[]): Promise<void>;
  add(service: Service, options: AddOptions): Promise<void>;
  add(...args: (Service | AddOptions)[]): Promise<void> {
    const last = args[args.length - 1];
    const hasOptions = args.length > 1 && typeof last === 'object' && last !== null && !(last instanceof Service);
    const options = hasOptions ? (args.pop() as AddOptions) : {};
    const type = toRestartType(options.restart);
    for (const service of args) this.#check(service);
    const started: Promise<void>[] = [];
    for (const service of args as Service[]) {
      if (this.#roster.has(service)) {
        if (options.restart !== undefined) this.#roster.setType(service, type);
        continue;
      }
      this.claim(service);
      this.#roster.join(service, type);
      if (this.#supervision) started.push(this.#supervision.firstStart(service));
    }
    if (started.length === 0) return Promise.resolve();
    const all = started.length === 1 ? started[0]! : Promise.all(started).then(() => undefined);
    all.catch(() => undefined);
    return all;
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
   * newcomer takes over its restart type and history; while the supervisor runs, it is
   * started if it is not yet.
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
    this.#supervision?.look(service); // started if it is not yet, while the supervisor runs
  }

  /** Takes a look at every service now: starts those not started, handles those that ended. */
  wakeup(): void {
    const supervision = this.#supervision;
    if (supervision) for (const service of this.#roster.services) supervision.look(service);
  }

  /**
   * @internal One of our services crashed: the last call of the crash path
   * (`Service.crash` → `crash` → `ServiceCore.markCrashed` → here). The supervision
   * reacts once the crash has finished spreading.
   */
  childCrashed(service: Service): void {
    this.#supervision?.told(service);
  }

  /** @internal One of our services stopped cleanly (a permanent one is restarted). */
  childStopped(service: Service): void {
    this.#supervision?.told(service);
  }

  /** @internal One of our services was reset: by hand (`restart()`), it is ours to restart again. */
  childReset(service: Service): void {
    this.#supervision?.toldReset(service);
  }

  /**
   * @internal One of our services was moved under another parent (`addDependency()`
   * elsewhere): it is no longer ours. Told by `ServiceCore.reattach`.
   */
  childMoved(service: Service): void {
    const roster = this.#roster;
    const member = roster.member(service);
    if (!member) return;
    roster.leave(member);
    roster.forget(member);
    if (member.supervisor === this) member.supervisor = null;
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
      this.ready$.pipe(filter(Boolean), take(1), switchMap(() => this.settled$().pipe(filter(Boolean)))),
    ));
    const crashed = this.crashed;
    const reason = this.crashReason;
    await this.stop().catch(() => undefined);
    if (crashed) throw reason;
  }

  /**
   * @internal Whether nothing is left to look after, as it changes (what
   * {@link runUntilComplete} waits for once the supervisor is ready): the supervision's own
   * account, brought up to date first, since it is kept only while watched.
   */
  protected settled$(): Observable<boolean> {
    return defer(() => {
      this.#supervision?.updateSettled(true);
      return this.#settled;
    });
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
      replaces: this.replacement !== undefined,
      plan: (service) => this.planRestart(service, this.#roster.services),
      operational: (service) => this.serviceOperational(service),
      restartOne: (service, stopped) => this.#restartOne(service, stopped),
      giveUp: (reason) => this.#giveUp(reason),
      letGo: (service) => this.discard(service),
      attach: (supervision) => {
        this.#supervision = supervision;
      },
    };
  }

  #restartOne(service: Service, stopped: boolean): Step {
    const replacement = this.replacement;
    if (!replacement) {
      // Its steps, run inline by the reaction, unless it has a restart$ of its own.
      return service.restart$ === Service.prototype.restart$ ? restartSteps(service, stopped) : service.restart$();
    }
    return this.#replace(service, replacement);
  }

  /**
   * Asks `replacement` for the service to take `service`'s place, waits for it no longer
   * than `service`'s `stopTimeout`, puts it in its place and starts it. What it returns
   * must be a fresh Service: the crashed one itself, one of ours already, or one another
   * supervisor has is an error (logged, and counted as a failed restart). One that comes
   * too late, or for a service discarded while it was awaited, is stopped, not kept.
   */
  #replace(service: Service, replacement: (service: Service, index: number) => Promise<Service>): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      const index = this.#roster.indexOf(service);
      const limit = toMs(service.stopTimeout);
      let late = false;
      let cut = false;
      let starting: { unsubscribe(): void } | undefined;
      // On the crashed service's scheduler, as its stop is bounded by the same stopTimeout.
      const timeout = service.scheduler.schedule(() => {
        late = true;
        subscriber.error(new StopTimeoutError(`${this.label}: replacement for ${service.label}`, limit));
      }, limit);
      let result: Promise<Service>;
      try {
        result = Promise.resolve(replacement(service, index));
      } catch (error) {
        result = Promise.reject(error);
      }
      result
        .then(
          (fresh) => {
            if (late || cut) {
              // Nobody takes it any more: stopped, not left running unsupervised.
              if (late) this.log.warn('Replacement for %s came after %d ms: stopping it', service.label, limit);
              if (fresh instanceof Service && !fresh.supervisor) fresh.stop().catch(() => undefined);
              return;
            }
            timeout.unsubscribe();
            this.#check(fresh);
            if (fresh === service || this.#roster.has(fresh)) {
              throw new TypeError(`${this.label}: replacement returned ${fresh.label}, which is ${fresh === service ? 'the crashed service itself' : 'one of its services already'}`);
            }
            // Its place now: services before it may have left while it was awaited.
            const at = this.#roster.indexOf(service);
            if (at < 0) {
              // It was discarded meanwhile: nobody takes its replacement (stopped, as a late one).
              fresh.stop().catch(() => undefined);
              subscriber.complete();
              return;
            }
            this.insert(at, fresh);
            starting = fresh.maybeStart$().subscribe(subscriber);
          },
        )
        .catch((error: unknown) => {
          if (late || cut) return;
          timeout.unsubscribe();
          subscriber.error(error);
        });
      return () => {
        cut = true;
        timeout.unsubscribe();
        starting?.unsubscribe();
      };
    });
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
    // Claiming makes it our child: one above us in the tree would make a cycle.
    for (let node = this.beacon.parent; node; node = node.parent) {
      if (node === service.beacon) {
        throw new TypeError(`${this.label} cannot supervise ${service.label}: it is above ${this.label} in the tree (that would make a cycle)`);
      }
    }
  }
}

export type { RestartPlan } from './supervisor-loop.js';
