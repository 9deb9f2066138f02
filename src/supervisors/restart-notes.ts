import { Subject } from 'rxjs';
import type { Service } from '../service/service.js';
import type { RestartRecord } from './restart-history.js';

/** One ending of a supervised service, with what its supervisor did about it. */
export interface RestartNote {
  /** The service that ended (its `supervisor` is the one that noted it). */
  readonly service: Service;
  readonly record: RestartRecord;
}

/**
 * @internal Every record any supervisor adds to a history, for the health server's live
 * view. Told only while someone listens (`observed`), so unwatched it costs one
 * property read per restart.
 */
export const restartNotes$ = new Subject<RestartNote>();
