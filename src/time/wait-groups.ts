import { type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { outsideWork } from '../service/work-scope.js';
import { MAX_TIMEOUT_MS } from './wake-at.js';

/**
 * The moment waits count their times from: when this module loaded, on the clock of
 * `asyncScheduler`. Times since it are small integers for the first 12 days of a process,
 * which V8 keeps in an object's field itself, where a time such as `Date.now()` (a
 * double) is a separate box: one more cache line for each tick to load (W3, where a tick's
 * cost is mostly its loads, the caches being cold 100 ms after the last one). Readings of
 * another clock (virtual time) merely give other numbers.
 */
export const CLOCK_ORIGIN: number = /* @__PURE__ */ Date.now();

/**
 * `ms` itself, made a small integer when it is one: the result of arithmetic on doubles
 * stays a double to V8 even when its value is whole, and a double stored in a field makes
 * that field a box in every object of the class.
 *
 * @example
 * compact(Date.now() - CLOCK_ORIGIN); // 1234, stored unboxed
 */
export function compact(ms: number): number {
  const whole = ms | 0;
  return whole === ms ? whole : ms;
}

/**
 * A wait that may share its wake-up with others due at the same moment: a Timer's tick
 * loop, or a service's `sleep()`. The group it waits in wakes it with {@link wake}.
 */
export interface GroupWaiter {
  /** The group it waits in; undefined once woken or gone. */
  group: WaitGroup | undefined;
  /** Called once the group's wake-up came (it may be early: the waiter checks the time). */
  wake(): void;
}

/**
 * The waits of one scheduler due at the same moment, woken by one scheduled action. A
 * waiter leaves it when cancelled; the last one to leave cancels the action.
 */
export class WaitGroup {
  /**
   * Its waiters, in the order they joined, at 0 to `size - 1`; past that, empty slots of
   * an array another group used before (see `WaitGroups.#spare`).
   */
  readonly waiters: (GroupWaiter | undefined)[];
  /** How many joined. */
  size = 0;
  /** Waiters still waiting on it. */
  waiting = 0;
  /** The scheduled wake-up; undefined once it has fired (its action is then free). */
  action: Subscription | undefined = undefined;

  constructor(
    readonly groups: WaitGroups,
    readonly due: number,
    waiters: (GroupWaiter | undefined)[],
  ) {
    this.waiters = waiters;
  }

  /**
   * Takes `waiter` out (it waits here); the last one out cancels the wake-up. A method, so
   * that the core, which calls it as `waiter.group?.leave(waiter)`, imports nothing of
   * the groups: a browser bundle, where none are made, leaves them out.
   */
  leave(waiter: GroupWaiter): void {
    waiter.group = undefined;
    if (--this.waiting > 0) return;
    const action = this.action;
    if (!action) return; // fired already: its waiters are being woken
    this.groups.remove(this);
    action.unsubscribe();
  }
}

/** The work of a group's action: wakes the group (an action of a Timer's may carry loops too). */
export type GroupWork = (this: SchedulerAction<never>, state?: never) => void;

/**
 * The groups of one scheduler still to fire, by the moment they are due. Node keeps one
 * native timer for all its timers of one duration; these do the same for the waits of
 * rxmode, whose delays differ (each aims at a moment, not a duration): a thousand timers
 * or sleeps due in the same millisecond wait on one `scheduler.schedule`.
 */
export class WaitGroups {
  readonly #byDue = new Map<number, WaitGroup>();
  /**
   * Arrays of groups that fired, emptied, for the next groups to fill: a group of W3's
   * 1,000 timers grew its array by `push` nine times a round, copying it each time (2 %
   * of the samples in GrowFastSmiOrObjectElements, and its garbage). Groups that were
   * cancelled leave theirs to the collector. At most `MAX_SPARE` are kept.
   */
  readonly #spare: (GroupWaiter | undefined)[][] = [];

  /**
   * Makes `waiter` wait in the group due at `due` (`delay` from now; `due` counted from
   * {@link CLOCK_ORIGIN}, as every waiter of these groups counts it), made if need be:
   * its wake-up is `action` rescheduled when one is given (a Timer's free action), else a
   * new `scheduler.schedule(work)`. Returns whether `action` was used.
   */
  join(
    waiter: GroupWaiter,
    scheduler: SchedulerLike,
    due: number,
    delay: number,
    work: GroupWork = wakeGroupWork,
    action?: SchedulerAction<WaitGroup>,
  ): boolean {
    let group = this.#byDue.get(due);
    let used = false;
    if (!group) {
      group = new WaitGroup(this, due, this.#spare.pop() ?? []);
      this.#byDue.set(due, group);
      used = action !== undefined;
      group.action = action ? action.schedule(group, delay) : scheduler.schedule(work as never, delay, group);
    }
    group.waiters[group.size++] = waiter;
    group.waiting += 1;
    waiter.group = group;
    return used;
  }

  /**
   * Makes `waiter` wait until `at` on `scheduler`'s clock in the group due then, when a
   * group can hold the wait: `delay` (from now) above 0 and within one native timer.
   * Returns false for any other, which the caller waits for on its own (`wakeAt`).
   */
  wait(waiter: GroupWaiter, scheduler: SchedulerLike, at: number, delay: number = at - scheduler.now()): boolean {
    if (!(delay > 0 && delay <= MAX_TIMEOUT_MS)) return false;
    this.join(waiter, scheduler, compact(at - CLOCK_ORIGIN), delay);
    return true;
  }

  /** Forgets a group that fired or was cancelled. */
  remove(group: WaitGroup): void {
    group.action = undefined;
    if (this.#byDue.get(group.due) === group) this.#byDue.delete(group.due);
  }

  /** Takes back the array of a group that fired and woke all its waiters, emptied. */
  recycle(group: WaitGroup): void {
    const waiters = group.waiters;
    // Emptied, so that no stopped waiter (and what it holds) stays reachable through it.
    waiters.fill(undefined, 0, group.size);
    group.size = 0;
    if (this.#spare.length < MAX_SPARE) this.#spare.push(waiters);
  }
}

/** How many emptied arrays a scheduler's groups keep for reuse. */
const MAX_SPARE = 8;

/**
 * The schedulers whose waits due together are shared. None in a browser, where each wait
 * is its own `scheduler.schedule` as with RxJS's own timers: the groups serve programs
 * with thousands of waits, and cost a bundle of `import { Service }` 0.4 KB gzipped.
 * Node's entry points share `asyncScheduler`'s (`share-async-waits.ts`).
 */
const groupsOf = new WeakMap<SchedulerLike, WaitGroups>();

/** The groups of `scheduler`, if its waits are shared. */
export function groupsOn(scheduler: SchedulerLike): WaitGroups | undefined {
  return groupsOf.get(scheduler);
}

/**
 * @internal Makes the waits made from now on `scheduler` (Timers' and sleeps') share one
 * wake-up when due at the same moment: on `asyncScheduler` in Node (see
 * `share-async-waits.ts`), and in specs of that sharing in virtual time. Returns what
 * undoes it (nothing if the scheduler's waits were shared already), for specs that share
 * `asyncScheduler`'s in a browser, where the rest of the run keeps them apart.
 */
export function groupTimerWaitsOn(scheduler: SchedulerLike): () => void {
  if (groupsOf.has(scheduler)) return () => undefined;
  groupsOf.set(scheduler, new WaitGroups());
  return () => void groupsOf.delete(scheduler);
}

/** Fires a group: each waiter still in it is woken, in the order it joined. */
export function wakeGroup(group: WaitGroup): void {
  group.groups.remove(group);
  const waiters = group.waiters;
  // Waiters joining while it wakes join other groups (this one left the map above).
  const size = group.size;
  for (let i = 0; i < size; i++) {
    const waiter = waiters[i]!;
    if (waiter.group !== group) continue; // left (stopped) since it joined
    waiter.group = undefined;
    group.waiting -= 1;
    waiter.wake();
  }
  group.groups.recycle(group);
}

/**
 * The work of a group's action made by a waiter other than a Timer's (a sleep, an
 * itertimer): wakes the group as nobody's work, as the Timer's own work does. Where tasks
 * are followed across awaits, the native timer behind the action keeps the async context
 * it was made in (the sleeping task's), and a Timer's tick that joined the group must not
 * pass for that task's work, nor must what its method's Promise does next.
 */
export function wakeGroupWork(this: SchedulerAction<WaitGroup>, group?: WaitGroup): void {
  outsideWork(() => wakeGroup(group!));
}
