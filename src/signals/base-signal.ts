import { Observable, Subject } from 'rxjs';
import { describeValue } from '../service/describe-value.js';
import { type AnyReceiver, Connection, ConnectionStore } from './connection.js';

/** Options of a new signal (and the overrides of {@link BaseSignal.clone}). */
export interface SignalOptions<S = unknown> {
  /** The signal's name, e.g. the field it is stored in; the label is `Owner.name`. */
  name?: string;
  /** The object (usually the service) that declares the signal; names the label. */
  owner?: object;
  /** The sender of `send(payload)`, the one-argument form. */
  defaultSender?: S;
}

/** Options of {@link BaseSignal.connect} and {@link BaseSignal.disconnect}. */
export interface ConnectOptions<S = unknown> {
  /** Hear only sends from this sender (compared by identity). */
  sender?: S;
  /** Hold the receiver through a `WeakRef`: the signal alone does not keep it alive. */
  weak?: boolean;
}

/** What a signal emits, as an Observable, for each send. */
export interface SignalEvent<T = void, S = unknown> {
  sender: S;
  payload: T;
}

/**
 * What {@link Signal} and {@link SyncSignal} share: the receivers and how they are
 * connected, the name and label, cloning, and the Observable of every send.
 *
 * `R` is what a receiver may return: anything awaitable for `Signal`, nothing for
 * `SyncSignal`.
 */
export abstract class BaseSignal<T, S, R> extends Observable<SignalEvent<T, S>> {
  readonly name: string;
  readonly owner?: object;
  readonly defaultSender?: S;

  /** @internal The connections; copy-on-write arrays, so a send only reads them. */
  protected readonly store = new ConnectionStore();
  /** Fed on each send, only while something subscribes (`observed`). */
  protected readonly events: Subject<SignalEvent<T, S>>;

  constructor(options: SignalOptions<S> = {}) {
    const events = new Subject<SignalEvent<T, S>>();
    super((subscriber) => events.subscribe(subscriber));
    this.events = events;
    const { name, owner, defaultSender } = options;
    if (name !== undefined && typeof name !== 'string') {
      throw new TypeError(`signal name must be a string, got ${describeValue(name)}`);
    }
    if (owner !== undefined && owner !== null && typeof owner !== 'object' && typeof owner !== 'function') {
      throw new TypeError(`signal owner must be an object, got ${describeValue(owner)}`);
    }
    this.name = name ?? '';
    if (owner !== undefined && owner !== null) this.owner = owner;
    if (defaultSender !== undefined && defaultSender !== null) this.defaultSender = defaultSender;
  }

  /**
   * `Owner.name` for a named signal with an owner; `name` without an owner; `Owner` for an
   * unnamed one with an owner; else the class name (`Signal`, `SyncSignal`).
   */
  get label(): string {
    const owner = this.owner;
    if (owner === undefined) return this.name || this.constructor.name;
    const ownerName =
      typeof owner === 'function' ? owner.name : ((owner.constructor as { name?: string } | undefined)?.name ?? 'Object');
    return this.name ? `${ownerName}.${this.name}` : ownerName;
  }

  /**
   * Connects `receiver`; returns the function that disconnects it. Receivers are called
   * as `receiver(sender, payload, signal)`. Connecting the same function again with the
   * same `sender` filter is the same connection (its first options stand).
   *
   * @example
   * const off = service.connected.connect((sender, url) => console.log(sender, url));
   * off(); // disconnected
   */
  connect(receiver: (sender: S, payload: T, signal: this) => R, options?: ConnectOptions<S>): () => void {
    if (typeof receiver !== 'function') {
      throw new TypeError(`${this.describeSelf()}: connect() needs a receiver function, got ${describeValue(receiver)}`);
    }
    const fn = receiver as AnyReceiver;
    const sender = options?.sender;
    const filtered = sender !== undefined && sender !== null;
    const store = this.store;
    let connection = store.find(fn, filtered, sender);
    if (connection === undefined) {
      connection = options?.weak ? Connection.weak(fn, filtered, sender) : Connection.strong(fn, filtered, sender);
      store.add(connection, fn);
    }
    const made = connection;
    return () => store.remove(made);
  }

  /**
   * Disconnects `receiver` from every sender, or from the one given as `options.sender`
   * (the same filter it was connected with). Unknown receivers are ignored.
   *
   * @example
   * signal.disconnect(onConnected);
   * signal.disconnect(onConnected, { sender: serviceA });
   */
  disconnect(receiver: (sender: S, payload: T, signal: this) => R, options?: { sender?: S }): void {
    if (typeof receiver !== 'function') return;
    const sender = options?.sender;
    const filtered = sender !== undefined && sender !== null;
    const connection = this.store.find(receiver as AnyReceiver, filtered, sender);
    if (connection !== undefined) this.store.remove(connection);
  }

  /**
   * The receivers a send from `sender` calls, in the order it calls them: those
   * connected for every sender, then those connected for `sender`. Without `sender`,
   * only the first group. Collected weak receivers are left out (and dropped).
   *
   * @example
   * signal.receivers(serviceA).length; // how many would hear serviceA
   */
  receivers(sender?: S): Array<(sender: S, payload: T, signal: this) => R> {
    const store = this.store;
    const found: AnyReceiver[] = [];
    collect(store, store.unfiltered.items, found);
    if (sender !== undefined && sender !== null) {
      const own = store.bySender.get(sender);
      if (own !== undefined) collect(store, own.items, found);
    }
    if (store.sawDead) store.prune();
    return found as Array<(sender: S, payload: T, signal: this) => R>;
  }

  /**
   * A new signal of the same class with the same options, `options` overriding them,
   * and a copy of the receivers (later connects on either one leave the other alone).
   *
   * @example
   * const renamed = signal.clone({ name: 'ready' });
   */
  clone(options: SignalOptions<S> = {}): this {
    const Class = this.constructor as new (options: SignalOptions<S>) => this;
    const copy = new Class({ name: this.name, owner: this.owner, defaultSender: this.defaultSender, ...options });
    this.store.copyInto(copy.store);
    return copy;
  }

  /**
   * A clone whose `send(payload)` sends from `sender`.
   *
   * @example
   * const mine = shared.withDefaultSender(this);
   * await mine.send('hello'); // sender is this
   */
  withDefaultSender(sender: S): this {
    if (sender === undefined || sender === null) {
      throw new TypeError(`${this.describeSelf()}: withDefaultSender() needs a sender, got ${String(sender)}`);
    }
    return this.clone({ defaultSender: sender });
  }

  override toString(): string {
    return `<${this.constructor.name}: ${this.label}>`;
  }

  /** The TypeError of a send that has no sender to send from. */
  protected missingSender(argumentCount: number, first: unknown): TypeError {
    const self = this.describeSelf();
    if (argumentCount >= 2) {
      return new TypeError(`${self}: send() got no sender (${String(first)}) and the signal has no defaultSender`);
    }
    return new TypeError(
      `${self}: send(payload) sends from the defaultSender, and this signal has none; ` +
        'call send(sender, payload) (send(sender, undefined) when there is no payload), ' +
        'or create the signal with { defaultSender }',
    );
  }

  /** `Signal Webserver.connected`, or just `Signal` when the label is the class name. */
  protected describeSelf(): string {
    const kind = this.constructor.name;
    const label = this.label;
    return label === kind ? kind : `${kind} ${label}`;
  }
}

function collect(store: ConnectionStore, list: readonly Connection[], into: AnyReceiver[]): void {
  for (const c of list) {
    if (!c.live) continue;
    const fn = c.receiver();
    if (fn === undefined) store.sawDead = true;
    else into.push(fn);
  }
}

