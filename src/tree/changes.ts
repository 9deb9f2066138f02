import { Subject } from 'rxjs';

/** One beacon put under a parent or taken from it (its subtree goes with it). */
export interface BeaconChange {
  /** The beacon that moved. */
  readonly beacon: object;
  /** Its parent after `added`, its former parent after `removed`. */
  readonly parent: object;
  readonly change: 'added' | 'removed';
}

/**
 * @internal Every attach and detach of any beacon in the process, for the health
 * server's live view. One stream for all trees rather than one per beacon: most beacons
 * are leaves nobody watches, and a field per beacon would weigh on every service. A
 * beacon tells it only while someone listens (`observed`), so unwatched it costs one
 * property read per change.
 */
export const beaconChanges$ = new Subject<BeaconChange>();
