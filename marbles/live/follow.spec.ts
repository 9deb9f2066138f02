import { type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Signal } from '../../src/node/live/page/event-source.js';
import { follow$, type FollowSignal } from '../../src/node/live/page/follow.js';
import type { LiveMessage } from '../../src/node/live/page/model.js';

const message = (id: string): Signal => ({ kind: 'message', message: { type: 'stats', id, data: { services: [] } } as LiveMessage });
const open: Signal = { kind: 'open' };

function describe_(signal: FollowSignal): string {
  if (signal.kind === 'connecting') return `connecting ${signal.attempt}`;
  if (signal.kind === 'open') return 'open';
  return `message ${signal.message.id}`;
}

/** Runs follow$ over the given connections (one per attempt) in virtual time; returns what it emitted, when, and the ids it resumed from. */
function run(connections: (helpers: { cold: TestScheduler['createColdObservable'] }) => Observable<Signal>[], until: number, backoff = { initial: 250, max: 10_000 }) {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const seen: string[] = [];
  const asked: (string | undefined)[] = [];
  let ended: string | undefined;
  scheduler.run(({ cold }) => {
    const list = connections({ cold: cold as never });
    const subscription = follow$({
      connect: (lastEventId) => {
        asked.push(lastEventId);
        return list[Math.min(asked.length, list.length) - 1]!;
      },
      backoff,
      scheduler,
    }).subscribe({
      next: (signal) => seen.push(`${scheduler.now()} ${describe_(signal)}`),
      error: (error: unknown) => (ended = `error ${String(error)}`),
      complete: () => (ended = 'complete'),
    });
    scheduler.schedule(() => subscription.unsubscribe(), until);
  });
  return { seen, asked, ended };
}

describe("follow$ (the page's reconnect, supervised with backoff, in virtual time)", () => {
  it('reconnects after each loss, waiting 250, 500, 1000 ms..., resuming after the last id it saw', () => {
    const { seen, asked, ended } = run(({ cold }) => [
      cold('o-a-#', { o: open, a: message('1') }),
      cold('#'),
      cold('o-b-#', { o: open, b: message('2') }),
      cold('o---', { o: open }),
    ], 5_000);
    expect(seen).toEqual([
      '0 connecting 1', '0 open', '2 message 1', // lost at 4
      '254 connecting 2', // lost at once
      '754 connecting 3', '754 open', '756 message 2', // lost at 758
      '1758 connecting 4', '1758 open',
    ]);
    expect(asked).toEqual([undefined, '1', '1', '2']);
    expect(ended).toBeUndefined(); // it never gives up
  });

  it('never waits longer than the backoff max, however often the connection fails', () => {
    const { seen } = run(({ cold }) => [cold('#')], 20_000, { initial: 1_000, max: 3_000 });
    const times = seen.map((line) => Number(line.split(' ')[0]));
    const waits = times.slice(1).map((t, i) => t - times[i]!);
    expect(waits.slice(0, 4)).toEqual([1_000, 2_000, 3_000, 3_000]);
    expect(Math.max(...waits)).toBe(3_000);
  });

  it('starts the backoff over after a connection that lasted', () => {
    const { seen } = run(({ cold }) => [
      cold('o#', { o: open }),
      cold('o#', { o: open }),
      cold('o 20s #', { o: open }), // up for 20 s: longer than the backoff's max
      cold('o-', { o: open }),
    ], 40_000);
    expect(seen.filter((line) => line.includes('connecting'))).toEqual([
      '0 connecting 1', '251 connecting 2', '752 connecting 3', '21003 connecting 4',
    ]);
  });

  it('closes the connection when unsubscribed', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectSubscriptions }) => {
      const connection = cold('o---', { o: open });
      follow$({ connect: () => connection, scheduler }).subscribe().unsubscribe();
      expectSubscriptions(connection.subscriptions).toBe('(^!)');
    });
  });
});
