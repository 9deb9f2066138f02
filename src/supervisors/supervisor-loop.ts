import {
  BehaviorSubject, EMPTY, Observable, Subject, catchError, concat, concatMap, defer,
  asapScheduler, asyncScheduler, ignoreElements, merge, observeOn, tap, throwError,
  type SchedulerLike,
} from 'rxjs';
import type { Logger } from '../logging/logger.js';
import type { Service } from '../service/service.js';
import { describeReason } from '../service/log.js';
import { longTimer } from '../time/long-timer.js';
import { backoffDelay, type ResolvedBackoff } from './backoff.js';
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
  /** Restarts one service: `restart$()`, or a replacement put in its place. */
  restartOne(service: Service): Observable<unknown>;
  /** Whether restartOne replaces (a `replacement` was given) rather than restarts. */
  readonly replaces: boolean;
  /** The error the supervisor crashes with when the budget is spent. */
  giveUp(reason: unknown): Error;
  /**
   * Each service the supervisor was told about (it crashed, stopped or was reset: see
   * `SupervisorStrategy.childCrashed`), or asked to look at (`wakeup()`).
   */
  readonly looks: Subject<Service>;
}

/**
 * The supervisor at work, as one Observable that lives as long as a run of the
 * supervisor (its `@task`). Its services' endings reach it as calls: a crash goes
 * `ServiceCore.markCrashed` → `SupervisorStrategy.childCrashed` → `host.looks`, and so do
 * clean stops and resets. It reacts to each (a crash, a clean stop, a reset) one at a
 * time, on the scheduler: at once, but after the crash that caused it has finished
 * spreading. It errors, crashing the supervisor, when the restart budget is spent, after
 * stopping every service.
 */
export function supervisorLoop$(host: SupervisionHost): Observable<never> {
  return defer(() => {
    const { roster, scheduler } = host;
    const budget = host.budget;
    const began = scheduler.now();
    /** Services that have a look queued; one look at a time is enough. */
    const pending = new Set<Service>();
    /** Services stopped on purpose (forfeited, temporary, transient): not to be restarted. */
    const heldDown = new Set<Service>();
    const attempts = new Map<Service, { count: number; since: number }>();
    const looks = new Subject<Service>();

    const lookAt = (service: Service) => {
      if (pending.has(service)) return;
      pending.add(service);
      host.settled.next(false);
      looks.next(service);
    };
    const updateSettled = () => {
      const atRest = pending.size === 0 && roster.services.every((s) => s.state === 'shutdown' || s.state === 'crashed');
      if (atRest !== host.settled.value) host.settled.next(atRest);
    };

    // A service that joins while we run is looked at too: started if it is not yet.
    const joins$ = roster.joined$.pipe(tap(lookAt), ignoreElements());
    const told$ = host.looks.pipe(
      tap((service) => {
        // A reset by hand (restart()) makes a held-down service ours to restart again.
        if (service.state === 'init') heldDown.delete(service);
        lookAt(service);
      }),
      ignoreElements(),
    );

    const react$ = looks.pipe(
      // Real time: a microtask is enough to let the crash finish spreading, where
      // asyncScheduler would wait a timer tick (1 ms or more) after every crash.
      observeOn(scheduler === asyncScheduler ? asapScheduler : scheduler),
      concatMap((service) => {
        pending.delete(service);
        return react(service).pipe(
          tap({ complete: updateSettled }),
        );
      }),
    );

    function react(service: Service): Observable<never> {
      if (!host.running || !roster.has(service)) return EMPTY;
      if (service.state === 'init') {
        heldDown.delete(service);
        return start(service);
      }
      const crashed = !host.operational(service);
      if (!crashed && service.state !== 'shutdown') return EMPTY;
      if (heldDown.has(service)) return EMPTY;
      return ended(service, crashed);
    }

    function start(service: Service): Observable<never> {
      return service.maybeStart$().pipe(ignoreElements(), catchError((error: unknown) => {
        host.log.error({ err: error }, 'Could not start %s: %s', service.label, describeReason(error));
        return recheck(service);
      }));
    }

    function ended(service: Service, crashed: boolean): Observable<never> {
      const now = scheduler.now();
      const reason = crashed ? service.crashReason : undefined;
      const note = (action: RestartAction) => {
        const record = { at: now, reason, crashed, action };
        roster.history(service).push(record);
        if (restartNotes$.observed) restartNotes$.next({ service, record });
      };
      const type = roster.typeOf(service);
      if (type === 'temporary' || (type === 'transient' && !crashed)) {
        note('left');
        heldDown.add(service);
        host.log.info('Not restarting %s %s (%s)', type, service.label, crashed ? describeReason(reason) : 'stopped');
        return stopAll(crashed ? [service] : []);
      }
      const plan = host.plan(service);
      const restart = plan.restart.filter((s) => s === service || roster.typeOf(s) !== 'temporary');
      for (const s of plan.stop) if (!restart.includes(s)) heldDown.add(s);
      for (const s of restart) heldDown.delete(s);
      if (restart.length === 0) {
        note('forfeited');
        host.log.error('Giving up on %s (%s); stopping %s', service.label, crashed ? describeReason(reason) : 'stopped',
          plan.stop.map((s) => s.label).join(', ') || 'nothing');
        return stopAll(plan.stop);
      }
      const wait = delayFor(service, now);
      if (!budget.tryRecord(now + wait)) {
        note('escalated');
        const error = host.giveUp(reason);
        host.log.error({ err: error }, 'Max restarts exceeded: %s', describeReason(error));
        return concat(stopAll(roster.services), throwError(() => error));
      }
      note(host.replaces ? 'replaced' : 'restarted');
      host.log.info('Restarting dead %s! Last crash reason: %s', service.label, crashed ? describeReason(reason) : 'stopped');
      return concat(
        stopAll(plan.stop),
        wait > 0 ? longTimer(wait, scheduler).pipe(ignoreElements()) : EMPTY,
        ...restart.map((s) => restartOne(s)),
        defer(() => {
          attempts.set(service, { count: attempts.get(service)?.count ?? 0, since: scheduler.now() });
          return EMPTY;
        }),
      );
    }

    function delayFor(service: Service, now: number): number {
      const backoff = host.backoff;
      if (!backoff) return 0;
      const last = attempts.get(service) ?? { count: 0, since: began };
      const count = now - last.since >= backoff.resetAfterMs ? 1 : last.count + 1;
      attempts.set(service, { count, since: last.since });
      return backoffDelay(backoff, count);
    }

    function restartOne(service: Service): Observable<never> {
      return defer(() => host.restartOne(service)).pipe(ignoreElements(), catchError((error: unknown) => {
        host.log.error({ err: error }, 'Could not restart %s: %s', service.label, describeReason(error));
        return recheck(service);
      }));
    }

    /** A failed start or restart leaves the service crashed; look at it again. */
    function recheck(service: Service): Observable<never> {
      if (roster.has(service)) lookAt(service);
      return EMPTY;
    }

    function stopAll(services: readonly Service[]): Observable<never> {
      return concat(...[...services].reverse().map((s) => s.stop$().pipe(
        ignoreElements(),
        catchError((error: unknown) => {
          host.log.error({ err: error }, 'Unable to stop %s: %s', s.label, describeReason(error));
          return EMPTY;
        }),
      )));
    }

    host.settled.next(false);
    return merge(react$, joins$, told$, defer(() => {
      // What ended before the loop began (a crash during the supervisor's own start).
      for (const service of roster.services) if (service.state !== 'running' && service.state !== 'stopping') lookAt(service);
      updateSettled();
      return EMPTY;
    }));
  });
}
