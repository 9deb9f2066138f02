import { Signal } from '../../src/signals/signal.js';
import { SyncSignal } from '../../src/signals/sync-signal.js';

// Connecting used to copy and scan the whole list (40,000 receivers took 25 s); these
// check that order, the duplicate rule and sends in progress hold at that size, with the
// lists now appended to and compacted in place of copied.
describe('a signal with many receivers', () => {
  const N = 40_000;
  const a = { name: 'a' };
  const b = { name: 'b' };

  function numbered(calls: number[], n: number): Array<() => void> {
    return Array.from({ length: n }, (_, i) => () => void calls.push(i));
  }

  it('calls 40,000 receivers in connection order, once each, however often each is connected', () => {
    const signal = new SyncSignal<void, object>();
    const calls: number[] = [];
    const fns = numbered(calls, N);
    const offs = fns.map((fn) => signal.connect(fn));
    const again = fns.map((fn) => signal.connect(fn)); // the same connections
    signal.send(a, undefined);
    expect(calls.length).toBe(N);
    expect(calls.every((value, i) => value === i)).toBeTrue();
    expect(signal.receivers().length).toBe(N);
    // Either disconnect function of a duplicate stands for the one connection.
    again[0]!();
    offs[0]!();
    expect(signal.receivers().length).toBe(N - 1);
  });

  it('keeps the order through disconnects and reconnects (reconnected ones come last)', () => {
    const signal = new SyncSignal<void, object>();
    const calls: number[] = [];
    const fns = numbered(calls, N);
    const offs = fns.map((fn) => signal.connect(fn));
    for (let i = 0; i < N; i += 2) {
      if (i % 4 === 0) offs[i]!();
      else signal.disconnect(fns[i]!);
    }
    signal.send(a, undefined);
    const odd = Array.from({ length: N / 2 }, (_, k) => 2 * k + 1);
    expect(calls).toEqual(odd);
    for (let i = 0; i < N; i += 2) signal.connect(fns[i]!);
    calls.length = 0;
    signal.send(a, undefined);
    expect(calls).toEqual([...odd, ...odd.map((i) => i - 1)]);
    const indexOf = new Map<unknown, number>(fns.map((fn, i) => [fn, i])); // fns.indexOf would be O(N^2) here
    expect(signal.receivers().map((fn) => indexOf.get(fn))).toEqual(calls);
  });

  it('keeps each sender its own list: the unfiltered first, then those for the sender', async () => {
    const signal = new Signal<void, object>();
    const calls: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      signal.connect(() => void calls.push(`all${i}`));
      signal.connect(() => void calls.push(`a${i}`), { sender: a });
      signal.connect(async () => void calls.push(`b${i}`), { sender: b });
    }
    await signal.send(b, undefined);
    expect(calls.length).toBe(2_000);
    expect(calls.slice(0, 3)).toEqual(['all0', 'all1', 'all2']);
    expect(calls.slice(1_000, 1_003)).toEqual(['b0', 'b1', 'b2']);
    expect(calls[1_999]).toBe('b999');
    expect(signal.receivers(a).length).toBe(2_000);
  });

  for (const kind of ['SyncSignal', 'Signal'] as const) {
    it(`a ${kind} send in progress skips receivers disconnected meanwhile and leaves out those connected, even when the list is compacted`, async () => {
      const signal = kind === 'SyncSignal' ? new SyncSignal<void, object>() : new Signal<void, object>();
      const calls: number[] = [];
      const fns = numbered(calls, 100);
      const late = jasmine.createSpy('late');
      let once = true;
      signal.connect(async () => {
        if (kind === 'Signal') await Promise.resolve(); // the rest runs from a Delivery
        if (!once) return;
        once = false;
        // Disconnecting most of them compacts the list; connecting adds to the new one.
        for (let i = 0; i < 90; i++) signal.disconnect(fns[i]!);
        signal.connect(late);
      });
      for (const fn of fns) signal.connect(fn);
      try {
        await signal.send(a, undefined);
      } catch {
        // A SyncSignal refuses the async receiver above, after calling every other one.
      }
      expect(calls).toEqual(Array.from({ length: 10 }, (_, k) => 90 + k));
      expect(late).not.toHaveBeenCalled();
      calls.length = 0;
      try {
        await signal.send(a, undefined);
      } catch {
        // as above
      }
      expect(calls).toEqual(Array.from({ length: 10 }, (_, k) => 90 + k));
      expect(late).toHaveBeenCalledTimes(1);
    });
  }

  it('a clone copies the live receivers in order, and each then grows alone', () => {
    const signal = new SyncSignal<void, object>();
    const calls: number[] = [];
    const fns = numbered(calls, 1_000);
    for (const fn of fns) signal.connect(fn);
    for (let i = 0; i < 1_000; i += 3) signal.disconnect(fns[i]!);
    const copy = signal.clone();
    copy.connect(() => void calls.push(-1));
    signal.send(a, undefined);
    const kept = calls.slice();
    calls.length = 0;
    copy.send(a, undefined);
    expect(calls).toEqual([...kept, -1]);
    expect(kept.length).toBe(666);
    // A duplicate in the copy is still the same connection there.
    for (const fn of fns) copy.connect(fn);
    expect(copy.receivers().length).toBe(1_000 + 1);
  });
});
