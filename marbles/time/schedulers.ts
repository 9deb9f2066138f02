// Test doubles around a base scheduler (the TestScheduler in these specs). Timer, cron$
// and wakeAt call scheduler.schedule afresh for every wait, so a wrapper sees each one.
import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';
import { MAX_TIMEOUT_MS } from '../../src/time/wake-at.js';

/** Records every wait asked for, and which are still pending (not run, not cancelled). */
export class RecordingScheduler implements SchedulerLike {
  readonly delays: number[] = [];
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
    const inner = this.base.schedule(
      function (this: SchedulerAction<T>, s?: T) {
        finish();
        work.call(this, s);
      },
      Math.max(0, delay + this.lateBy(n, delay)),
      state,
    );
    return new Subscription(() => {
      finish();
      inner.unsubscribe();
    });
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
