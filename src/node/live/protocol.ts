/**
 * What `/status` and `/events` carry, as plain JSON types: the server writes them
 * (src/node/live/) and the page's client reads them (src/node/live/page/). Types only, so
 * the page bundle takes nothing from here but names.
 */

/** A `@timer`'s counters. */
export interface LiveTimer {
  /** Its name in `service.timers`. */
  name: string;
  intervalMs: number;
  /** Ticks delivered so far. */
  iteration: number;
  /** Wake-ups off their slot by more than its threshold. */
  drifting: number;
  /** Ticks dropped because the body was still running. */
  overlaps: number;
  /** How far off its slot the last wake-up was (ms; positive late). */
  lastDriftMs: number;
}

/** A supervisor's restart budget: `used` restarts within the last `overMs`, of `maxRestarts`. */
export interface LiveBudget {
  used: number;
  /** null for no limit (Infinity, which JSON cannot say). */
  maxRestarts: number | null;
  overMs: number;
}

/** One service of the tree, with its subtree. */
export interface LiveNode {
  /** Its place in the tree: `App/Webserver`, `#2` for a repeated sibling label. */
  path: string;
  label: string;
  state?: string;
  restartCount?: number;
  /** Whether it is ready (`ready$`). */
  ready?: boolean;
  /** Diag flags set at the time. */
  flags?: string[];
  /** Present on supervisors. */
  budget?: LiveBudget;
  /** Present when it has `@timer`s. */
  timers?: LiveTimer[];
  children: LiveNode[];
}

/** The `/status` document, also the data of the `snapshot` event. */
export interface LiveStatus {
  label: string;
  state: string;
  /** False once the tree crashed (`/livez` 503). */
  live: boolean;
  /** What `/readyz` says. */
  ready: boolean;
  tree: LiveNode;
}

/** A `transition` event: one service changed state. */
export interface TransitionEvent {
  path: string;
  label: string;
  from: string;
  to: string;
  /** The service scheduler's `now()`. */
  at: number;
  /** The crash reason, as one line. */
  reason?: string;
}

/** A `restart` event: a supervisor acted on a service that ended. */
export interface RestartEvent {
  path: string;
  /** The supervisor's path. */
  supervisor: string;
  /** As in `supervisor.history()`: restarted, replaced, forfeited, left, escalated. */
  action: string;
  reason?: string;
  /** The supervisor's budget just after it acted. */
  budget?: LiveBudget;
}

/** A `tree` event: a service (with its subtree) joined or left the tree. */
export interface TreeEvent {
  path: string;
  change: 'added' | 'removed';
  /** The path of the parent it joined (on `added`). */
  parent?: string;
  /** What joined, as in `/status` (on `added`). */
  node?: LiveNode;
}

/** A `blocked` event: the event loop was blocked. */
export interface BlockedEvent {
  blockedMs: number;
  path?: string;
  task?: string;
  frames?: string[];
}

/** What changed of one service without a transition (only the fields that changed). */
export interface ServiceStats {
  path: string;
  ready?: boolean;
  timers?: LiveTimer[];
  budget?: LiveBudget;
}

/**
 * A `stats` event: what changed without a transition since the last one (readiness, a
 * timer that drifted or overlapped again, a supervisor's budget sliding), for every
 * service that changed, in one event; sent while a client is connected.
 */
export interface StatsEvent {
  services: ServiceStats[];
}

/** Each event type and its data. */
export interface LiveEvents {
  snapshot: LiveStatus;
  transition: TransitionEvent;
  restart: RestartEvent;
  tree: TreeEvent;
  blocked: BlockedEvent;
  stats: StatsEvent;
}

export type LiveEventType = keyof LiveEvents;

/** The event types in a stream, in the order a client should listen for them. */
export const LIVE_EVENT_TYPES: readonly LiveEventType[] = ['snapshot', 'transition', 'restart', 'tree', 'blocked', 'stats'];
