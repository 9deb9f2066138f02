import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/**
 * Like `asyncScheduler` (the wall clock, `setTimeout`), except that a pending wait does
 * not keep the process alive: for a wait that must not hold a program open once all else
 * has ended, such as a Worker's exit grace. Used with `longTimer`, its waits may be of
 * any length.
 *
 * @example
 * longTimer('3s', unrefScheduler).subscribe(() => reportWhatIsStillOpen());
 */
export const unrefScheduler: SchedulerLike = {
  now: () => Date.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new UnrefAction(work).schedule(state, delay);
  },
};

class UnrefAction<T> extends Subscription implements SchedulerAction<T> {
  #handle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
    this.add(() => clearTimeout(this.#handle));
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    clearTimeout(this.#handle);
    this.#handle = setTimeout(() => {
      this.#handle = undefined;
      this.work.call(this, state);
    }, delay);
    this.#handle.unref();
    return this;
  }
}
