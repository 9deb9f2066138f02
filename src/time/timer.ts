import {
  asyncScheduler,
  defer,
  exhaustMap,
  finalize,
  Observable,
  type ObservableInput,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import { getLogger, type Logger } from '../logging/logger.js';
import { fromHookResult } from '../service/hook-result.js';
import { type Duration, toMs } from './duration.js';
import { wakeAt } from './wake-at.js';

/** Options of {@link Timer} and {@link timer$}. */
export interface TimerOptions {
  /** How much one wait may be shortened to catch up with the schedule (default 100 ms). */
  maxDriftCorrection?: Duration;
  /** Names the timer in its log lines (default `'timer'`). */
  name?: string;
  /** Where the time comes from and the waits happen (default `asyncScheduler`). */
  scheduler?: SchedulerLike;
  /**
   * A wake-up later or earlier than this is counted in `drifting` and logged. Default
   * min(30 % of the interval, 1.2 s), logged only for intervals of 1 s or more (as mode);
   * when given, it is logged for any interval.
   */
  driftLogThreshold?: Duration;
  /** Where drift and overlap warnings go (default `getLogger('rxmode.timer')`). */
  /** Where drift and overlap warnings go: a logger, or a function that gives one when needed. */
  logger?: Logger | (() => Logger);
  /** Also tick once (tick 0) at subscription, before the first interval. */
  execFirst?: boolean;
}

const DRIFT_PERCENT = 0.3;
const DRIFT_CEILING_MS = 1_200;

/**
 * A drift-correcting interval: an `Observable<number>` that emits the tick index `k`
 * at `epoch + k * interval`, where the epoch is the moment of subscription (so tick 1
 * comes one full interval after it). Lateness never accumulates: each tick aims at
 * its own slot, not at "previous tick + interval". A late wake-up is caught up
 * gradually, each wait being shortened by at most `maxDriftCorrection`, so one stall
 * causes no burst. Ticks whose slot passed while the timer could not wake are skipped
 * (the index jumps; `skipped` counts them), and so are ticks that fall while the
 * consumer's body is still running (counted in `overlaps`; see {@link Timer.run}).
 *
 * The counters and body hooks belong to the instance: subscribe to a Timer once.
 *
 * @example
 * const ticks = new Timer('1s', { name: 'heartbeat' });
 * ticks.run(() => sendHeartbeat()).subscribe();
 * // later: ticks.iteration, ticks.drifting, ticks.overlaps ...
 */
export class Timer extends Observable<number> {
  /** The interval in ms. */
  readonly interval: number;
  readonly name: string;
  /** The largest shortening of one wait, in ms. */
  readonly maxDriftCorrection: number;
  /** Wake-ups off by more than this many ms count as drifting. */
  readonly driftThreshold: number;
  readonly scheduler: SchedulerLike;

  #iteration = 0;
  #drifting = 0;
  #driftingEarly = 0;
  #driftingLate = 0;
  #overlaps = 0;
  #skipped = 0;
  #lastRuntime = 0;
  #lastDrift = 0;
  #bodyStartedAt: number | null = null;
  #bodiesFinished = 0;
  readonly #logDrift: boolean;
  readonly #logger: Logger | (() => Logger) | undefined;
  readonly #execFirst: boolean;

  constructor(interval: Duration, options: TimerOptions = {}) {
    let self: Timer | undefined;
    super((subscriber) => self!.#tick(subscriber));
    self = this;
    this.interval = toMs(interval);
    if (this.interval <= 0) throw new RangeError(`invalid timer interval: ${String(interval)} (expected more than 0 ms)`);
    this.name = options.name ?? 'timer';
    this.maxDriftCorrection = toMs(options.maxDriftCorrection ?? 100);
    this.driftThreshold =
      options.driftLogThreshold === undefined
        ? Math.min(this.interval * DRIFT_PERCENT, DRIFT_CEILING_MS)
        : toMs(options.driftLogThreshold);
    this.#logDrift = options.driftLogThreshold !== undefined || this.interval >= 1_000;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.#logger = options.logger;
    this.#execFirst = options.execFirst ?? false;
  }

  /** Ticks delivered so far. */
  get iteration(): number {
    return this.#iteration;
  }
  /** Wake-ups off by more than `driftThreshold`, early or late. */
  get drifting(): number {
    return this.#drifting;
  }
  get driftingEarly(): number {
    return this.#driftingEarly;
  }
  get driftingLate(): number {
    return this.#driftingLate;
  }
  /** Ticks dropped because the body was still running when they fell. */
  get overlaps(): number {
    return this.#overlaps;
  }
  /** Ticks dropped because the timer woke after their slot had passed. */
  get skipped(): number {
    return this.#skipped;
  }
  /** How far off its slot the last wake-up was, in ms: positive late, negative early, 0 on time. */
  get lastDrift(): number {
    return this.#lastDrift;
  }
  /** How long the last body ran, in ms. */
  get lastRuntime(): number {
    return this.#lastRuntime;
  }

  /**
   * Tells the timer that the consumer's body started, for overlap detection and the
   * runtime in log lines. While a body runs, due ticks are dropped and counted in
   * `overlaps`. {@link Timer.run} calls it for you.
   */
  bodyStarted(): void {
    this.#bodyStartedAt = this.scheduler.now();
  }

  /** Tells the timer that the body started by {@link Timer.bodyStarted} finished. */
  bodyFinished(): void {
    if (this.#bodyStartedAt === null) return;
    this.#lastRuntime = this.scheduler.now() - this.#bodyStartedAt;
    this.#bodyStartedAt = null;
    this.#bodiesFinished += 1;
  }

  /**
   * Runs `body` on every tick, waiting for what it returns (a Promise, an Observable,
   * or nothing). A tick that falls while the previous run is still going is dropped
   * and counted in `overlaps`: never two runs at once. Emits what the bodies emit.
   *
   * @example
   * new Timer('30s', { name: 'flush' }).run(async () => { await flushBuffers(); }).subscribe();
   */
  run<T = unknown>(body: (tick: number) => ObservableInput<T> | void): Observable<T> {
    return this.pipe(
      exhaustMap((tick) =>
        defer(() => {
          this.bodyStarted();
          return fromHookResult(body(tick)) as Observable<T>;
        }).pipe(finalize(() => this.bodyFinished())),
      ),
    );
  }

  #tick(subscriber: Subscriber<number>): () => void {
    const { interval, scheduler } = this;
    const epoch = scheduler.now();
    let next = 1; // the index of the next tick to deliver
    let pending: Subscription | undefined;

    const slot = (k: number): number => epoch + k * interval;

    const arm = (at: number): void => {
      const armedAt = scheduler.now();
      pending = wakeAt(
        scheduler,
        at,
        (now) => onWake(now, now - at, now - armedAt),
        (early) => this.#noteDrift(-early, scheduler.now() - armedAt),
      );
    };

    const deliver = (k: number, wokeAt: number): void => {
      this.#iteration += 1;
      const finishedBefore = this.#bodiesFinished;
      subscriber.next(k);
      if (subscriber.closed) return;
      const after = scheduler.now();
      if (this.#bodyStartedAt === null && this.#bodiesFinished === finishedBefore) {
        // No hooks were called: whatever ran synchronously inside next() was the body.
        this.#lastRuntime = after - wokeAt;
      }
      next = k + 1;
      // Slots that passed while a synchronous body ran overlapped it.
      let overlapped = 0;
      while (slot(next) <= after) {
        overlapped += 1;
        next += 1;
      }
      if (overlapped > 0) this.#noteOverlap(overlapped, after - wokeAt);
      arm(Math.max(slot(next), wokeAt + interval - this.maxDriftCorrection));
    };

    const onWake = (now: number, lateBy: number, slept: number): void => {
      if (lateBy > 0) this.#noteDrift(lateBy, slept);
      else this.#lastDrift = 0;
      // The latest slot that is due; earlier undelivered ones could not happen.
      const due = Math.max(next, Math.floor((now - epoch) / interval));
      if (due > next) this.#skipped += due - next;
      if (this.#bodyStartedAt !== null) {
        this.#noteOverlap(1, now - this.#bodyStartedAt);
        next = due + 1;
        arm(Math.max(slot(next), now + interval - this.maxDriftCorrection));
        return;
      }
      deliver(due, now);
    };

    if (this.#execFirst) {
      this.#iteration += 1;
      subscriber.next(0);
      if (subscriber.closed) return () => {};
    }
    arm(slot(next));
    return () => pending?.unsubscribe();
  }

  #noteDrift(drift: number, slept: number): void {
    this.#lastDrift = drift;
    if (Math.abs(drift) <= this.driftThreshold) return;
    this.#drifting += 1;
    if (drift > 0) this.#driftingLate += 1;
    else this.#driftingEarly += 1;
    if (!this.#logDrift) return;
    const direction = drift > 0 ? 'late' : 'early';
    this.#log().warn(
      { timer: this.name, driftMs: drift, runtimeMs: this.#lastRuntime, sleptMs: slept },
      `Timer ${this.name} woke up too ${direction}, with a drift of ${drift > 0 ? '+' : ''}${drift}ms ` +
        `runtime=${this.#lastRuntime}ms sleeptime=${slept}ms`,
    );
  }

  #noteOverlap(count: number, runtime: number): void {
    this.#overlaps += count;
    this.#log().warn(
      { timer: this.name, intervalMs: this.interval, runtimeMs: runtime, dropped: count },
      `Timer ${this.name} is overlapping (interval=${this.interval}ms runtime=${runtime}ms): ` +
        `${count} tick${count === 1 ? '' : 's'} dropped`,
    );
  }

  #log(): Logger {
    // Looked up when needed, so a root logger installed later is honoured.
    const logger = this.#logger;
    if (typeof logger === 'function') return logger();
    return logger ?? getLogger('rxmode.timer');
  }
}

/**
 * A drift-correcting interval on `options.scheduler`: a new {@link Timer}.
 *
 * @example
 * timer$('5s', { name: 'poll' }).subscribe((tick) => console.log('tick', tick));
 */
export function timer$(interval: Duration, options: TimerOptions = {}): Timer {
  return new Timer(interval, options);
}
