import { Subscription } from 'rxjs';
import { type TickSink, type Timer, TickLoop, beginTickLoop, endTickLoop } from './timer.js';
import { CLOCK_ORIGIN, compact } from './wait-groups.js';

/**
 * @internal Runs `body` on every tick of `timer` as `timer.run(body)` does, without an
 * Observable or a subscriber: what the bodies emit is dropped, and the first failure goes
 * to `fail` and ends the loop. Unsubscribe the result to end it. For `@timer`, whose
 * service ignores the values: W3 measured the subscriber's chain (SafeSubscriber, its
 * observer and the observer's object) among the objects each tick touches, which is what
 * a tick costs on a machine whose caches went cold in the 100 ms between ticks. (A file
 * of its own: a bundle of `Service` carries the Timer for `itertimer`, not this.)
 *
 * @example
 * const loop = driveTimer(new Timer('1s'), () => poll(), (error) => crash(error));
 * loop.unsubscribe(); // stops it
 */
export function driveTimer(timer: Timer, body: (tick: number) => unknown, fail: (error: unknown) => void): Subscription {
  const loop = new DrivenLoop(timer, body, compact(timer.scheduler.now() - CLOCK_ORIGIN), fail);
  beginTickLoop(loop);
  return new Subscription(() => loop.close());
}

/** A tick loop that is its own sink: values are dropped, the first failure goes to `fail`. */
class DrivenLoop extends TickLoop implements TickSink {
  constructor(
    timer: Timer,
    body: (tick: number) => unknown,
    epoch: number,
    readonly fail: (error: unknown) => void,
  ) {
    super(timer, undefined, body, epoch);
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
