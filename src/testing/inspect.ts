import { CORE } from '../service/core.js';
import type { Service } from '../service/service.js';

/** What a service still holds: for leak checks in tests. */
export interface ServiceInspection {
  readonly state: string;
  /**
   * Tasks and futures still going (Observable or Promise), and each `@timer` or `@crontab`
   * run while it lasts: between its runs a timer is no work here (its subscription counts
   * in `workClosed`).
   */
  readonly liveWork: number;
  /** Promise work that stop() would still wait for. */
  readonly pendingPromises: number;
  /** Sleeps (`sleep()`) still waiting: its stop ends them all, and one that ended is let go. */
  readonly sleeps: number;
  /** Whether the subscriptions of its tasks and timers are all closed. */
  readonly workClosed: boolean;
  /** Whether its AbortSignal is aborted. */
  readonly aborted: boolean;
  /** Contexts entered and not yet exited. */
  readonly openContexts: number;
  /** Whether anyone still watches its `state$` (a supervisor, a UI, a test). */
  readonly stateWatched: boolean;
}

/**
 * Looks inside a service, for tests: after a stop or a crash every count should be 0,
 * `workClosed` and `aborted` true.
 *
 * @example
 * await svc.stop();
 * expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true }));
 */
export function inspectService(service: Service): ServiceInspection {
  const run = service[CORE].run;
  let pendingPromises = 0;
  if (run.liveCount > 0) for (const work of run.live.values()) if (work.promise) pendingPromises++;
  return {
    state: service.state,
    liveWork: run.liveCount,
    pendingPromises,
    sleeps: run.stopListenerCount,
    workClosed: run.workClosed,
    aborted: run.signal.aborted,
    openContexts: run.contextCount,
    stateWatched: service[CORE].stateWatched,
  };
}
