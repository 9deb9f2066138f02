/** Any receiver function, as the connection store sees it. */
export type AnyReceiver = (sender: any, payload: any, signal: any) => unknown;

/**
 * One receiver connected to one signal, for every sender (`filtered` false) or for one.
 *
 * A class, not object literals, so that every connection has the same shape and the
 * send loop stays monomorphic. A weak connection keeps only `ref`, so the connection
 * (and the disconnect function that closes over it) never keeps its receiver alive.
 */
export class Connection {
  /** False once disconnected: a send already iterating the list skips it. */
  live = true;

  constructor(
    readonly fn: AnyReceiver | undefined,
    readonly ref: WeakRef<AnyReceiver> | undefined,
    readonly filtered: boolean,
    readonly sender: unknown,
  ) {}

  static strong(fn: AnyReceiver, filtered: boolean, sender: unknown): Connection {
    return new Connection(fn, undefined, filtered, sender);
  }

  static weak(fn: AnyReceiver, filtered: boolean, sender: unknown): Connection {
    // Looked up at call time, not captured at import, so specs can stand in for WeakRef.
    return new Connection(undefined, new WeakRef(fn), filtered, sender);
  }

  /** The receiver, or undefined once a weak one has been collected. */
  receiver(): AnyReceiver | undefined {
    return this.fn !== undefined ? this.fn : this.ref!.deref();
  }

  /** A new, live connection to the same receiver (for clones). */
  copy(): Connection {
    return new Connection(this.fn, this.ref, this.filtered, this.sender);
  }
}

/**
 * The connections of one signal with one sender filter, in connection order, with an
 * index from receiver to its live connection (the duplicate rule), so that connect and
 * disconnect cost O(1) amortised: 40,000 receivers connected one by one took 25 s when
 * every connect copied the list and scanned it.
 *
 * `items` is append-only until it is compacted, and compacting makes a new array: a send
 * reads the array it found, up to the length it had when the send began, so receivers
 * connected during a send are not called by it and nothing shifts under it. A
 * disconnected connection stays in `items` (not `live`) until more than half are so.
 */
export class ConnectionList {
  items: Connection[] = [];
  /** Connections in `items` that are no longer live. */
  dead = 0;
  /** The live connection of each receiver. Weak keys: a weak receiver stays collectable. */
  readonly index = new WeakMap<AnyReceiver, Connection>();

  get size(): number {
    return this.items.length - this.dead;
  }

  add(c: Connection, fn: AnyReceiver): void {
    this.items.push(c);
    this.index.set(fn, c);
  }

  /** Marks `c` (live, in this list) as gone; compacts once more than half are gone. */
  remove(c: Connection): void {
    c.live = false;
    const fn = c.receiver();
    if (fn !== undefined && this.index.get(fn) === c) this.index.delete(fn);
    this.dead += 1;
    if (this.dead * 2 > this.items.length) this.keepLive();
  }

  /** Keeps the live connections whose receiver is still there, in a new array. */
  keepLive(): void {
    const kept: Connection[] = [];
    for (const c of this.items) {
      if (c.live && c.receiver() === undefined) c.live = false; // a collected weak receiver
      if (c.live) kept.push(c);
    }
    this.items = kept;
    this.dead = 0;
  }
}

/**
 * The connections of one signal: those for every sender, then one list per sender
 * (keyed by identity, i.e. SameValueZero). Sends only read.
 */
export class ConnectionStore {
  readonly unfiltered = new ConnectionList();
  readonly bySender = new Map<unknown, ConnectionList>();
  /** Set when a send met a collected weak receiver; the next {@link prune} drops it. */
  sawDead = false;

  /** The live connection of `fn` with this filter, if any. */
  find(fn: AnyReceiver, filtered: boolean, sender: unknown): Connection | undefined {
    const list = filtered ? this.bySender.get(sender) : this.unfiltered;
    const c = list?.index.get(fn);
    return c !== undefined && c.live ? c : undefined;
  }

  /** Adds `c`, the connection of `fn`, after the others of its filter. */
  add(c: Connection, fn: AnyReceiver): void {
    let list = this.unfiltered;
    if (c.filtered) {
      let own = this.bySender.get(c.sender);
      if (own === undefined) this.bySender.set(c.sender, (own = new ConnectionList()));
      list = own;
    }
    list.add(c, fn);
  }

  remove(c: Connection): void {
    if (!c.live) return;
    if (!c.filtered) {
      this.unfiltered.remove(c);
      return;
    }
    const list = this.bySender.get(c.sender)!;
    list.remove(c);
    if (list.size === 0) this.bySender.delete(c.sender);
  }

  /** Drops the connections whose weak receiver has been collected. */
  prune(): void {
    this.sawDead = false;
    this.unfiltered.keepLive();
    for (const [sender, list] of this.bySender) {
      list.keepLive();
      if (list.size === 0) this.bySender.delete(sender);
    }
  }

  /** Every live connection, each copied, for a clone. */
  copyInto(target: ConnectionStore): void {
    const copy = (from: ConnectionList, to: ConnectionList): void => {
      for (const c of from.items) {
        const fn = c.live ? c.receiver() : undefined;
        if (fn !== undefined) to.add(c.copy(), fn);
      }
    };
    copy(this.unfiltered, target.unfiltered);
    for (const [sender, list] of this.bySender) {
      const copied = new ConnectionList();
      copy(list, copied);
      if (copied.size > 0) target.bySender.set(sender, copied);
    }
  }
}
