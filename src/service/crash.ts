import type { Beacon } from '../tree/beacon.js';
import { ServiceCore } from './core.js';
import { logCrash } from './log.js';

/**
 * Crashes a service: logs the reason, then marks crashed either the subtree of its
 * nearest supervised service (itself, or the nearest ancestor that has a supervisor),
 * whose supervisor is told by `markCrashed` and takes over; or, with no supervisor on
 * the way up, the whole tree from its root down, siblings included, with the same reason
 * (as mode does). Parents are marked before their children. A service that runs nothing
 * (`init`, `shutdown`) or has crashed already only logs.
 *
 * The path in calls: `Service.crash` → `crash` → `crashSubtree` → `ServiceCore.markCrashed`
 * → `SupervisorStrategy.childCrashed` → `Supervision.told` (supervisor-loop.ts).
 *
 * @example
 * crash(leaf[CORE], new Error('disk full')); // leaf, its ancestors and their other children: crashed
 */
export function crash(core: ServiceCore, reason: unknown): void {
  logCrash(core.data, reason);
  if (core.state !== 'running' && core.state !== 'stopping') return;
  crashSubtree(core.supervisedAncestor() ?? core.root, reason);
}

/** Marks every service of the subtree crashed, breadth first (no recursion: any depth). */
function crashSubtree(top: Beacon, reason: unknown): void {
  // A leaf without the walk (its generator and queue): a crash loop crashes the same
  // leaf thousands of times (the walk was 0.7% of W4). Not a branch of its own (see reset.ts).
  for (const node of top.children.length === 0 ? [top] : top.traverse()) if (node instanceof ServiceCore) node.markCrashed(reason);
}
