import { BehaviorSubject, Subject } from 'rxjs';
import type { Logger } from '../logging/logger.js';
import { ServiceStateError } from './errors.js';
import { Run } from './run.js';
import { canTransition, type ServiceEvent, type ServiceState } from './state.js';

/** The state a Service keeps; the lifecycle pipelines in this folder work on it. */
export interface Core {
  readonly state: BehaviorSubject<ServiceState>;
  readonly ready: BehaviorSubject<boolean>;
  readonly events: Subject<ServiceEvent>;
  run: Run;
  crashReason: unknown;
  restartCount: number;
  log: Logger | undefined;
  logParent: Logger | undefined;
  logDepth: number;
}

export const CORE: unique symbol = Symbol('rxmode.core');

/** What the lifecycle pipelines need to see of a service. */
export interface CoreHost {
  readonly [CORE]: Core;
  readonly label: string;
  readonly scheduler: { now(): number };
  readonly beacon: { walk(): Iterable<{ data: unknown }> };
}

export function newCore(): Core {
  return {
    state: new BehaviorSubject<ServiceState>('init'),
    ready: new BehaviorSubject(false),
    events: new Subject<ServiceEvent>(),
    run: new Run(),
    crashReason: undefined,
    restartCount: 0,
    log: undefined,
    logParent: undefined,
    logDepth: 0,
  };
}

/**
 * Moves a service to `to`, refusing any transition the state machine does not have, and
 * tells `events$` of the service and of each of its ancestors.
 */
export function transition(host: CoreHost, to: ServiceState, reason?: unknown): void {
  const core = host[CORE];
  const from = core.state.value;
  if (!canTransition(from, to)) {
    throw new ServiceStateError(`${host.label} cannot go from ${from} to ${to}`, from);
  }
  if (to !== 'running') core.ready.next(false);
  core.state.next(to);
  const event: ServiceEvent =
    reason === undefined
      ? { service: host, label: host.label, from, to, at: host.scheduler.now() }
      : { service: host, label: host.label, from, to, at: host.scheduler.now(), reason };
  for (const node of host.beacon.walk()) {
    const events = (node.data as Partial<CoreHost> | undefined)?.[CORE]?.events;
    if (events?.observed) events.next(event);
  }
}

/**
 * Marks one service crashed (not its relatives): records the reason, ends everything
 * that runs on its own (stopped$, the AbortSignal, tasks), then emits the transition.
 * A service in `init` or `shutdown` runs nothing, so there is nothing to crash.
 */
export function markCrashed(host: CoreHost, reason: unknown): boolean {
  const core = host[CORE];
  const state = core.state.value;
  if (state !== 'running' && state !== 'stopping') return false;
  core.crashReason = reason;
  core.run.signalStop();
  transition(host, 'crashed', reason);
  return true;
}
