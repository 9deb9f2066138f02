import { isObservable, type Subscription } from 'rxjs';
import type { Connection, ConnectionStore } from './connection.js';
import { type AsyncResult, isAsyncResult } from './receiver-result.js';

/**
 * The part of an async send that has to wait: calls the remaining receivers one after
 * another, waiting for each Promise to settle and each Observable to complete, then
 * reports the errors it collected (undefined when none).
 *
 * The next receiver is called synchronously from the previous one's completion, so a
 * receiver returning an Observable that completes in virtual time hands over to the next
 * one at that virtual moment (Promises still hand over in a microtask, as they must).
 * Results that are already done when subscribed are looped over, not recursed into, so a
 * long run of them does not grow the stack.
 */
export class Delivery {
  private index = 0;
  /** `rest` may be a list that grows meanwhile: only what it held at the send counts. */
  private readonly end: number;
  private closed = false;
  private inner: Subscription | undefined;

  constructor(
    private readonly store: ConnectionStore,
    private readonly signal: object,
    private readonly rest: readonly Connection[],
    private readonly sender: unknown,
    private readonly payload: unknown,
    private errors: unknown[] | undefined,
    private readonly done: (errors: unknown[] | undefined) => void,
  ) {
    this.end = rest.length;
  }

  /** Waits for `result` (what the receiver before `rest` returned), then goes on. */
  continueAfter(result: AsyncResult): void {
    if (this.wait(result)) this.run();
  }

  /** Calls the receivers in `rest` from where it stands. */
  run(): void {
    const { rest, store, end } = this;
    while (this.index < end) {
      if (this.closed) return;
      const c = rest[this.index++]!;
      if (!c.live) continue;
      const fn = c.receiver();
      if (fn === undefined) {
        store.sawDead = true;
        continue;
      }
      let result: unknown;
      try {
        result = fn(this.sender, this.payload, this.signal);
      } catch (error) {
        (this.errors ??= []).push(error);
        continue;
      }
      if (isAsyncResult(result) && !this.wait(result)) return;
    }
    if (this.closed) return;
    this.closed = true;
    if (store.sawDead) store.prune();
    this.done(this.errors);
  }

  /**
   * Stops: no further receiver is called, the Observable being waited for is
   * unsubscribed, and `done` is never called.
   */
  cancel(): void {
    this.closed = true;
    const inner = this.inner;
    this.inner = undefined;
    inner?.unsubscribe();
  }

  /** Subscribes to / awaits `result`; true if it was already done when this returns. */
  private wait(result: AsyncResult): boolean {
    let settled = false;
    let waiting = false;
    const settle = (failed: boolean, error?: unknown): void => {
      if (settled) return;
      settled = true;
      this.inner = undefined;
      if (failed) (this.errors ??= []).push(error);
      if (waiting) this.run();
    };
    try {
      if (isObservable(result)) {
        const subscription = result.subscribe({
          error: (error: unknown) => settle(true, error),
          complete: () => settle(false),
        });
        if (!settled) this.inner = subscription;
      } else {
        result.then(
          () => settle(false),
          (error: unknown) => settle(true, error),
        );
      }
    } catch (error) {
      settle(true, error);
    }
    waiting = !settled;
    return settled;
  }
}
