import { getLogger, type Logger } from '../logging/logger.js';
import { type Duration, toMs } from './duration.js';
import { toIntervalMs } from './interval.js';
import type { TimerOptions } from './timer.js';

/**
 * The rules of a drift-correcting interval, shared by the two loops that follow them: the
 * {@link Timer}'s (wait groups, bodies, counters: what `@timer` needs) and `itertimer`'s
 * small one, which a bundle of `Service` carries instead of the Timer (840 bytes gzipped less,
 * scripts/size.mjs). Tick `k` is due at `epoch + k * interval`; times here are on the
 * loop's clock (ms since its epoch).
 */

const DRIFT_PERCENT = 0.3;
const DRIFT_CEILING_MS = 1_200;

/** @internal What a loop needs of its {@link TimerOptions}, checked and in ms. */
export interface TickSettings {
  readonly interval: number;
  readonly name: string;
  readonly maxDriftCorrection: number;
  readonly driftThreshold: number;
  /** Whether a drift past the threshold is logged, not only counted. */
  readonly logDrift: boolean;
  readonly execFirst: boolean;
}

/**
 * @internal Reads `options` for a loop ticking every `interval`, refusing a bad value with a
 * TypeError that names it. The drift threshold defaults to min(30 % of the interval, 1.2 s),
 * logged only for intervals of 1 s or more (as mode); one given is logged for any interval.
 */
export function tickSettings(interval: Duration, options: TimerOptions): TickSettings {
  const ms = toIntervalMs(interval, 'timer interval');
  const threshold = options.driftLogThreshold;
  return {
    interval: ms,
    name: options.name ?? 'timer',
    maxDriftCorrection: toMs(options.maxDriftCorrection ?? 100),
    driftThreshold: threshold === undefined ? Math.min(ms * DRIFT_PERCENT, DRIFT_CEILING_MS) : toMs(threshold),
    logDrift: threshold !== undefined || ms >= 1_000,
    execFirst: options.execFirst ?? false,
  };
}

/**
 * @internal The tick to deliver on waking at `now`: the latest slot that is due, or
 * `nextTick` if none is yet. Earlier undelivered slots could not happen (they are skipped).
 */
export function dueTick(nextTick: number, now: number, interval: number): number {
  return Math.max(nextTick, Math.floor(now / interval));
}

/**
 * @internal The first tick after `due` whose slot is still ahead at `after` (the time the
 * delivery of `due` ended): the slots between passed while it ran, and overlapped it.
 */
export function nextFreeTick(due: number, after: number, interval: number): number {
  let next = due + 1;
  while (next * interval <= after) next += 1;
  return next;
}

/**
 * @internal When the wait for tick `next` ends, for a loop woken at `now`: its slot, unless
 * reaching it would shorten the wait by more than `maxDriftCorrection` (lateness is caught
 * up gradually, so one stall causes no burst).
 */
export function nextWaitEnd(next: number, now: number, interval: number, maxDriftCorrection: number): number {
  return Math.max(next * interval, now + interval - maxDriftCorrection);
}

/** @internal The logger of `option`, looked up when needed so a root logger installed later is honoured. */
export function timerLogger(option: Logger | (() => Logger) | undefined): Logger {
  return typeof option === 'function' ? option() : (option ?? getLogger('rxmode.timer'));
}

/** @internal Logs a wake-up `drift` ms off its slot (positive late), as mode words it. */
export function warnDrift(logger: Logger, name: string, drift: number, runtime: number, slept: number): void {
  const direction = drift > 0 ? 'late' : 'early';
  logger.warn(
    { timer: name, driftMs: drift, runtimeMs: runtime, sleptMs: slept },
    `Timer ${name} woke up too ${direction}, with a drift of ${drift > 0 ? '+' : ''}${drift}ms ` +
      `runtime=${runtime}ms sleeptime=${slept}ms`,
  );
}

/** @internal Logs `count` ticks dropped because a run of `runtime` ms was still going. */
export function warnOverlap(logger: Logger, name: string, interval: number, count: number, runtime: number): void {
  logger.warn(
    { timer: name, intervalMs: interval, runtimeMs: runtime, dropped: count },
    `Timer ${name} is overlapping (interval=${interval}ms runtime=${runtime}ms): ` +
      `${count} tick${count === 1 ? '' : 's'} dropped`,
  );
}
