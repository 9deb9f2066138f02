/** What a supervisor did about one ending of a child. */
export type RestartAction =
  /** restarted it (with `restart()`) */
  | 'restarted'
  /** replaced it with what `replacement` returned */
  | 'replaced'
  /** stopped it for good (a Forfeit strategy) */
  | 'forfeited'
  /** left it, as its restart type says (temporary, or transient after a clean stop) */
  | 'left'
  /** gave up: the restart budget was spent, the supervisor crashed */
  | 'escalated';

/** One ending of a child, as its supervisor saw it. */
export interface RestartRecord {
  /** The scheduler's `now()` when the supervisor reacted. */
  readonly at: number;
  /** The crash reason; undefined after a clean stop. */
  readonly reason: unknown;
  /** Whether it had crashed (false: it stopped cleanly). */
  readonly crashed: boolean;
  readonly action: RestartAction;
}

/**
 * The last few endings of one child, oldest first; older ones are dropped so a service
 * that crashes all day keeps a short, recent history.
 *
 * @example
 * const history = new RestartHistory(2);
 * history.push({ at: 1, reason: 'a', crashed: true, action: 'restarted' });
 * history.records; // [{ at: 1, ... }]
 */
export class RestartHistory {
  #records: RestartRecord[] = [];

  constructor(readonly limit: number) {}

  get records(): readonly RestartRecord[] {
    return [...this.#records];
  }

  push(record: RestartRecord): void {
    this.#records.push(Object.freeze({ ...record }));
    if (this.#records.length > this.limit) this.#records.splice(0, this.#records.length - this.limit);
  }
}
