// Test doubles around a base scheduler (the TestScheduler in these specs). A wait reaches a
// scheduler in one of two ways, as the SchedulerLike contract allows: a fresh
// `scheduler.schedule` call (cron$ and wakeAt make one per wait), or the running action
// rescheduling itself with `this.schedule(state, delay)` (a Timer does that from its second
// wait on, as RxJS's `interval` does). The wrapper hands out actions of its own, so it sees
// both.
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';

/** Records every wait asked for, and which are still pending (not run, not cancelled). */
export class RecordingScheduler implements SchedulerLike {
  readonly delays: number[] = [];
  /** Calls of `schedule` itself; an action rescheduling itself is a wait, not a call. */
  scheduled = 0;
  #live = 0;

  /**
   * @param lateBy how much later than asked the n-th wait (0-based) really wakes; a
   * negative value wakes early.
   */
  constructor(
    private readonly base: SchedulerLike,
    private readonly lateBy: (n: number, delay: number) => number = () => 0,
  ) {}

  /** Waits scheduled and neither run nor cancelled. */
  get live(): number {
    return this.#live;
  }

  now(): number {
    return this.base.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    this.scheduled += 1;
    return new RecordingAction(this, work).schedule(state, delay);
  }

  /** Starts one recorded wait on the base scheduler; `finish` ends it in the count. */
  wait(delay: number, run: () => void): { inner: Subscription; finish: () => void } {
    const n = this.delays.length;
    this.delays.push(delay);
    this.#live += 1;
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        this.#live -= 1;
      }
    };
    const inner = this.base.schedule(() => {
      finish();
      run();
    }, Math.max(0, delay + this.lateBy(n, delay)));
    return { inner, finish };
  }
}

/**
 * A RecordingScheduler whose clock reads as the wall clock: the base's virtual time from
 * the moment it was made. Timers that share their waits on it share their epochs as they
 * do on asyncScheduler in real time (WaitGroups.epochFor), while the frames stay virtual.
 */
export class WallClockScheduler extends RecordingScheduler {
  readonly #origin = Date.now();

  override now(): number {
    return this.#origin + super.now();
  }
}

/** The action a RecordingScheduler hands to its work: each `schedule` is one recorded wait. */
class RecordingAction<T> extends Subscription implements SchedulerAction<T> {
  #pending: { inner: Subscription; finish: () => void } | undefined;
  #seq = 0;

  constructor(
    private readonly recorder: RecordingScheduler,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
    this.add(() => this.#cancel());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    // Rescheduled before it ran: the earlier wait is replaced, as an AsyncAction's is.
    this.#cancel();
    const seq = ++this.#seq;
    const pending = this.recorder.wait(delay, () => {
      if (this.#seq === seq) this.#pending = undefined;
      this.work.call(this, state);
    });
    // A synchronous base may already have run it (and the work rescheduled).
    if (this.#seq === seq && !pending.inner.closed) this.#pending = pending;
    return this;
  }

  #cancel(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.finish();
    pending?.inner.unsubscribe();
  }
}

/**
 * Waits as `setTimeout` does in Node and browsers: a delay past 2^31-1 ms fires after
 * 1 ms. A wait that is not cut into pieces ends at once on it, as it would on
 * `asyncScheduler` in real time.
 */
export class ClampingScheduler implements SchedulerLike {
  constructor(private readonly base: SchedulerLike) {}

  now(): number {
    return this.base.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return this.base.schedule(work, delay > MAX_TIMEOUT_MS ? 1 : delay, state);
  }
}

/**
 * Runs the first wait asked of it at once, inside `schedule` (as a synchronous scheduler
 * would, early), and every later one on `base`. The action it hands to that first run
 * reschedules on `base` too, so the wait armed from inside it is an ordinary one. With
 * `due`, its clock moves on by that first wait's delay, so the wait is due, not early (a
 * synchronous scheduler of virtual time).
 */
export class RunsFirstAtOnceScheduler implements SchedulerLike {
  #first = true;
  #skew = 0;

  constructor(
    private readonly base: SchedulerLike,
    private readonly options: { due?: boolean } = {},
  ) {}

  now(): number {
    return this.base.now() + this.#skew;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    if (!this.#first) return this.base.schedule(work, delay, state);
    this.#first = false;
    if (this.options.due) this.#skew += delay;
    const base = this.base;
    const action = new Subscription() as Subscription & SchedulerAction<T>;
    action.schedule = (next?: T, nextDelay = 0) => base.schedule(work, nextDelay, next);
    work.call(action, state);
    return action;
  }
}
