import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { Logger } from '../logging/logger.js';
import { ServiceStateError } from './errors.js';
import { Run } from './run.js';
import { canTransition, type ServiceEvent, type ServiceState } from './state.js';

/** The state a Service keeps; the lifecycle pipelines in this folder work on it. */
export interface Core {
  state: ServiceState;
  /** Made on first use of `state$`; until then `state` alone holds the value. */
  state$: BehaviorSubject<ServiceState> | undefined;
  /** Made on first use of `ready$`; until then `isReady` alone holds the value. */
  ready: BehaviorSubject<boolean> | undefined;
  isReady: boolean;
  /** Made on first use of `events$`. */
  events: Subject<ServiceEvent> | undefined;
  run: Run;
  crashReason: unknown;
  restartCount: number;
  /** When this run started, as a count of starts across all services: stops go by it. */
  startedAt: number;
  log: Logger | undefined;
  logParent: Logger | undefined;
  logDepth: number;
}

interface BeaconNode {
  readonly data: unknown;
  readonly parent: BeaconNode | undefined;
}

export const CORE: unique symbol = Symbol('rxmode.core');

/** What the lifecycle pipelines need to see of a service. */
export interface CoreHost {
  readonly [CORE]: Core;
  readonly label: string;
  readonly scheduler: { now(): number };
  readonly beacon: BeaconNode;
}

export function newCore(): Core {
  return {
    state: 'init',
    state$: undefined,
    ready: undefined,
    isReady: false,
    events: undefined,
    run: new Run(),
    crashReason: undefined,
    restartCount: 0,
    startedAt: 0,
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
  const from = core.state;
  if (!canTransition(from, to)) {
    throw new ServiceStateError(`${host.label} cannot go from ${from} to ${to}`, from);
  }
  if (to !== 'running') setReady(core, false);
  core.state = to;
  core.state$?.next(to);
  if (eventWatchers === 0) return;
  let event: ServiceEvent | undefined;
  for (let node: BeaconNode | undefined = host.beacon; node; node = node.parent) {
    const events = (node.data as Partial<CoreHost> | undefined)?.[CORE]?.events;
    if (!events?.observed) continue;
    event ??=
      reason === undefined
        ? { service: host, label: host.label, from, to, at: host.scheduler.now() }
        : { service: host, label: host.label, from, to, at: host.scheduler.now(), reason };
    events.next(event);
  }
}

let starts = 0;

/** Stamps the start of a service's run, so its parent stops children in reverse start order. */
export function stampStart(core: Core): void {
  core.startedAt = ++starts;
}

export function setReady(core: Core, ready: boolean): void {
  if (core.isReady === ready) return;
  core.isReady = ready;
  core.ready?.next(ready);
}

/** `state$`: the current state, then each transition. */
export function state$(core: Core): Observable<ServiceState> {
  return (core.state$ ??= new BehaviorSubject(core.state)).asObservable();
}

/** `ready$`: the current readiness, then each change. */
export function ready$(core: Core): Observable<boolean> {
  return (core.ready ??= new BehaviorSubject(core.isReady)).asObservable();
}

/**
 * How many `events$` subscriptions there are, in all services. While there are none, a
 * transition tells no ancestor: walking up a chain of 20,000 services at each of its
 * transitions made its start and stop quadratic (18 s of 26 s at that depth).
 */
let eventWatchers = 0;

/** `events$`: every transition of the service and of its subtree, from now on. */
export function events$(core: Core): Observable<ServiceEvent> {
  return new Observable<ServiceEvent>((subscriber) => {
    eventWatchers++;
    const subscription = (core.events ??= new Subject<ServiceEvent>()).subscribe(subscriber);
    return () => {
      eventWatchers--;
      subscription.unsubscribe();
    };
  });
}

/**
 * Marks one service crashed (not its relatives): records the reason, ends everything
 * that runs on its own (stopped$, the AbortSignal, tasks), then emits the transition.
 * A service in `init` or `shutdown` runs nothing, so there is nothing to crash.
 */
export function markCrashed(host: CoreHost, reason: unknown): boolean {
  const core = host[CORE];
  const state = core.state;
  if (state !== 'running' && state !== 'stopping') return false;
  core.crashReason = reason;
  core.run.signalStop();
  transition(host, 'crashed', reason);
  return true;
}

/**
 * The base class's own `start$` and `stop$`, set by service.ts: a child that keeps them
 * is started and stopped inline by its parent; one that overrides them is asked.
 */
export const BASE_LIFECYCLE: { start$?: unknown; stop$?: unknown } = {};
