import { Beacon } from '../tree/beacon.js';
import { CORE, type CoreHost, markCrashed } from './core.js';

/** What a crash needs of a service: its place in the tree and whether it is supervised. */
export interface CrashHost extends CoreHost {
  readonly beacon: Beacon;
  readonly supervisor: unknown;
}

/**
 * Spreads a crash. A supervised service (or the nearest supervised ancestor of an
 * unsupervised one) is crashed with all its descendants, and its supervisor, which
 * watches its `state$`, takes over; the tree above it is untouched. With no supervisor on
 * the way up, the whole tree from its root down, siblings included, is crashed with the
 * same reason, as mode does. Parents are marked before their children.
 *
 * @example
 * spreadCrash(leaf, new Error('disk full')); // leaf, its ancestors and their other children: crashed
 */
export function spreadCrash(host: CrashHost, reason: unknown): void {
  const top = supervisedAncestor(host.beacon) ?? host.beacon.root;
  for (const node of top.traverse()) {
    const data = node.data as Partial<CrashHost> | undefined;
    if (data?.[CORE]) markCrashed(data as CrashHost, reason);
  }
}

function supervisedAncestor(beacon: Beacon): Beacon | undefined {
  for (const node of beacon.walk()) {
    const data = node.data as Partial<CrashHost> | undefined;
    if (data?.[CORE] && data.supervisor) return node;
  }
  return undefined;
}
