import { describeValue } from '../service/describe-value.js';
import { type Duration, toMs } from './duration.js';

/** The shortest interval rxmode waits between two runs of the same thing. */
export const MIN_INTERVAL_MS = 1;

/**
 * Converts a {@link Duration} meant as an interval (a Timer's period, a blocking timeout)
 * to milliseconds, refusing one shorter than 1 ms with a TypeError naming `what` and the
 * value: a timer that is always due would keep the event loop busy catching up with it.
 *
 * @example
 * toIntervalMs('1s', 'timer interval');  // 1000
 * toIntervalMs(1e-12, 'timer interval'); // TypeError: invalid timer interval: 1e-12 (expected at least 1 ms)
 */
export function toIntervalMs(duration: Duration, what: string): number {
  const ms = toMs(duration);
  if (ms >= MIN_INTERVAL_MS) return ms;
  throw new TypeError(`invalid ${what}: ${describeValue(duration)} (expected at least ${MIN_INTERVAL_MS} ms)`);
}
