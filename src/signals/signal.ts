import { Observable } from 'rxjs';
import { BaseSignal, type SignalEvent } from './base-signal.js';
import { Delivery } from './delivery.js';
import { isAsyncResult, receiverFailure } from './receiver-result.js';

/**
 * A receiver of a {@link Signal}: called with the sender, the payload and the signal.
 * It may return a Promise (the next receiver waits for it to settle) or an Observable
 * (the next receiver waits for it to complete).
 */
export type Receiver<T = void, S = unknown, Sig = Signal<T, S>> = (
  sender: S,
  payload: T,
  signal: Sig,
) => void | PromiseLike<unknown> | Observable<unknown>;

// One settled Promise for every send that finished without waiting: no allocation.
const DONE: Promise<void> = Promise.resolve();

/**
 * An asynchronous signal (mode's `Signal`): an Observable of every send, and a list of
 * receivers called one after another on each send, each awaited before the next.
 *
 * - Receivers connected for every sender run first, in the order they were connected,
 *   then those connected for this sender (`connect(fn, { sender })`), in that order.
 * - A receiver that throws or rejects does not stop the others: the send rejects after
 *   all of them ran, with that error or an `AggregateError` holding each.
 * - `send(sender, payload)` sends from `sender`; `send(payload)` (one argument) sends
 *   from the `defaultSender`, and is a TypeError without one.
 * - Synchronous receivers are called synchronously, inside `send()`; a receiver whose
 *   Observable completes in virtual time hands over to the next at that virtual time.
 *
 * @example
 * class Webserver extends Service {
 *   readonly connected = new Signal<string, Webserver>({ name: 'connected', owner: this, defaultSender: this });
 * }
 * const web = new Webserver();
 * web.connected.connect(async (server, url) => { await audit(url); });
 * web.connected.subscribe(({ payload }) => console.log('connected', payload));
 * await web.connected.send('ws://localhost:8080'); // label: Webserver.connected
 */
export class Signal<T = void, S = unknown> extends BaseSignal<
  T,
  S,
  void | PromiseLike<unknown> | Observable<unknown>
> {
  /**
   * Calls the receivers for `sender` one after another; resolves once all are done.
   *
   * @example
   * await signal.send(sender, payload);
   * await signal.send(payload); // from the defaultSender
   */
  send(sender: S, payload: T): Promise<void>;
  send(payload: T): Promise<void>;
  send(first?: unknown, second?: unknown): Promise<void> {
    const explicit = arguments.length >= 2; // send(sender, payload), else send(payload)
    const sender: unknown = explicit ? (first ?? this.defaultSender) : this.defaultSender;
    const payload: unknown = explicit ? second : first;
    if (sender === undefined || sender === null) {
      return Promise.reject(this.missingSender(arguments.length, first));
    }
    if (this.events.observed) this.events.next({ sender, payload } as SignalEvent<T, S>);

    const store = this.store;
    // Lists only grow during a send: reading each up to its length now leaves out
    // receivers connected meanwhile.
    let list = store.unfiltered.items;
    let end = list.length;
    let own = store.bySender.size === 0 ? undefined : store.bySender.get(sender)?.items;
    const ownEnd = own === undefined ? 0 : own.length;
    let errors: unknown[] | undefined;
    for (;;) {
      for (let i = 0; i < end; i++) {
        const c = list[i]!;
        if (!c.live) continue;
        const fn = c.receiver();
        if (fn === undefined) {
          store.sawDead = true;
          continue;
        }
        let result: unknown;
        try {
          result = fn(sender, payload, this);
        } catch (error) {
          (errors ??= []).push(error);
          continue;
        }
        if (isAsyncResult(result)) {
          const rest = own === undefined ? list.slice(i + 1, end) : list.slice(i + 1, end).concat(own.slice(0, ownEnd));
          return new Promise<void>((resolve, reject) => {
            const label = this.label;
            const finish = (failed: unknown[] | undefined) =>
              failed === undefined ? resolve() : reject(receiverFailure(label, failed));
            new Delivery(store, this, rest, sender, payload, errors, finish).continueAfter(result);
          });
        }
      }
      if (own === undefined) break;
      list = own;
      end = ownEnd;
      own = undefined;
    }
    if (store.sawDead) store.prune();
    return errors === undefined ? DONE : Promise.reject(receiverFailure(this.label, errors));
  }

  /**
   * The same send as an Observable: nothing happens until it is subscribed; it completes
   * once every receiver is done (or errors as `send` rejects). Unsubscribing early calls
   * no further receiver and unsubscribes the Observable of the one in progress.
   * Lifecycles built from Observables use it to stay inside virtual time.
   *
   * @example
   * concat(signal.send$(this, 'starting'), start$).subscribe();
   */
  send$(sender: S, payload: T): Observable<void>;
  send$(payload: T): Observable<void>;
  send$(first?: unknown, second?: unknown): Observable<void> {
    const count = arguments.length;
    return new Observable<void>((subscriber) => {
      const sender = count >= 2 ? (first ?? this.defaultSender) : this.defaultSender;
      const payload = count >= 2 ? second : first;
      if (sender === undefined || sender === null) {
        subscriber.error(this.missingSender(count, first));
        return undefined;
      }
      if (this.events.observed) this.events.next({ sender, payload } as SignalEvent<T, S>);
      const store = this.store;
      const own = store.bySender.get(sender)?.items;
      const all = own === undefined ? store.unfiltered.items : store.unfiltered.items.concat(own);
      const label = this.label;
      const delivery = new Delivery(store, this, all, sender, payload, undefined, (failed) =>
        failed === undefined ? subscriber.complete() : subscriber.error(receiverFailure(label, failed)),
      );
      // Added before the run, so that a receiver that unsubscribes stops the ones after it.
      subscriber.add(() => delivery.cancel());
      delivery.run();
      return undefined;
    });
  }
}
