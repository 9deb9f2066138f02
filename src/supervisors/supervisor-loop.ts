import {
  type BehaviorSubject, Observable, type SchedulerLike, type Subscriber, type Subscription, asapScheduler,
  asyncScheduler,
} from 'rxjs';
import type { Logger } from '../logging/logger.js';
import { ServiceStateError, StopTimeoutError } from '../service/errors.js';
import { describeReason } from '../service/log.js';
import type { Service } from '../service/service.js';
import { type Step, type Steps, inOrder } from '../service/steps.js';
import { outsideWork } from '../service/work-scope.js';
import { toMs } from '../time/duration.js';
import { longTimer } from '../time/long-timer.js';
import { backoffDelay, type ResolvedBackoff } from './backoff.js';
import { afterTurn, asyncSchedulerIsVirtual, cancelAfterTurn, mayReactNow } from './event-loop-turn.js';
import type { RestartAction } from './restart-history.js';
import { restartNotes$ } from './restart-notes.js';
import type { RestartWindow } from './restart-window.js';
import type { Roster } from './roster.js';

/** Which services a strategy stops, and which of them it starts again, for one ending. */
export interface RestartPlan {
  /** Stopped first, in reverse order. */
  readonly stop: readonly Service[];
  /** Then restarted (or replaced) in this order; empty means forfeit. */
  readonly restart: readonly Service[];
}

/** What the supervision needs of its supervisor. */
export interface SupervisionHost {
  readonly label: string;
  readonly log: Logger;
  readonly scheduler: SchedulerLike;
  readonly roster: Roster;
  /** The restart budget of this run (`maxRestarts` within `over`); the supervisor reads it too. */
  readonly budget: RestartWindow;
  readonly backoff: ResolvedBackoff | undefined;
  /** Whether the supervisor itself is still running (not stopping, not crashed). */
  readonly running: boolean;
  /** True while no service needs anything from the supervisor (for runUntilComplete). */
  readonly settled: BehaviorSubject<boolean>;
  plan(service: Service): RestartPlan;
  operational(service: Service): boolean;
  /**
   * Restarts one service: its restart's steps, or a replacement put in its place.
   * `stopped`: the reaction stopped it already (a failed stop was logged there).
   */
  restartOne(service: Service, stopped: boolean): Step;
  /** Whether restartOne replaces (a `replacement` was given) rather than restarts. */
  readonly replaces: boolean;
  /** The error the supervisor crashes with when the budget is spent. */
  giveUp(reason: unknown): Error;
  /** Lets a service go: out of `services`, the tree and the supervision (it ended for good). */
  letGo(service: Service): void;
  /** Hears the supervision once it runs, so the supervisor can tell it things; `undefined` once it ended. */
  attach(supervision: Supervision | undefined): void;
}

/**
 * The supervisor at work, as one Observable that lives as long as a run of the
 * supervisor (its `@task`): a {@link Supervision}. It errors, crashing the supervisor,
 * when the restart budget is spent, after stopping every service.
 */
export function supervisorLoop$(host: SupervisionHost): Observable<never> {
  return new Observable<never>((subscriber) => {
    const supervision = new Supervision(host, subscriber);
    host.attach(supervision);
    supervision.begin();
    return () => {
      host.attach(undefined);
      supervision.close();
    };
  });
}

/** One reaction under way, and the services it holds while it runs. */
interface Reaction {
  readonly owned: readonly Service[];
  subscription: Subscription | undefined;
  done: boolean;
}

/** A promise from `add()`, settled by the service's first start. */
interface FirstStart {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The supervision of one run of a supervisor. Its services' endings reach it as calls: a
 * crash goes `ServiceCore.markCrashed` → `SupervisorStrategy.childCrashed` →
 * {@link Supervision.told} → {@link Supervision.look}, and so does a clean stop
 * (`childStopped`); a reset goes `ServiceCore.reset` → `childReset` →
 * {@link Supervision.toldReset}, a service added while it runs comes through
 * {@link Supervision.firstStart}.
 *
 * It reacts to each look on the scheduler: at once, but after the crash that caused it
 * has finished spreading (a microtask in real time; in virtual time, an action of the
 * frame). Reactions of different services run side by side; each holds the services it
 * stops and starts (the one that ended for one-for-one, the group for one-for-all), and a
 * look at a held service waits until its holder is done. So a service whose stop hangs
 * holds up no one outside its group, and even its group no longer than its `stopTimeout`:
 * past it, the reaction goes on without it, and it is looked at again once its stop ends.
 * After `REACTIONS_PER_TURN` reactions in a row on microtasks, the next waits for the
 * event loop's next turn (event-loop-turn.ts), so a crash loop never starves timers, I/O
 * or signals.
 */
export class Supervision {
  readonly #host: SupervisionHost;
  readonly #subscriber: Subscriber<never>;
  readonly #budget: RestartWindow;
  readonly #began: number;
  /**
   * How reactions are scheduled: `real`, on a microtask, taking turns with the event loop;
   * `virtual` (asyncScheduler inside TestScheduler.run()), the same through asapScheduler
   * and asyncScheduler, which it puts in virtual time; `scheduler`, as actions of the
   * supervisor's own scheduler (a TestScheduler given to it), each in its turn.
   */
  readonly #mode: 'real' | 'virtual' | 'scheduler';
  /** Services to look at, in the order they were told. */
  #pending = new Set<Service>();
  /** The other of two sets that take turns as `#pending`: a drain reads one while looks go to the other. */
  #spare = new Set<Service>();
  /** The reaction that holds each service it is working on. */
  readonly #owners = new Map<Service, Reaction>();
  readonly #reactions = new Set<Reaction>();
  /** Services stopped on purpose (forfeited, transient): not to be restarted. */
  readonly #heldDown = new Set<Service>();
  /** Services a group restart stopped but did not start (a service before them failed): the group's next attempt starts them. */
  readonly #awaiting = new Set<Service>();
  /** Services whose restart failed, with the failure: the next look treats them as crashed with it. */
  readonly #failed = new Map<Service, unknown>();
  /** Services whose stop outlived their `stopTimeout`, with the subscription that hears its end. */
  readonly #hung = new Map<Service, Subscription>();
  readonly #firstStarts = new Map<Service, FirstStart>();
  readonly #attempts = new Map<Service, { count: number; since: number }>();
  /** A drain is due (a microtask, or `#action` of a scheduler). */
  #scheduled = false;
  #action: Subscription | undefined;
  #waitingForTurn = false;
  /** Over budget: stopping everything before the supervisor crashes; no more reactions. */
  #givingUp = false;
  #closed = false;

  constructor(host: SupervisionHost, subscriber: Subscriber<never>) {
    this.#host = host;
    this.#subscriber = subscriber;
    this.#budget = host.budget;
    this.#began = host.scheduler.now();
    this.#mode = host.scheduler !== asyncScheduler ? 'scheduler' : asyncSchedulerIsVirtual() ? 'virtual' : 'real';
  }

  /** Looks at what ended before the supervision began (a crash during the supervisor's own start). */
  begin(): void {
    for (const service of this.#host.roster.services) {
      if (service.state !== 'running' && service.state !== 'stopping') this.look(service);
    }
    this.updateSettled();
  }

  /** Something happened to `service` (it crashed, stopped, or was asked about): react to it soon. */
  look(service: Service): void {
    if (this.#closed) return;
    if (this.#host.settled.value) this.#host.settled.next(false);
    this.#pending.add(service);
    this.#schedule();
  }

  /** One of our services (or the target of a proxy we claimed) crashed or stopped. */
  told(service: Service): void {
    const member = this.#host.roster.member(service);
    if (member) this.look(member);
  }

  /**
   * One of our services was reset for another run: by hand (`restart()`), it is ours to
   * restart again even if we had left it down. By a reaction of ours, there is nothing to do.
   */
  toldReset(told: Service): void {
    const service = this.#host.roster.member(told);
    if (!service || this.#owners.has(service)) return;
    this.#heldDown.delete(service);
    this.#awaiting.delete(service);
    this.look(service);
  }

  /** Starts `service`, just added: resolves once it started, rejects (and lets it go) if that failed. */
  firstStart(service: Service): Promise<void> {
    let entry = this.#firstStarts.get(service);
    if (!entry) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#firstStarts.set(service, (entry = { promise, resolve, reject }));
    }
    this.look(service);
    return entry.promise;
  }

  /** Ends the supervision: reactions under way are cut (a start under way is abandoned), nothing is left scheduled. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#action?.unsubscribe();
    this.#action = undefined;
    cancelAfterTurn(this.#afterTurn);
    for (const reaction of [...this.#reactions]) this.#cancel(reaction);
    for (const watch of this.#hung.values()) watch.unsubscribe();
    this.#hung.clear();
    for (const [service, entry] of this.#firstStarts) {
      entry.reject(new ServiceStateError(`${this.#host.label} stopped before ${service.label} started`, 'stopping'));
    }
    this.#firstStarts.clear();
  }

  /** Tells `settled` whether nothing is left to do (only while someone listens, unless forced). */
  updateSettled(force = false): void {
    const settled = this.#host.settled;
    // Else an every() over all the services at each reaction, for nobody: O(services) a restart.
    if (!settled.observed && !force) return;
    const atRest = this.#pending.size === 0 && this.#reactions.size === 0
      && this.#host.roster.services.every((s) => s.state === 'shutdown' || s.state === 'crashed');
    if (atRest !== settled.value) settled.next(atRest);
  }

  // ---- scheduling ----------------------------------------------------------------------

  #schedule(): void {
    if (this.#scheduled || this.#waitingForTurn || this.#closed) return;
    // A microtask is enough to let the crash finish spreading, where asyncScheduler would
    // wait a timer tick (1 ms or more) after every crash. queueMicrotask in real time: an
    // asapScheduler action for each crash was 5% of a crash loop (W4).
    if (this.#mode === 'real') {
      this.#scheduled = true;
      queueMicrotask(this.#drain);
    } else {
      this.#scheduled = true;
      this.#action = (this.#mode === 'virtual' ? asapScheduler : this.#host.scheduler).schedule(this.#drain);
    }
  }

  /** Reacts to what is pending, each look once, in order; a held service waits for its holder. */
  readonly #drain = (): void => {
    this.#scheduled = false;
    this.#action = undefined;
    if (this.#closed) return;
    try {
      outsideWork(this.#drainPending);
    } catch (error) {
      // A strategy's planRestart or serviceOperational threw: the supervisor crashes with it.
      this.#giveUp(error);
    }
  };

  readonly #drainPending = (): void => {
    const batch = this.#pending;
    if (batch.size === 0) return;
    this.#pending = this.#spare;
    let stoppedAt: Service | undefined;
    for (const service of batch) {
      if (this.#closed) return;
      if (stoppedAt || this.#owners.has(service)) {
        this.#pending.add(service);
        continue;
      }
      if (this.#mode !== 'scheduler' && !mayReactNow(this.#mode === 'virtual')) {
        stoppedAt = service;
        this.#pending.add(service);
        continue;
      }
      this.#react(service);
    }
    batch.clear();
    this.#spare = batch;
    if (stoppedAt && !this.#closed) {
      this.#waitingForTurn = true;
      afterTurn(this.#afterTurn, this.#mode === 'virtual');
    }
    this.updateSettled();
  };

  readonly #afterTurn = (): void => {
    this.#waitingForTurn = false;
    this.#drain();
  };

  // ---- deciding ------------------------------------------------------------------------

  #react(service: Service): void {
    const host = this.#host;
    const roster = host.roster;
    if (!roster.has(service)) {
      this.#settleFirstStart(service, new ServiceStateError(`${service.label} left ${host.label} before it started`));
      return;
    }
    if (!host.running || this.#givingUp || this.#hung.has(service)) return;
    const state = service.state;
    if (state === 'init') {
      this.#heldDown.delete(service);
      this.#awaiting.delete(service);
      this.#run([service], (reaction) => this.#startSteps(reaction, service));
      return;
    }
    this.#settleFirstStart(service); // it came running (or ended): supervised from where it is
    const failed = this.#failed.size > 0 && this.#failed.has(service);
    const crashed = failed || !host.operational(service);
    if (!crashed && state !== 'shutdown') return;
    if (!failed && (this.#heldDown.has(service) || this.#awaiting.has(service))) return;

    const type = roster.typeOf(service);
    if (type === 'temporary' || (type === 'transient' && !crashed)) {
      this.#run([service], (reaction) => this.#leaveSteps(reaction, service, crashed, type));
      return;
    }
    const plan = host.plan(service);
    const restart = plan.restart.length === 1 && plan.restart[0] === service
      ? [service] // one for one: no filter() and its closure at each restart (too small to measure alone)
      : plan.restart.filter((s) => s === service || roster.typeOf(s) !== 'temporary');
    if (restart.length > 0 && this.#awaiting.size > 0) {
      // Those a failed attempt of the group left down come back with its next attempt.
      for (const s of roster.services) if (this.#awaiting.has(s) && !restart.includes(s)) restart.push(s);
      restart.sort((a, b) => roster.indexOf(a) - roster.indexOf(b));
    }
    const owned = plan.stop.length === 1 && plan.stop[0] === service && restart.length === 1 && restart[0] === service
      ? restart // one for one: no Set and spreads at each restart (too small to measure alone)
      : [...new Set([service, ...plan.stop, ...restart])];
    for (const s of owned) {
      if (this.#owners.has(s)) {
        this.#pending.add(service); // looked at again once those are free
        return;
      }
    }
    this.#run(owned, (reaction) => this.#endedSteps(reaction, service, crashed, plan, restart));
  }

  /** Runs the steps of a reaction, holding `owned` until it ends. */
  #run(owned: readonly Service[], steps: (reaction: Reaction) => Steps): void {
    const reaction: Reaction = { owned, subscription: undefined, done: false };
    for (const service of owned) this.#owners.set(service, reaction);
    this.#reactions.add(reaction);
    const subscription = inOrder(steps(reaction)).subscribe({
      complete: () => this.#end(reaction),
      error: (error: unknown) => {
        this.#end(reaction);
        this.#giveUp(error);
      },
    });
    if (!reaction.done) reaction.subscription = subscription;
  }

  #end(reaction: Reaction): void {
    if (reaction.done) return;
    reaction.done = true;
    this.#reactions.delete(reaction);
    for (const service of reaction.owned) {
      if (this.#owners.get(service) === reaction) this.#owners.delete(service);
    }
    // Any look left pending may have waited for these services: its own, or one of the
    // group it would stop (a look at a, whose group holds c, waits for c's holder).
    if (this.#pending.size > 0) this.#schedule();
    this.updateSettled();
  }

  #cancel(reaction: Reaction): void {
    reaction.subscription?.unsubscribe();
    this.#end(reaction);
  }

  /** The budget is spent: the supervision ends with `error`, which crashes the supervisor. */
  #giveUp(error: unknown): void {
    if (this.#closed) return;
    this.close();
    this.#subscriber.error(error);
  }

  // ---- the reactions, as steps -----------------------------------------------------------

  /** Starts a service that is in `init` (added, or reset by hand). */
  *#startSteps(_reaction: Reaction, service: Service): Steps {
    try {
      yield service.maybeStart$();
    } catch (error) {
      this.#host.log.error({ err: error }, 'Could not start %s: %s', service.label, describeReason(error));
      const first = this.#firstStarts.get(service);
      if (first) {
        // OTP's start_child: a child whose first start fails is not kept.
        this.#firstStarts.delete(service);
        this.#letGo(service);
        first.reject(error);
      } else {
        this.#retry(service, error);
      }
      return;
    }
    this.#settleFirstStart(service);
  }

  /** A temporary service that ended, or a transient one that stopped cleanly: left down. */
  *#leaveSteps(_reaction: Reaction, service: Service, crashed: boolean, type: string): Steps {
    const reason = crashed ? this.#reasonOf(service) : undefined;
    this.#note(service, 'left', crashed, reason);
    this.#heldDown.add(service);
    this.#host.log.info('Not restarting %s %s (%s)', type, service.label, crashed ? describeReason(reason) : 'stopped');
    const stopping = crashed ? this.#stop(service) : undefined;
    if (stopping) yield stopping;
    if (type === 'temporary' && !this.#hung.has(service)) this.#letGo(service);
  }

  /** A crash or a clean stop that the strategy answers: forfeit, restart, or, over budget, give up. */
  *#endedSteps(reaction: Reaction, service: Service, crashed: boolean, plan: RestartPlan, restart: Service[]): Steps {
    const host = this.#host;
    const reason = this.#reasonOf(service);
    const now = host.scheduler.now();
    for (const s of plan.stop) if (!restart.includes(s)) this.#heldDown.add(s);
    for (const s of restart) this.#heldDown.delete(s);
    if (restart.length === 0) {
      this.#note(service, 'forfeited', crashed, reason, now);
      host.log.error('Giving up on %s (%s); stopping %s', service.label, crashed ? describeReason(reason) : 'stopped',
        plan.stop.map((s) => s.label).join(', ') || 'nothing');
      yield* this.#stopAll(plan.stop, restart);
      return;
    }
    const wait = this.#delayFor(service, now);
    if (!this.#budget.tryRecord(now + wait)) {
      this.#note(service, 'escalated', crashed, reason, now);
      const error = host.giveUp(reason);
      host.log.error({ err: error }, 'Max restarts exceeded: %s', describeReason(error));
      this.#givingUp = true;
      for (const other of [...this.#reactions]) if (other !== reaction) this.#cancel(other);
      yield* this.#stopAll(host.roster.services, []);
      throw error;
    }
    this.#note(service, host.replaces ? 'replaced' : 'restarted', crashed, reason, now);
    // Not even the message's arguments when info is off: a crash loop makes them all day
    // (too small to measure alone).
    if (host.log.levelVal <= INFO) {
      host.log.info('Restarting dead %s! Last crash reason: %s', service.label, crashed ? describeReason(reason) : 'stopped');
    }
    yield* this.#stopAll(plan.stop, restart);
    if (wait > 0) yield longTimer(wait, host.scheduler);
    // In order; the first that fails ends the attempt, and the ones after it wait for the next.
    for (let i = 0; i < restart.length; i++) {
      const s = restart[i]!;
      if (!host.roster.has(s)) continue; // discarded meanwhile
      this.#awaiting.delete(s);
      if (this.#hung.has(s)) {
        this.#leaveForNextAttempt(restart, i + 1); // it is looked at again when its stop ends
        return;
      }
      try {
        yield host.restartOne(s, plan.stop.includes(s));
      } catch (error) {
        host.log.error({ err: error }, 'Could not restart %s: %s', s.label, describeReason(error));
        this.#leaveForNextAttempt(restart, i + 1);
        this.#retry(s, error);
        return;
      }
    }
    if (host.backoff) {
      this.#attempts.set(service, { count: this.#attempts.get(service)?.count ?? 0, since: host.scheduler.now() });
    }
  }

  /** Stops `services` in reverse order, each bounded; a temporary one not restarted then leaves. */
  *#stopAll(services: readonly Service[], restart: readonly Service[]): Steps {
    for (let i = services.length - 1; i >= 0; i--) {
      const s = services[i]!;
      const stopping = this.#stop(s);
      if (stopping) yield stopping;
      if (!restart.includes(s) && this.#host.roster.typeOf(s) === 'temporary' && !this.#hung.has(s)) this.#letGo(s);
    }
  }

  /**
   * Stops `service`: a step to wait for, or nothing when it stopped at once. The wait is
   * bounded by its `stopTimeout` (on its own scheduler, as stop() bounds its own waits):
   * past it, the service is hung (logged by name) and the reaction goes on without it;
   * when its stop ends at last, it is looked at again. A failing stop is logged.
   */
  #stop(service: Service): Observable<void> | undefined {
    let ended = false;
    let hung = false;
    let waiter: Subscriber<void> | undefined;
    const end = () => {
      ended = true;
      if (hung) this.#stopEnded(service);
      else waiter?.complete();
    };
    const stopping = service.stop$().subscribe({
      error: (error: unknown) => {
        this.#host.log.error({ err: error }, 'Unable to stop %s: %s', service.label, describeReason(error));
        end();
      },
      complete: end,
    });
    // Most stops end at once: no Observable, no timer (W4 stops a crashed service each cycle).
    if (ended) return undefined;
    return new Observable<void>((subscriber) => {
      if (ended) {
        subscriber.complete();
        return;
      }
      waiter = subscriber;
      const limit = stopTimeoutOf(service);
      const timeout = service.scheduler.schedule(() => {
        if (ended) return;
        hung = true;
        this.#hung.set(service, stopping);
        this.#host.log.warn('%s did not stop within %d ms: going on without it', service.label, limit);
        subscriber.complete();
      }, limit);
      return () => {
        timeout.unsubscribe();
        waiter = undefined;
        if (!hung && !ended) stopping.unsubscribe(); // a stop, once begun, finishes anyway
      };
    });
  }

  // ---- bookkeeping -----------------------------------------------------------------------

  /** The stop of a hung service ended at last: it is ours again, as at a crash. */
  #stopEnded(service: Service): void {
    this.#hung.delete(service);
    if (this.#closed || !this.#host.roster.has(service)) return;
    if (this.#heldDown.has(service)) {
      if (this.#host.roster.typeOf(service) === 'temporary') this.#letGo(service);
      return;
    }
    this.#retry(service, new StopTimeoutError(`${service.label}.stop`, stopTimeoutOf(service)));
  }

  /** Why it ended: its crash reason, or, if it is not crashed, why its last restart failed. */
  #reasonOf(service: Service): unknown {
    if (this.#failed.size === 0 || !this.#failed.has(service)) return service.crashReason;
    const failure = this.#failed.get(service);
    this.#failed.delete(service);
    return service.crashed ? service.crashReason : failure;
  }

  /** Its restart failed: look again, as at a crash with that failure (another attempt, counted). */
  #retry(service: Service, error: unknown): void {
    if (!this.#host.roster.has(service)) return;
    this.#failed.set(service, error);
    this.look(service);
  }

  #leaveForNextAttempt(restart: readonly Service[], from: number): void {
    for (let i = from; i < restart.length; i++) {
      const s = restart[i]!;
      if (s.state !== 'running' && s.state !== 'stopping') this.#awaiting.add(s);
    }
  }

  #letGo(service: Service): void {
    this.#heldDown.delete(service);
    this.#awaiting.delete(service);
    this.#failed.delete(service);
    this.#attempts.delete(service);
    this.#host.letGo(service);
  }

  #settleFirstStart(service: Service, error?: unknown): void {
    if (this.#firstStarts.size === 0) return;
    const first = this.#firstStarts.get(service);
    if (!first) return;
    this.#firstStarts.delete(service);
    if (error === undefined) first.resolve();
    else first.reject(error);
  }

  #note(service: Service, action: RestartAction, crashed: boolean, reason: unknown, at = this.#host.scheduler.now()): void {
    // Frozen here, so the history keeps it as it is instead of copying it.
    const record = Object.freeze({ at, reason, crashed, action });
    this.#host.roster.history(service).push(record);
    if (restartNotes$.observed) restartNotes$.next({ service, record });
  }

  #delayFor(service: Service, now: number): number {
    const backoff = this.#host.backoff;
    if (!backoff) return 0;
    const last = this.#attempts.get(service) ?? { count: 0, since: this.#began };
    const count = now - last.since >= backoff.resetAfterMs ? 1 : last.count + 1;
    this.#attempts.set(service, { count, since: last.since });
    return backoffDelay(backoff, count);
  }
}

/** pino's number for `info`. */
const INFO = 30;

/** The service's `stopTimeout` in ms (its default if it holds something else). */
function stopTimeoutOf(service: Service): number {
  try {
    return toMs(service.stopTimeout);
  } catch {
    return 10_000;
  }
}
