import { Subscription } from 'rxjs';
import { type TickSink, type Timer, TickLoop, beginTickLoop, endTickLoop } from './timer.js';
import { CLOCK_ORIGIN, type WaitGroups, compact, groupsOn } from './wait-groups.js';

/**
 * @internal Runs `body` on every tick of `timer` as `timer.run(body)` does, without an
 * Observable or a subscriber: what the bodies emit is dropped, and the first failure goes
 * to `fail` and ends the loop. Unsubscribe the result to end it. For `@timer`, whose
 * service ignores the values: W3 measured the subscriber's chain (SafeSubscriber, its
 * observer and the observer's object) among the objects each tick touches, which is what
 * a tick costs on a machine whose caches went cold in the 100 ms between ticks. (A file
 * of its own, kept out of what the Timer reaches, for bundles that use a Timer without
 * `@timer`.)
 *
 * @example
 * const loop = driveTimer(new Timer('1s'), () => poll(), (error) => crash(error));
 * loop.unsubscribe(); // stops it
 */
export function driveTimer(timer: Timer, body: (tick: number) => unknown, fail: (error: unknown) => void): Subscription {
  const loop = new DrivenLoop(timer, body, fail);
  const since = compact(timer.scheduler.now() - CLOCK_ORIGIN);
  const groups = groupsOn(timer.scheduler);
  beginTickLoop(loop, since, groups ? sharedEpoch(groups, since, timer.interval) : since);
  return new Subscription(() => loop.close());
}

/** How much sooner than one interval after its start a driven loop's ticks may come, sharing an epoch (ms). */
const EPOCH_SLACK_MS = 10;
/** The epoch that driven loops starting in this run of code share, and the groups it is of; NaN when none. */
let shared = Number.NaN;
let sharedIn: WaitGroups | undefined;

/**
 * @internal The epoch of a driven loop of `interval` ms that starts at `now` (both since
 * CLOCK_ORIGIN) on the scheduler of `groups`. The loops started in one synchronous run of
 * code (a service's start, or a tree's) within `EPOCH_SLACK_MS` of the first of them, and
 * within a tenth of their interval, take the first one's epoch: they stay due together
 * and share their waits, as Node's own timers do by counting from the event loop's cached
 * time (a whole turn's timers start at one instant there). Their ticks come up to that
 * much sooner than one interval after their own start. Only on the wall clock: where the
 * scheduler's clock is virtual (a TestScheduler's, inside `run()`), time stands still while
 * code runs, and each loop keeps its exact epoch.
 *
 * Only driven loops (`@timer`), which start by the hundred with their services, not every
 * Timer: the 80 bytes gzipped it takes stay out of a bundle that uses a Timer without
 * `@timer` (see scripts/size.mjs).
 *
 * W3: 1,000 `@timer`s started over 7 ms (Node 20) to 15 ms (Node 24, where each start
 * makes an AsyncResource) woke the process 7 to 15 times a round, each wake-up a native
 * timer's trip through the kernel and Node's timer lists. Sharing the epoch, once a
 * round. CPU per tick against RxJS `interval`'s, in slices alternating in one process:
 * Node 20 0.93× to 0.94× before, 0.59× to 0.65× after (the bench); Node 24 0.95× before,
 * 0.85× to 0.88× after (12 rounds in a harness; the bench's 6 gave 0.81× to 1.02×). A 5 ms
 * slack left Node 24's start in two epochs and at 0.95× to 1.06× (docs/performance.md).
 *
 * @example
 * sharedEpoch(groups, 1_000, 100); // 1000: the first of this run of code
 * sharedEpoch(groups, 1_008, 100); // 1000: 8 ms later, the same
 */
export function sharedEpoch(groups: WaitGroups, now: number, interval: number): number {
  if (sharedIn === groups && now >= shared && now - shared <= Math.min(EPOCH_SLACK_MS, interval / 10)) return shared;
  // A clock more than a second off the wall clock is not the wall clock.
  if (Math.abs(now - (Date.now() - CLOCK_ORIGIN)) > 1_000) return now;
  if (Number.isNaN(shared)) queueMicrotask(endSharedEpoch);
  shared = now;
  sharedIn = groups;
  return now;
}

function endSharedEpoch(): void {
  shared = Number.NaN;
  sharedIn = undefined;
}

/** A tick loop that is its own sink: values are dropped, the first failure goes to `fail`. */
class DrivenLoop extends TickLoop implements TickSink {
  constructor(
    timer: Timer,
    body: (tick: number) => unknown,
    readonly fail: (error: unknown) => void,
  ) {
    super(timer, undefined, body);
  }

  next(): void {}

  error(error: unknown): void {
    if (this.closed) return;
    this.close();
    this.fail(error);
  }

  /** Ends the loop: no more ticks, no wait left. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    endTickLoop(this);
  }
}
