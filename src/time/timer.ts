import {
  asyncScheduler,
  isObservable,
  Observable,
  type ObservableInput,
  type SchedulerAction,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import type { Logger } from '../logging/logger.js';
import { fromHookResult, isPromiseLike } from '../service/hook-result.js';
import { outsideWork } from '../service/work-scope.js';
import type { Duration } from './duration.js';
import { dueTick, nextFreeTick, nextWaitEnd, tickSettings, timerLogger, warnDrift, warnOverlap } from './tick-grid.js';
import {
  CLOCK_ORIGIN,
  compact,
  type GroupWaiter,
  type GroupWork,
  WaitGroup,
  type WaitGroups,
  groupsOn,
  wakeGroup,
} from './wait-groups.js';
import { MAX_TIMEOUT_MS } from './wake-at.js';

/** Options of {@link Timer} and {@link timer$}. */
export interface TimerOptions {
  /** How much one wait may be shortened to catch up with the schedule (default 100 ms). */
  maxDriftCorrection?: Duration;
  /** Names the timer in its log lines (default `'timer'`). */
  name?: string;
  /**
   * Where the time comes from and the waits happen (default `asyncScheduler`). The first
   * wait is a `scheduler.schedule` call; each later one reschedules that action from its
   * work (`this.schedule(state, delay)`, as RxJS's `interval` does), so a wrapping
   * scheduler sees them all only if it hands its work an action of its own. On
   * `asyncScheduler` itself in Node (whose entry points turn it on), the timers due at the
   * same moment share one wait (one native timer for them all); in a browser, and on any
   * other scheduler, each timer has its own.
   */
  scheduler?: SchedulerLike;
  /**
   * A wake-up later or earlier than this is counted in `drifting` and logged. Default
   * min(30 % of the interval, 1.2 s), logged only for intervals of 1 s or more (as mode);
   * when given, it is logged for any interval.
   */
  driftLogThreshold?: Duration;
  /**
   * Where drift and overlap warnings go: a logger, or a function that gives one when
   * needed. Default `getLogger('rxmode.timer')`; for `@timer` and `itertimer`, the
   * service's own.
   */
  logger?: Logger | (() => Logger);
  /** Also tick once (tick 0) at subscription, before the first interval. */
  execFirst?: boolean;
}

// Set by Timer's static block: a TickLoop (below the class) wakes through it.
let wakeLoop: (loop: TickLoop) => void;
/**
 * @internal Set by Timer's static block: starts a loop made outside the class (a driven
 * one, `src/time/drive.ts`) at `since` on the epoch `epoch` (both since CLOCK_ORIGIN),
 * with tick 0 if asked and the wait for tick 1.
 */
export let beginTickLoop: (loop: TickLoop, since: number, epoch: number) => void;
/** @internal Set by Timer's static block: ends a loop made outside the class, leaving no wait. */
export let endTickLoop: (loop: TickLoop) => void;

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
  // Fields in the order a tick uses them, the ones it reads or writes first: V8 lays them
  // out in declaration order, and a tick after 100 ms idle loads each cache line it
  // touches from memory (W3). The rest (logging, rare counters) come after.
  readonly scheduler: SchedulerLike;
  /** The interval in ms. */
  readonly interval: number;
  /** The largest shortening of one wait, in ms. */
  readonly maxDriftCorrection: number;
  /** Wake-ups off by more than this many ms count as drifting. */
  readonly driftThreshold: number;
  /** The groups of this timer's scheduler, where timers due together share a wait. */
  readonly #groups: WaitGroups | undefined;
  #iteration = 0;
  // Two fields, not one `number | null`: a field that may hold null boxes every time written to it.
  #bodyRunning = false;
  #lastDrift = 0;
  #lastRuntime = 0;
  #bodyStartedAt = 0;
  #bodiesFinished = 0;
  #skipped = 0;
  readonly name: string;
  #drifting = 0;
  #driftingEarly = 0;
  #driftingLate = 0;
  #overlaps = 0;
  readonly #logDrift: boolean;
  readonly #logger: Logger | (() => Logger) | undefined;
  readonly #execFirst: boolean;

  constructor(interval: Duration, options: TimerOptions = {}) {
    let self: Timer | undefined;
    super((subscriber) => self!.#start(subscriber, undefined));
    self = this;
    const settings = tickSettings(interval, options);
    this.interval = settings.interval;
    this.name = settings.name;
    this.maxDriftCorrection = settings.maxDriftCorrection;
    this.driftThreshold = settings.driftThreshold;
    this.#logDrift = settings.logDrift;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.#groups = groupsOn(this.scheduler);
    this.#logger = options.logger;
    this.#execFirst = settings.execFirst;
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
  /**
   * How far off its slot the last wake-up was, in ms: positive late, negative early, 0 on
   * time (whether or not past `driftThreshold`; `/metrics` reports it per timer).
   *
   * @example
   * service.timers.get('flush')?.lastDrift; // 12: the last tick came 12 ms late
   */
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
    this.#bodyStartedAt = this.#sinceOrigin();
    this.#bodyRunning = true;
  }

  /** Tells the timer that the body started by {@link Timer.bodyStarted} finished. */
  bodyFinished(): void {
    if (!this.#bodyRunning) return;
    this.#lastRuntime = this.#sinceOrigin() - this.#bodyStartedAt;
    this.#bodyRunning = false;
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
    // Not `this.pipe(exhaustMap(...))`: that made an Observable and three subscribers every
    // tick. The tick loop calls the body itself and follows only a Promise or Observable;
    // ticks that fall while one runs are already dropped by the loop (overlaps).
    return new Observable<T>((subscriber) => this.#start(subscriber as Subscriber<unknown>, body));
  }

  #start(subscriber: Subscriber<unknown>, body: ((tick: number) => unknown) | undefined): () => void {
    const loop = new TickLoop(this, subscriber, body);
    this.#begin(loop);
    return () => this.#stop(loop);
  }

  /**
   * Sets the loop's epoch (now, `since`, unless given an earlier one: a driven loop may
   * share one, `src/time/drive.ts`), delivers tick 0 if asked (execFirst), then waits for
   * tick 1, unless the loop already ended.
   */
  #begin(loop: TickLoop, since = this.#sinceOrigin(), epoch = since): void {
    loop.epoch = epoch;
    let now = since - epoch;
    if (this.#execFirst) {
      now = this.#deliver(loop, 0, now);
      if (loop.subscriber.closed) return;
    }
    this.#arm(loop, this.interval, false, now);
  }

  #stop(loop: TickLoop): void {
    loop.pending?.unsubscribe();
    loop.pending = undefined;
    loop.group?.leave(loop);
    const inner = loop.inner;
    if (inner) {
      loop.inner = undefined;
      inner.unsubscribe();
      this.bodyFinished();
    }
  }

  /** The time since {@link CLOCK_ORIGIN}: a small integer, which fields keep unboxed. */
  #sinceOrigin(): number {
    return compact(this.scheduler.now() - CLOCK_ORIGIN);
  }

  /**
   * The loop's clock after a body ran, kept for the group being woken: the next loop of the
   * group takes it as its wake-up time rather than asking the clock again. It is the
   * newest reading there is (only the group's bookkeeping runs between the two), and in
   * virtual time it is the same number. W3: Date.now() is a call into the runtime, 9 % of a
   * tick's samples in perf when each tick read the clock twice.
   */
  #read(loop: TickLoop): number {
    const now = this.#sinceOrigin();
    if (clockOf) {
      clockOf = this.scheduler;
      clockNow = now;
    }
    return now - loop.epoch;
  }

  /**
   * Waits until `at` (a slot, or a shortened wait's end). Waits longer than setTimeout
   * allows are made in pieces, as `wakeAt` does. A wait that ends at `at` joins the
   * loops of this scheduler due at the same moment (a {@link TickGroup}): one scheduled
   * action wakes them all, as Node keeps one native timer for its timers of one duration.
   * The first wait of a group is a `scheduler.schedule`, unless the action that just ran
   * (`reuse`) is free: then it is rescheduled (`action.schedule`, as RxJS's `interval`
   * does), and on `asyncScheduler` its native interval is kept while the delay stays the
   * same. The actions belong to the scheduler, so a TestScheduler or a wrapping
   * scheduler still sees every wait (one for each group of timers due together).
   */
  #arm(loop: TickLoop, at: number, reuse: boolean, now: number): void {
    loop.at = at;
    loop.armedAt = now;
    this.#wait(loop, reuse, now);
  }

  #wait(loop: TickLoop, reuse: boolean, now: number): void {
    const at = loop.at;
    const delay = Math.min(Math.max(at - now, 0), MAX_TIMEOUT_MS);
    loop.finalPiece = now + delay >= at;
    const action = reuse ? takeSpareAction() : undefined;
    // W3, 1,000 timers @ 100 ms: one native timer re-armed per group, not per timer. A
    // wait's delay changes with the lateness, and each change made an AsyncAction clear
    // its setInterval and make another: 210 of the 361 bytes a tick allocated (now 85).
    const groups = this.#groups;
    if (groups && delay > 0 && loop.finalPiece) {
      // The spare action, if not needed, is left alone: it ends with the work that ran it.
      if (!groups.join(loop, this.scheduler, loop.epoch + at, delay, Timer.#work as GroupWork, action as SchedulerAction<WaitGroup>) && action) {
        spareAction = action;
      }
      return;
    }
    const seq = ++loop.seq;
    const pending = action ? action.schedule(loop, delay) : this.scheduler.schedule(Timer.#work, delay, loop);
    // A synchronous scheduler may already have run it and armed a later wait: keep that one.
    if (loop.seq === seq) loop.pending = pending;
  }

  /** The work of every action a Timer schedules: wakes one loop, or every loop of a group. */
  static #work(this: SchedulerAction<TickLoop | WaitGroup>, state?: TickLoop | WaitGroup): void {
    // The action that ran is free once its work began: the first wait armed here may take it.
    const outer = spareAction;
    const outerClock = clockOf;
    const outerNow = clockNow;
    spareAction = this;
    try {
      // As nobody's work: where tasks are followed across awaits, the native timer behind
      // this action keeps the async context it was made in (a start's, a sleeping task's),
      // and a tick that does not enter a context of its own must not pass for that work.
      outsideWork(() => {
        clockOf = undefined;
        if (state instanceof WaitGroup) {
          clockOf = NOT_READ;
          wakeGroup(state);
        } else {
          state!.timer.#wake(state!);
        }
      });
    } finally {
      spareAction = outer;
      clockOf = outerClock;
      clockNow = outerNow;
    }
  }

  static {
    // TickLoop needs them, and they stay out of the class's API.
    beginTickLoop = (loop, since, epoch) => loop.timer.#begin(loop, since, epoch);
    wakeLoop = (loop) => loop.timer.#wake(loop);
    endTickLoop = (loop) => loop.timer.#stop(loop);
  }

  #wake(loop: TickLoop): void {
    if (loop.subscriber.closed) return;
    const now = (clockOf === this.scheduler ? clockNow : this.#sinceOrigin()) - loop.epoch;
    const at = loop.at;
    if (now < at) {
      // Woken before its time: a piece of a long wait, or a scheduler that runs early.
      if (loop.finalPiece) this.#noteDrift(now - at, now - loop.armedAt);
      this.#wait(loop, true, now);
      return;
    }
    const lateBy = now - at;
    if (lateBy > 0) this.#noteDrift(lateBy, now - loop.armedAt);
    else this.#lastDrift = 0;
    const due = dueTick(loop.nextTick, now, this.interval);
    if (due > loop.nextTick) this.#skipped += due - loop.nextTick;
    if (this.#bodyRunning) {
      this.#noteOverlap(1, loop.epoch + now - this.#bodyStartedAt);
      loop.nextTick = due + 1;
      this.#arm(loop, nextWaitEnd(loop.nextTick, now, this.interval, this.maxDriftCorrection), true, now);
      return;
    }
    const after = this.#deliver(loop, due, now);
    if (loop.subscriber.closed) return;
    // Slots that passed while a synchronous body ran overlapped it.
    const next = nextFreeTick(due, after, this.interval);
    loop.nextTick = next;
    if (next > due + 1) this.#noteOverlap(next - due - 1, after - now);
    this.#arm(loop, nextWaitEnd(next, now, this.interval, this.maxDriftCorrection), true, after);
  }

  /**
   * Emits tick `k` (or runs the body on it), woken at `wokeAt` (on the loop's clock);
   * returns the time after: the one clock reading a tick takes besides its wake-up (the
   * runtime of a synchronous body and the slots it covered are both measured from it).
   */
  #deliver(loop: TickLoop, k: number, wokeAt: number): number {
    this.#iteration += 1;
    const body = loop.body;
    const finishedBefore = this.#bodiesFinished;
    if (body === undefined) {
      loop.subscriber.next(k);
    } else {
      this.#bodyStartedAt = loop.epoch + wokeAt;
      this.#bodyRunning = true;
      let result: unknown;
      try {
        result = body(k);
      } catch (error) {
        this.bodyFinished();
        loop.subscriber.error(error);
        return wokeAt;
      }
      if (isObservable(result) || isPromiseLike(result)) {
        this.#follow(loop, result);
        return this.#read(loop);
      }
      // The common case, a synchronous body: nothing to follow, nothing made.
      loop.subscriber.next(result ?? undefined);
      this.#bodyRunning = false;
    }
    const after = this.#read(loop);
    if (!this.#bodyRunning && this.#bodiesFinished === finishedBefore) {
      // No hooks were called (or run() ran a synchronous body): what ran inside was the body.
      this.#lastRuntime = after - wokeAt;
    }
    return after;
  }

  /** Follows a body's Promise or Observable: its values go out, its end ends the body. */
  #follow(loop: TickLoop, result: ObservableInput<unknown>): void {
    let done = false;
    const finish = (): void => {
      done = true;
      loop.inner = undefined;
      this.bodyFinished();
    };
    const inner = fromHookResult(result).subscribe({
      next: (value) => loop.subscriber.next(value),
      error: (error: unknown) => {
        finish();
        loop.subscriber.error(error);
      },
      complete: finish,
    });
    if (done) return;
    // The subscriber may have left while a value went out synchronously.
    if (loop.subscriber.closed) {
      inner.unsubscribe();
      finish();
      return;
    }
    loop.inner = inner;
  }

  #noteDrift(drift: number, slept: number): void {
    this.#lastDrift = drift;
    if (Math.abs(drift) <= this.driftThreshold) return;
    this.#drifting += 1;
    if (drift > 0) this.#driftingLate += 1;
    else this.#driftingEarly += 1;
    if (this.#logDrift) warnDrift(timerLogger(this.#logger), this.name, drift, this.#lastRuntime, slept);
  }

  #noteOverlap(count: number, runtime: number): void {
    this.#overlaps += count;
    warnOverlap(timerLogger(this.#logger), this.name, this.interval, count, runtime);
  }
}

/**
 * @internal One subscription's tick loop: where it is on its grid and what it waits for.
 * A loop made without a subscriber is its own sink (a driven loop, `src/time/drive.ts`).
 */
export class TickLoop implements GroupWaiter {
  // Fields in the order a tick uses them (see Timer's fields): the first ones fill a
  // cache line, and the rest (seq, pending, inner, fail) serve other paths.
  /** The group whose action the current wait is, if it is one. */
  group: WaitGroup | undefined = undefined;
  /** Where the ticks go: the subscriber, or this loop when driven. */
  readonly subscriber: TickSink;
  /** Whether a driven loop ended (a subscribed loop's end is its subscriber's). */
  closed = false;
  readonly timer: Timer;
  /** The start, since {@link CLOCK_ORIGIN}: tick k is due at `epoch + k * interval`. Set when the loop begins. */
  epoch = 0;
  /** When the current wait is due, on the loop's clock (ms since `epoch`). */
  at = 0;
  /** Whether the current piece of the wait ends at `at` (a long wait has earlier pieces). */
  finalPiece = true;
  /** When the current wait began, on the loop's clock (for the sleep time in drift logs). */
  armedAt = 0;
  /** The index of the next tick to deliver. */
  nextTick = 1;
  readonly body: ((tick: number) => unknown) | undefined;
  /** Counts waits, so a wait armed from inside a synchronous scheduler is the one kept. */
  seq = 0;
  /** The scheduled wait, to cancel. */
  pending: Subscription | undefined = undefined;
  /** A body's Promise or Observable still running. */
  inner: Subscription | undefined = undefined;

  constructor(timer: Timer, subscriber: TickSink | undefined, body: ((tick: number) => unknown) | undefined) {
    this.subscriber = subscriber ?? (this as unknown as TickSink);
    this.timer = timer;
    this.body = body;
  }

  wake(): void {
    wakeLoop(this);
  }
}

/** @internal Where a tick loop delivers: the subscriber of a Timer or of `run()`, or a driven loop itself. */
export interface TickSink {
  readonly closed: boolean;
  next(value: unknown): void;
  error(error: unknown): void;
}

/**
 * The last reading of the clock during one group's wake-up (see `Timer.#read`): the
 * scheduler it was read on, and the reading (since CLOCK_ORIGIN: a small integer, which a
 * variable holds without a heap number). `NOT_READ` while a group wakes and nothing was
 * read yet; undefined outside a group's wake-up.
 */
let clockOf: SchedulerLike | undefined;
let clockNow = 0;
const NOT_READ = {} as SchedulerLike;

/** The action whose work runs now, while no wait armed in that work has rescheduled it. */
let spareAction: SchedulerAction<TickLoop | WaitGroup> | undefined;

function takeSpareAction(): SchedulerAction<TickLoop | WaitGroup> | undefined {
  const action = spareAction;
  spareAction = undefined;
  return action;
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
