import { filter, lastValueFrom, map, take, toArray } from 'rxjs';
import { Signal } from '../../src/signals/signal.js';
import { SyncSignal } from '../../src/signals/sync-signal.js';

describe('a signal as an Observable', () => {
  const a = { id: 'a' };
  const b = { id: 'b' };

  it('emits { sender, payload } for every send, whoever the receivers are', async () => {
    const signal = new Signal<number, object>({ defaultSender: a });
    const seen: unknown[] = [];
    const subscription = signal.subscribe((event) => seen.push(event));
    signal.connect(() => {}, { sender: b }); // a filtered receiver does not filter the view
    await signal.send(1);
    await signal.send(b, 2);
    expect(seen).toEqual([
      { sender: a, payload: 1 },
      { sender: b, payload: 2 },
    ]);
    subscription.unsubscribe();
    await signal.send(3);
    expect(seen.length).toBe(2);
  });

  it('emits before the receivers run, also when a receiver fails', () => {
    const signal = new SyncSignal<string, object>();
    const log: string[] = [];
    signal.subscribe(({ payload }) => log.push(`view ${payload}`));
    signal.connect((s, p) => {
      log.push(`receiver ${p}`);
      throw new Error('no');
    });
    expect(() => signal.send(a, 'x')).toThrowError('no');
    expect(log).toEqual(['view x', 'receiver x']);
  });

  it('works with operators (pipe) and is never completed by sends', async () => {
    const signal = new SyncSignal<number, object>();
    const collected = lastValueFrom(
      signal.pipe(
        filter(({ sender }) => sender === a),
        map(({ payload }) => payload * 2),
        take(3),
        toArray(),
      ),
    );
    for (const [s, p] of [[a, 1], [b, 2], [a, 3], [a, 4], [a, 5]] as const) signal.send(s, p);
    expect(await collected).toEqual([2, 6, 8]);
  });

  it('gives each subscriber every send, late subscribers only later ones', () => {
    const signal = new SyncSignal<number, object>({ defaultSender: a });
    const early: number[] = [];
    const late: number[] = [];
    signal.subscribe(({ payload }) => early.push(payload));
    signal.send(1);
    signal.subscribe(({ payload }) => late.push(payload));
    signal.send(2);
    expect(early).toEqual([1, 2]);
    expect(late).toEqual([2]);
  });
});
