import { BehaviorSubject, type Observable, type SchedulerLike, asyncScheduler } from 'rxjs';

/**
 * What a service is doing right now, for people: a set of flags (mode's `Diag`) and
 * when each was last set. `flags$` replays the current set, then each change.
 *
 * @example
 * svc.diag.flags$.subscribe((flags) => console.log([...flags]));
 * svc.diag.setFlag('FLUSHING');   // ['FLUSHING']
 * svc.diag.unsetFlag('FLUSHING'); // []
 */
export class Diag {
  readonly #flags = new BehaviorSubject<ReadonlySet<string>>(new Set());
  readonly #lastTransition = new Map<string, number>();
  readonly #scheduler: SchedulerLike;

  constructor(scheduler: SchedulerLike = asyncScheduler) {
    this.#scheduler = scheduler;
  }

  get flags(): ReadonlySet<string> {
    return this.#flags.value;
  }

  get flags$(): Observable<ReadonlySet<string>> {
    return this.#flags.asObservable();
  }

  /** When each flag was last set, in the scheduler's time. */
  get lastTransition(): ReadonlyMap<string, number> {
    return this.#lastTransition;
  }

  setFlag(flag: string): void {
    this.#lastTransition.set(flag, this.#scheduler.now());
    if (this.#flags.value.has(flag)) return;
    this.#flags.next(new Set(this.#flags.value).add(flag));
  }

  unsetFlag(flag: string): void {
    if (!this.#flags.value.has(flag)) return;
    const next = new Set(this.#flags.value);
    next.delete(flag);
    this.#flags.next(next);
  }
}
