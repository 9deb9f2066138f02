import { ServiceCore } from '../../service/core.js';
import { SupervisorStrategy } from '../../supervisors/supervisor-strategy.js';
import type { Beacon } from '../../tree/beacon.js';
import { labelOf } from '../../tree/graph.js';
import type { PathNames } from './path-names.js';
import type { LiveBudget, LiveNode, LiveTimer } from './protocol.js';

/**
 * The service machinery behind a beacon (a service's beacon is its core), once it is
 * built: a service made with `beacon: parent` joins the tree from inside its core's
 * constructor, before the core's own fields exist.
 */
export function coreOf(beacon: Beacon): ServiceCore | undefined {
  return beacon instanceof ServiceCore && beacon.state !== undefined ? beacon : undefined;
}

/**
 * `beacon` and its subtree as `/status` shows them, each service with its path, state,
 * restarts, readiness, diag flags, timers' counters and (supervisors) restart budget.
 * Walked breadth first without recursion, so any depth is fine.
 *
 * @example
 * liveNode(app.beacon, names); // { path: 'App', label: 'App', state: 'running', ..., children: [...] }
 */
export function liveNode(beacon: Beacon, names: PathNames): LiveNode {
  const top = describe(beacon, names);
  const queue: Array<[Beacon, LiveNode]> = [[beacon, top]];
  for (let i = 0; i < queue.length; i++) {
    const [node, live] = queue[i]!;
    for (const child of node.children) {
      if (names.pathOf(child) === undefined) continue;
      const described = describe(child, names);
      live.children.push(described);
      queue.push([child, described]);
    }
  }
  return top;
}

function describe(beacon: Beacon, names: PathNames): LiveNode {
  const node = { path: names.pathOf(beacon) ?? '', label: labelOf(beacon.data) } as LiveNode;
  const core = coreOf(beacon);
  if (core) {
    node.state = core.state;
    node.restartCount = core.restartCount;
    node.ready = core.isReady;
    const flags = [...core.diag.flags].map(String);
    if (flags.length > 0) node.flags = flags;
    const budget = budgetOf(beacon.data);
    if (budget) node.budget = budget;
    const timers = timersOf(beacon);
    if (timers) node.timers = timers;
  }
  node.children = []; // last, so the JSON reads each service before its children
  return node;
}

/** A supervisor's restart budget now; undefined for anything else. */
export function budgetOf(data: unknown): LiveBudget | undefined {
  if (!(data instanceof SupervisorStrategy)) return undefined;
  const max = data.maxRestarts;
  // A supervisor made with `beacon: parent` joins the tree from inside its constructor,
  // before its own fields exist: it has no budget to show yet.
  if (max === undefined) return undefined;
  return { used: data.restartsUsed, maxRestarts: Number.isFinite(max) ? max : null, overMs: data.over };
}

/** The counters of a service's `@timer`s; undefined when it has none. */
export function timersOf(beacon: Beacon): LiveTimer[] | undefined {
  let out: LiveTimer[] | undefined;
  coreOf(beacon)?.forEachTimer((name, timer) => {
    (out ??= []).push({
      name,
      intervalMs: timer.interval,
      iteration: timer.iteration,
      drifting: timer.drifting,
      overlaps: timer.overlaps,
      lastDriftMs: timer.lastDrift,
    });
  });
  return out;
}

/** Whether a service is ready now (what `ready$` last said). */
export function readyOf(beacon: Beacon): boolean | undefined {
  return coreOf(beacon)?.isReady;
}
