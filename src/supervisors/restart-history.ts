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
  // A ring once full: `#next` is where the next record goes, the oldest is there too. A
  // splice at every push moved the whole list at each restart of a crash loop (with the
  // copy of each record, 2.9% of W4).
  #records: RestartRecord[] = [];
  #next = 0;

  constructor(readonly limit: number) {}

  get records(): readonly RestartRecord[] {
    const records = this.#records;
    if (this.#next === 0) return [...records];
    return [...records.slice(this.#next), ...records.slice(0, this.#next)];
  }

  push(record: RestartRecord): void {
    if (this.limit <= 0) return;
    const frozen = Object.isFrozen(record) ? record : Object.freeze({ ...record });
    const records = this.#records;
    if (records.length < this.limit) {
      records.push(frozen);
      return;
    }
    records[this.#next] = frozen;
    this.#next = (this.#next + 1) % this.limit;
  }
}
