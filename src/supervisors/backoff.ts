import { toMs, type Duration } from '../time/duration.js';

/**
 * How long to wait before each restart: `initial * factor^(n-1)` for the n-th restart in
 * a row, capped at `max`, then randomised by `jitter`. The count starts again once the
 * service (or observable) has run cleanly for `resetAfter`.
 *
 * - `factor` defaults to 2 (each wait doubles).
 * - `jitter` (0..1, default 0) shortens each wait by a random part of up to that fraction,
 *   so that many restarting things do not wake together: with `jitter: 0.5` a 1s wait
 *   becomes anything from 0.5s to 1s. A wait never grows past `max`.
 * - `resetAfter` defaults to `max`: after running cleanly as long as the longest wait, a
 *   crash counts as the first again.
 * - `random` (default `Math.random`) supplies the jitter; tests pass their own.
 *
 * @example
 * const backoff: Backoff = { initial: '100ms', max: '10s', factor: 2, jitter: 0.2, resetAfter: '1m' };
 * source$.pipe(supervise({ maxRestarts: 10, over: '1m', backoff }));
 */
export interface Backoff {
  initial: Duration;
  max: Duration;
  factor?: number;
  jitter?: number;
  resetAfter?: Duration;
  random?: () => number;
}

/** A {@link Backoff} checked once and converted to milliseconds. */
export interface ResolvedBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  readonly jitter: number;
  readonly resetAfterMs: number;
  readonly random: () => number;
}

/**
 * Checks a {@link Backoff} and converts its durations, so that a mistake shows when the
 * supervisor is made rather than at its first restart.
 *
 * @example
 * resolveBackoff({ initial: '1s', max: '30s' });
 * // { initialMs: 1000, maxMs: 30000, factor: 2, jitter: 0, resetAfterMs: 30000, random: Math.random }
 * resolveBackoff({ initial: '1s', max: '30s', factor: 0.5 }); // RangeError: invalid backoff factor: 0.5 ...
 */
export function resolveBackoff(backoff: Backoff): ResolvedBackoff {
  if (typeof backoff !== 'object' || backoff === null) {
    throw new TypeError(`invalid backoff: ${String(backoff)} (expected { initial, max, factor?, jitter?, resetAfter? })`);
  }
  const initialMs = toMs(backoff.initial);
  const maxMs = toMs(backoff.max);
  if (initialMs > maxMs) {
    throw new RangeError(`invalid backoff: initial ${String(backoff.initial)} is longer than max ${String(backoff.max)}`);
  }
  const factor = backoff.factor ?? 2;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new RangeError(`invalid backoff factor: ${String(factor)} (expected a finite number >= 1)`);
  }
  const jitter = backoff.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(`invalid backoff jitter: ${String(jitter)} (expected a number from 0 to 1)`);
  }
  const resetAfterMs = backoff.resetAfter === undefined ? maxMs : toMs(backoff.resetAfter);
  const random = backoff.random ?? Math.random;
  if (typeof random !== 'function') {
    throw new TypeError(`invalid backoff random: ${String(random)} (expected a function returning 0 <= x < 1)`);
  }
  return { initialMs, maxMs, factor, jitter, resetAfterMs, random };
}

/**
 * The wait before the `attempt`-th restart in a row (1 for the first), in milliseconds.
 * Pure apart from `backoff.random`.
 *
 * @example
 * const b = resolveBackoff({ initial: 100, max: 1000, factor: 3 });
 * [1, 2, 3, 4].map((n) => backoffDelay(b, n)); // [100, 300, 900, 1000]
 */
export function backoffDelay(backoff: ResolvedBackoff, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`invalid backoff attempt: ${String(attempt)} (expected a whole number >= 1)`);
  }
  // Powers overflow to Infinity long before attempts run out; the cap absorbs that
  // (and 0 * Infinity would be NaN, hence the zero case).
  const grown = backoff.initialMs === 0 ? 0 : backoff.initialMs * backoff.factor ** (attempt - 1);
  const capped = Math.min(backoff.maxMs, grown);
  if (backoff.jitter === 0) return capped;
  const r = Math.min(Math.max(backoff.random(), 0), 1);
  return capped * (1 - backoff.jitter * r);
}
