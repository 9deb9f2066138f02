import { describeValue } from '../service/describe-value.js';

/** The units a {@link Duration} string may end with. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

/**
 * A length of time: a number of milliseconds, or a string with a unit
 * (`'500ms'`, `'1.5s'`, `'2m'`, `'1h'`, `'1d'`). A string without one of these units
 * (`'soon'`, `'a minute'`) does not compile; in plain JavaScript it is a `TypeError`
 * at run time. A string read at run time (a flag, an environment variable) is checked by
 * {@link toMs} first, or passed as a number of milliseconds.
 *
 * @example
 * const a: Duration = '1.5s';
 * const b: Duration = 250;
 * // @ts-expect-error: not a duration
 * const c: Duration = 'soon';
 */
export type Duration = number | `${number}${DurationUnit}`;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)\s*$/;

/**
 * Converts a {@link Duration} to milliseconds, refusing anything that is not one.
 *
 * @example
 * toMs(250);     // 250
 * toMs('1.5s');  // 1500
 * toMs('soon');  // TypeError: invalid duration: 'soon' ...
 */
export function toMs(duration: Duration | string): number {
  if (typeof duration === 'number') {
    if (Number.isFinite(duration) && duration >= 0) return duration;
    throw new TypeError(`invalid duration: ${String(duration)} (expected a finite number of ms >= 0)`);
  }
  if (typeof duration === 'string') {
    const match = DURATION_RE.exec(duration);
    if (match) {
      // Enough digits overflow to Infinity, which no wait can honour.
      const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
      if (Number.isFinite(ms)) return ms;
      throw new TypeError(`invalid duration: ${describeValue(duration)} (too long: not a finite number of ms)`);
    }
  }
  throw new TypeError(
    `invalid duration: ${describeValue(duration)} (expected ms as a number, or a string such as '500ms', '1.5s', '2m', '1h', '1d')`,
  );
}

/**
 * Converts a {@link Duration} to seconds (mode's `want_seconds`).
 *
 * @example
 * wantSeconds('2m'); // 120
 */
export function wantSeconds(duration: Duration | string): number {
  return toMs(duration) / 1_000;
}
