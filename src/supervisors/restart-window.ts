import { toMs, type Duration } from '../time/duration.js';

/**
 * The restart budget: at most `maxRestarts` restarts within any `over` of time, as
 * Erlang/OTP's MaxR/MaxT. A sliding window of restart times, not mode's token bucket
 * (whose capacity is `over`, so its defaults allow a burst of one).
 *
 * A restart counts from the moment it happens; one that happened `over` ago or earlier
 * no longer counts. So no half-open span `[t, t + over)` ever holds more than
 * `maxRestarts` of them.
 *
 * @example
 * const budget = new RestartWindow(2, '1s');
 * budget.tryRecord(0);    // true
 * budget.tryRecord(10);   // true
 * budget.tryRecord(20);   // false: two restarts in the last second already
 * budget.tryRecord(1000); // true: the one at 0 has slid out of the window
 */
export class RestartWindow {
  readonly maxRestarts: number;
  readonly overMs: number;
  // The restart times, ascending, from `#head` on: those before it have slid out. A
  // filter() of the whole list at every restart made a storm under a budget of 10,000
  // quadratic (and was 4.5% of W4 with 1,000 in the window); sliding a head is O(1).
  #times: number[] = [];
  #head = 0;

  constructor(maxRestarts: number, over: Duration) {
    if (typeof maxRestarts !== 'number' || Number.isNaN(maxRestarts) || maxRestarts < 0
      || (Number.isFinite(maxRestarts) && !Number.isInteger(maxRestarts))) {
      throw new RangeError(
        `invalid maxRestarts: ${String(maxRestarts)} (expected a whole number >= 0, or Infinity)`,
      );
    }
    const overMs = toMs(over);
    // An empty window would never hold a restart: the budget would be unlimited.
    if (overMs <= 0) throw new RangeError(`invalid over: ${String(over)} (expected a duration > 0)`);
    this.maxRestarts = maxRestarts;
    this.overMs = overMs;
  }

  /** How many restarts count against the budget at `now` (those within the last `over`). */
  count(now: number): number {
    this.#forget(now);
    return this.#times.length - this.#head;
  }

  /** Whether a restart at `now` would stay within the budget. */
  allows(now: number): boolean {
    return this.count(now) < this.maxRestarts;
  }

  /** Records a restart at `now` if the budget allows it; says whether it did. */
  tryRecord(now: number): boolean {
    if (!this.allows(now)) return false;
    const times = this.#times;
    // Kept in order: a restart recorded ahead of time (a backoff still waiting) may be
    // later than one recorded after it.
    let at = times.length;
    while (at > this.#head && times[at - 1]! > now) at--;
    if (at === times.length) times.push(now);
    else times.splice(at, 0, now);
    return true;
  }

  /** Forgets every restart (a fresh budget). */
  clear(): void {
    this.#times = [];
    this.#head = 0;
  }

  // Restarts recorded ahead of `now` (a backoff that is still waiting) keep counting, so
  // the check stays safe even when restarts are not recorded in time order.
  #forget(now: number): void {
    const since = now - this.overMs;
    const times = this.#times;
    let head = this.#head;
    while (head < times.length && times[head]! <= since) head++;
    if (head > 64 && head * 2 > times.length) {
      times.splice(0, head); // compacted once half is gone: amortised O(1)
      head = 0;
    }
    this.#head = head;
  }
}
