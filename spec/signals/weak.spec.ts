import { Signal } from '../../src/signals/signal.js';
import { SyncSignal } from '../../src/signals/sync-signal.js';

/**
 * Stands in for WeakRef so a spec can say when a target is "collected": deref() then
 * returns undefined, as a real WeakRef does after garbage collection. The signal code
 * is the real one; only the moment of collection is chosen by the spec.
 */
class FakeWeakRef<T extends object> {
  static made: FakeWeakRef<object>[] = [];
  static collected = new Set<object>();
  constructor(private readonly target: T) {
    FakeWeakRef.made.push(this);
  }
  deref(): T | undefined {
    return FakeWeakRef.collected.has(this.target) ? undefined : this.target;
  }
}

describe('weak receivers', () => {
  const sender = { id: 'sender' };
  let realWeakRef: WeakRefConstructor;

  beforeEach(() => {
    realWeakRef = globalThis.WeakRef;
    FakeWeakRef.made = [];
    FakeWeakRef.collected = new Set();
    (globalThis as { WeakRef: unknown }).WeakRef = FakeWeakRef;
  });

  afterEach(() => {
    globalThis.WeakRef = realWeakRef;
  });

  it('holds a weak receiver through a WeakRef, a strong one directly', () => {
    const signal = new SyncSignal<number, object>();
    const weak = jasmine.createSpy('weak');
    const strong = jasmine.createSpy('strong');
    signal.connect(weak, { weak: true });
    signal.connect(strong);
    expect(FakeWeakRef.made.length).toBe(1);
    expect(FakeWeakRef.made[0]!.deref()).toBe(weak);
    signal.send(sender, 1);
    expect(weak).toHaveBeenCalledOnceWith(sender, 1, signal);
    expect(strong).toHaveBeenCalledOnceWith(sender, 1, signal);
  });

  it('drops a collected receiver: not listed, not called, the others still called in order', () => {
    const signal = new SyncSignal<number, object>();
    const log: string[] = [];
    const first = () => void log.push('first');
    const gone = () => void log.push('gone');
    const filteredGone = () => void log.push('filteredGone');
    const last = () => void log.push('last');
    signal.connect(first);
    signal.connect(gone, { weak: true });
    signal.connect(last, { weak: true });
    signal.connect(filteredGone, { weak: true, sender });
    expect(signal.receivers(sender)).toEqual([first, gone, last, filteredGone]);

    FakeWeakRef.collected.add(gone);
    FakeWeakRef.collected.add(filteredGone);
    expect(signal.receivers(sender)).toEqual([first, last]);
    signal.send(sender, 1);
    expect(log).toEqual(['first', 'last']);

    // Dropped, not merely skipped: were the referents to come back, the connections stay gone.
    FakeWeakRef.collected.clear();
    expect(signal.receivers(sender)).toEqual([first, last]);
  });

  for (const Kind of [Signal, SyncSignal]) {
    it(`${Kind.name}.send skips and drops a receiver it finds collected`, async () => {
      const signal = new Kind<number, object>();
      const log: string[] = [];
      const gone = () => void log.push('gone');
      signal.connect(() => void log.push('first'));
      signal.connect(gone, { weak: true });
      signal.connect(() => void log.push('last'), { sender });
      FakeWeakRef.collected.add(gone);
      await signal.send(sender, 1);
      expect(log).toEqual(['first', 'last']);
      FakeWeakRef.collected.clear();
      expect(signal.receivers(sender)).not.toContain(gone);
    });
  }

  it('dropping a collected receiver keeps the other senders\' receivers', () => {
    const signal = new SyncSignal<number, object>();
    const other = { id: 'other' };
    const log: string[] = [];
    const gone = () => void log.push('gone');
    signal.connect(gone, { weak: true, sender });
    signal.connect(() => void log.push('mine'), { sender });
    signal.connect(() => void log.push('theirs'), { sender: other });
    FakeWeakRef.collected.add(gone);
    signal.send(sender, 1); // meets the collected receiver: the next look drops it
    expect(signal.receivers(other).length).toBe(1);
    signal.send(sender, 2);
    signal.send(other, 3);
    expect(log).toEqual(['mine', 'mine', 'theirs']);
  });

  it('drops a receiver collected while an async send waits, and skips it', async () => {
    const signal = new Signal<number, object>();
    const gone = jasmine.createSpy('gone');
    const after = jasmine.createSpy('after');
    let release!: () => void;
    signal.connect(() => new Promise<void>((resolve) => (release = resolve)));
    signal.connect(gone, { weak: true });
    signal.connect(after);
    const sent = signal.send(sender, 1);
    FakeWeakRef.collected.add(gone);
    release();
    await sent;
    expect(gone).not.toHaveBeenCalled();
    expect(after).toHaveBeenCalledTimes(1);
    FakeWeakRef.collected.clear();
    expect(signal.receivers()).not.toContain(gone);
  });

  it('disconnects a weak receiver like a strong one, and its disconnect function holds no receiver', () => {
    const signal = new SyncSignal<number, object>();
    const fn = jasmine.createSpy('weak');
    signal.connect(fn, { weak: true });
    signal.disconnect(fn);
    expect(signal.receivers()).toEqual([]);
    const off = signal.connect(fn, { weak: true });
    FakeWeakRef.collected.add(fn);
    expect(() => off()).not.toThrow();
    expect(signal.receivers()).toEqual([]);
  });
});

describe('weak receivers, with the real garbage collector', () => {
  const gc = (globalThis as { gc?: () => void }).gc;

  it('disappear once collected (runs only where globalThis.gc is exposed)', async () => {
    if (typeof gc !== 'function') {
      pending('globalThis.gc is not exposed (node --expose-gc); the WeakRef plumbing is covered above');
      return;
    }
    const signal = new SyncSignal<number, object>();
    const kept = () => {};
    signal.connect(kept, { weak: true });
    (() => {
      // The only reference to this function is the signal's WeakRef.
      signal.connect((s: object, p: number) => void p, { weak: true });
    })();
    expect(signal.receivers().length).toBe(2);
    // A WeakRef keeps its target alive until the current job ends: collect between tasks.
    for (let i = 0; i < 20 && signal.receivers().length > 1; i++) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      gc();
    }
    expect(signal.receivers()).toEqual([kept]);
  });

  it('holds on to nothing it no longer needs: disconnected receivers, and the senders they were for', async () => {
    if (typeof gc !== 'function') {
      pending('globalThis.gc is not exposed (node --expose-gc)');
      return;
    }
    const collect = async (refs: WeakRef<object>[], between: (i: number) => void = () => {}) => {
      // A WeakRef keeps its target alive until the current job ends: collect between tasks.
      for (let i = 0; i < 20 && refs.some((ref) => ref.deref() !== undefined); i++) {
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
        gc();
        between(i);
      }
      return refs.map((ref) => ref.deref());
    };
    const signal = new SyncSignal<number, object>();
    const disconnected = (() => {
      const everyone = () => {};
      const sender = { id: 'sender' };
      const forSender = () => {};
      signal.connect(everyone);
      const off = signal.connect(forSender, { sender });
      signal.disconnect(everyone);
      off();
      return [everyone, sender, forSender].map((target) => new WeakRef(target));
    })();
    expect(await collect(disconnected)).toEqual([undefined, undefined, undefined]);

    // A weak receiver for a sender, and one for everyone: once both are collected, a send
    // that meets the second drops both, and with them the sender's entry.
    const someone = { id: 'someone' };
    const gone = (() => {
      const sender = { id: 'gone' };
      signal.connect(() => {}, { weak: true, sender });
      signal.connect(() => {}, { weak: true });
      return [new WeakRef(sender)];
    })();
    expect(await collect(gone, (i) => signal.send(someone, i))).toEqual([undefined]);
  });
});
