import { isObservable } from 'rxjs';
import { BaseSignal, type SignalEvent } from './base-signal.js';
import type { AnyReceiver, Connection } from './connection.js';
import { type AsyncResult, describeAsyncResult, ignoreRejection, isAsyncResult, receiverFailure } from './receiver-result.js';

/** A receiver of a {@link SyncSignal}: synchronous, its return value is ignored. */
export type SyncReceiver<T = void, S = unknown, Sig = SyncSignal<T, S>> = (sender: S, payload: T, signal: Sig) => void;

/**
 * A synchronous signal (mode's `SyncSignal`): like {@link Signal}, but `send()` calls
 * every receiver before it returns, and receivers must be synchronous. A receiver that
 * returns a Promise or an Observable counts as failed, with a TypeError naming the
 * signal (nothing awaits it; an Observable is not subscribed; a Promise's rejection is
 * handled, so it never surfaces as an unhandled rejection).
 *
 * A failing receiver does not stop the others: `send` throws after all of them ran, with
 * that error or an `AggregateError` holding each. Cheap enough for hot paths: no
 * allocation per send while nothing fails and nothing subscribes to the Observable view.
 *
 * @example
 * const moved = new SyncSignal<{ x: number; y: number }, Cursor>({ name: 'moved', owner: cursor, defaultSender: cursor });
 * moved.connect((sender, { x, y }) => draw(x, y));
 * moved.send({ x: 1, y: 2 });
 */
export class SyncSignal<T = void, S = unknown> extends BaseSignal<T, S, void> {
  /**
   * Calls the receivers for `sender` one after another, synchronously.
   *
   * @example
   * signal.send(sender, payload);
   * signal.send(payload); // from the defaultSender
   */
  send(sender: S, payload: T): void;
  send(payload: T): void;
  send(first?: unknown, second?: unknown): void {
    const explicit = arguments.length >= 2; // send(sender, payload), else send(payload)
    const sender: unknown = explicit ? (first ?? this.defaultSender) : this.defaultSender;
    const payload: unknown = explicit ? second : first;
    if (sender === undefined || sender === null) throw this.missingSender(arguments.length, first);
    if (this.events.observed) this.events.next({ sender, payload } as SignalEvent<T, S>);

    const store = this.store;
    let errors = this.callAll(store.unfiltered.items, sender, payload, undefined);
    if (store.bySender.size !== 0) {
      const own = store.bySender.get(sender);
      if (own !== undefined) errors = this.callAll(own.items, sender, payload, errors);
    }
    if (store.sawDead) store.prune();
    if (errors !== undefined) throw receiverFailure(this.label, errors);
  }

  private callAll(
    list: readonly Connection[],
    sender: unknown,
    payload: unknown,
    errors: unknown[] | undefined,
  ): unknown[] | undefined {
    // The same few lines stand in Signal.send and Delivery.run: a shared helper returning
    // a sentinel made every send about 30 % slower (W2), and this is the hot path.
    // Lists only grow during a send: up to the length now, receivers connected meanwhile are left out.
    for (let i = 0, end = list.length; i < end; i++) {
      const c = list[i]!;
      if (!c.live) continue;
      const fn = c.receiver();
      if (fn === undefined) {
        this.store.sawDead = true;
        continue;
      }
      let result: unknown;
      try {
        result = fn(sender, payload, this);
      } catch (error) {
        (errors ??= []).push(error);
        continue;
      }
      if (isAsyncResult(result)) (errors ??= []).push(this.notSynchronous(fn, result));
    }
    return errors;
  }

  private notSynchronous(fn: AnyReceiver, result: AsyncResult): TypeError {
    // Nothing awaits it: its rejection, left unhandled, would end a Node process. The
    // TypeError thrown from send() is the report.
    if (!isObservable(result)) ignoreRejection(result);
    return new TypeError(
      `${this.describeSelf()}: receiver ${fn.name || '(anonymous)'} returned ${describeAsyncResult(result)}; ` +
        'a SyncSignal calls its receivers synchronously and awaits nothing (use Signal for async receivers)',
    );
  }
}
