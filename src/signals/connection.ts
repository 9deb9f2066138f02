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
  /** False once disconnected: a send already iterating an older list skips it. */
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

/** Lists are never mutated, only replaced, so a send in progress keeps its own snapshot. */
export const NO_CONNECTIONS: readonly Connection[] = Object.freeze([]);

/**
 * The connections of one signal: those for every sender, then one list per sender
 * (keyed by identity, i.e. SameValueZero). Copy-on-write: connect and disconnect build
 * new arrays, sends only read.
 */
export class ConnectionStore {
  unfiltered: readonly Connection[] = NO_CONNECTIONS;
  readonly bySender = new Map<unknown, readonly Connection[]>();
  /** Set when a send met a collected weak receiver; the next {@link prune} drops it. */
  sawDead = false;

  /** The list a connection with this filter belongs to. */
  listFor(filtered: boolean, sender: unknown): readonly Connection[] {
    return filtered ? (this.bySender.get(sender) ?? NO_CONNECTIONS) : this.unfiltered;
  }

  /** The live connection of `fn` with this filter, if any. */
  find(fn: AnyReceiver, filtered: boolean, sender: unknown): Connection | undefined {
    for (const c of this.listFor(filtered, sender)) {
      if (c.live && c.receiver() === fn) return c;
    }
    return undefined;
  }

  add(c: Connection): void {
    const list = [...this.listFor(c.filtered, c.sender), c];
    if (c.filtered) this.bySender.set(c.sender, list);
    else this.unfiltered = list;
  }

  remove(c: Connection): void {
    if (!c.live) return;
    c.live = false;
    const list = this.listFor(c.filtered, c.sender).filter((other) => other !== c);
    if (!c.filtered) this.unfiltered = list;
    else if (list.length === 0) this.bySender.delete(c.sender);
    else this.bySender.set(c.sender, list);
  }

  /** Drops the connections whose weak receiver has been collected. */
  prune(): void {
    this.sawDead = false;
    const keep = (c: Connection): boolean => {
      if (c.live && c.receiver() === undefined) c.live = false;
      return c.live;
    };
    this.unfiltered = this.unfiltered.filter(keep);
    for (const [sender, list] of this.bySender) {
      const kept = list.filter(keep);
      if (kept.length === 0) this.bySender.delete(sender);
      else if (kept.length !== list.length) this.bySender.set(sender, kept);
    }
  }

  /** Every live connection, each copied, for a clone. */
  copyInto(target: ConnectionStore): void {
    const copies = (list: readonly Connection[]) =>
      list.filter((c) => c.live && c.receiver() !== undefined).map((c) => c.copy());
    target.unfiltered = copies(this.unfiltered);
    for (const [sender, list] of this.bySender) {
      const copied = copies(list);
      if (copied.length > 0) target.bySender.set(sender, copied);
    }
  }
}
