import { Signal } from '../../src/signals/signal.js';
import { SyncSignal } from '../../src/signals/sync-signal.js';

// What Signal and SyncSignal share, run against each. `deliver` turns either send into a
// Promise (a SyncSignal's throw becomes a rejection) so one spec covers both.
type AnySignal = Signal<number, object> | SyncSignal<number, object>;
type Recv = (sender: object, payload: number, signal: AnySignal) => void;
interface Kind {
  name: string;
  make(options?: { name?: string; owner?: object; defaultSender?: object }): AnySignal;
}

const kinds: Kind[] = [
  { name: 'Signal', make: (o) => new Signal<number, object>(o) },
  { name: 'SyncSignal', make: (o) => new SyncSignal<number, object>(o) },
];

function connect(signal: AnySignal, fn: Recv, options?: { sender?: object; weak?: boolean }): () => void {
  return (signal as SyncSignal<number, object>).connect(fn as never, options);
}

async function deliver(signal: AnySignal, ...args: [number] | [object | undefined, number]): Promise<void> {
  return (signal.send as (...a: unknown[]) => unknown).apply(signal, args) as Promise<void>;
}

for (const kind of kinds) {
  describe(`${kind.name} (shared behaviour)`, () => {
    const a = { id: 'a' };
    const b = { id: 'b' };

    it('calls receivers in connection order with (sender, payload, signal)', async () => {
      const signal = kind.make();
      const calls: unknown[][] = [];
      for (const tag of ['first', 'second', 'third']) {
        connect(signal, (sender, payload, sig) => {
          calls.push([tag, sender, payload, sig]);
        });
      }
      await deliver(signal, a, 7);
      expect(calls).toEqual([
        ['first', a, 7, signal],
        ['second', a, 7, signal],
        ['third', a, 7, signal],
      ]);
    });

    it('calls a receiver connected for a sender only for sends from that sender', async () => {
      const signal = kind.make();
      const heard: string[] = [];
      connect(signal, (s, p) => void heard.push(`onlyA:${(s as { id: string }).id}:${p}`), { sender: a });
      connect(signal, (s, p) => void heard.push(`all:${(s as { id: string }).id}:${p}`));
      await deliver(signal, a, 1);
      await deliver(signal, b, 2);
      await deliver(signal, { id: 'a' }, 3); // equal but not the same object: not a
      // Unfiltered receivers first, then those for the sender.
      expect(heard).toEqual(['all:a:1', 'onlyA:a:1', 'all:b:2', 'all:a:3']);
    });

    it('runs every receiver even when some fail, then fails with the one error', async () => {
      const signal = kind.make({ name: 'ping' });
      const boom = new Error('boom');
      const ran: number[] = [];
      connect(signal, () => void ran.push(1));
      connect(signal, () => {
        ran.push(2);
        throw boom;
      });
      connect(signal, () => void ran.push(3));
      await expectAsync(deliver(signal, a, 0)).toBeRejectedWith(boom);
      expect(ran).toEqual([1, 2, 3]);
    });

    it('fails with an AggregateError holding each error, in order, when several fail', async () => {
      const signal = kind.make({ name: 'ping', owner: new (class Pinger {})() });
      const e1 = new Error('one');
      const e2 = new RangeError('two');
      const ran: number[] = [];
      connect(signal, () => {
        ran.push(1);
        throw e1;
      });
      connect(signal, () => void ran.push(2));
      connect(signal, () => {
        ran.push(3);
        throw e2;
      }, { sender: a });
      const error = await deliver(signal, a, 0).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).errors).toEqual([e1, e2]);
      expect((error as AggregateError).message).toContain('Pinger.ping');
      expect(ran).toEqual([1, 2, 3]);
    });

    it('makes connecting the same receiver twice (same filter) one connection', async () => {
      const signal = kind.make();
      const fn = jasmine.createSpy('receiver');
      connect(signal, fn);
      connect(signal, fn);
      connect(signal, fn, { sender: a });
      connect(signal, fn, { sender: a, weak: true });
      expect(signal.receivers().length).toBe(1);
      expect(signal.receivers(a).length).toBe(2);
      await deliver(signal, b, 1);
      expect(fn).toHaveBeenCalledTimes(1);
      // Connected for every sender and for a: two connections, so a send from a calls both.
      await deliver(signal, a, 2);
      expect(fn).toHaveBeenCalledTimes(3);
    });

    it('disconnects by receiver and filter, and ignores unknown receivers', async () => {
      const signal = kind.make();
      const fn = jasmine.createSpy('receiver');
      const other = jasmine.createSpy('other');
      connect(signal, fn);
      connect(signal, fn, { sender: a });
      expect(() => signal.disconnect(other as never)).not.toThrow();
      expect(() => signal.disconnect(other as never, { sender: b })).not.toThrow();
      expect(() => signal.disconnect(fn as never, { sender: b })).not.toThrow();
      expect(() => signal.disconnect('not a function' as never)).not.toThrow();
      signal.disconnect(fn as never, { sender: a });
      expect(signal.receivers(a)).toEqual([fn as never]);
      signal.disconnect(fn as never);
      expect(signal.receivers(a)).toEqual([]);
      await deliver(signal, a, 1);
      expect(fn).not.toHaveBeenCalled();
    });

    it('returns a disconnect function from connect, which is idempotent', async () => {
      const signal = kind.make();
      const fn = jasmine.createSpy('receiver');
      const off = connect(signal, fn);
      off();
      off();
      await deliver(signal, a, 1);
      expect(fn).not.toHaveBeenCalled();
      // An old disconnect function does not cut a later connection of the same receiver.
      connect(signal, fn);
      off();
      await deliver(signal, a, 2);
      expect(fn).toHaveBeenCalledOnceWith(a, 2, signal);
    });

    it('does not call a receiver disconnected, nor one connected, during the same send', async () => {
      const signal = kind.make();
      const late = jasmine.createSpy('late');
      const second = jasmine.createSpy('second');
      connect(signal, () => {
        signal.disconnect(second as never);
        connect(signal, late);
      });
      connect(signal, second);
      await deliver(signal, a, 1);
      expect(second).not.toHaveBeenCalled();
      expect(late).not.toHaveBeenCalled();
      await deliver(signal, a, 2);
      expect(late).toHaveBeenCalledOnceWith(a, 2, signal);
    });

    it('sends from the default sender when given one argument; two arguments name the sender', async () => {
      const signal = kind.make({ defaultSender: a });
      const seen: [object, number][] = [];
      connect(signal, (s, p) => void seen.push([s, p]));
      await deliver(signal, 1);
      await deliver(signal, b, 2);
      await deliver(signal, undefined, 3); // no sender given: the default one
      expect(seen).toEqual([
        [a, 1],
        [b, 2],
        [a, 3],
      ]);
    });

    it('is a TypeError naming the signal to send with no sender and no default sender', async () => {
      const owner = new (class Webserver {})();
      const signal = kind.make({ name: 'connected', owner });
      const fn = jasmine.createSpy('receiver');
      connect(signal, fn);
      await expectAsync(deliver(signal, 1)).toBeRejectedWithError(TypeError, /Webserver\.connected.*defaultSender/);
      await expectAsync(deliver(signal, undefined, 1)).toBeRejectedWithError(TypeError, /Webserver\.connected.*no sender/);
      await expectAsync(deliver(signal, 1)).toBeRejectedWithError(
        TypeError,
        `${kind.name} Webserver.connected: send(payload) sends from the defaultSender, and this signal has none; ` +
          'call send(sender, payload) (send(sender, undefined) when there is no payload), ' +
          'or create the signal with { defaultSender }',
      );
      expect(fn).not.toHaveBeenCalled();
    });

    it('is a TypeError naming the value to connect something that is not a function', () => {
      const signal = kind.make({ name: 'x' });
      expect(() => connect(signal, 42 as never)).toThrowError(TypeError, /x: connect\(\) needs a receiver function, got 42/);
      expect(() => connect(signal, 'fn' as never)).toThrowError(TypeError, /got 'fn'/);
    });

    it('refuses a bad name or owner with a TypeError naming the value', () => {
      expect(() => kind.make({ name: 5 as never })).toThrowError(TypeError, /name must be a string, got 5/);
      expect(() => kind.make({ owner: 'svc' as never })).toThrowError(TypeError, /owner must be an object, got 'svc'/);
    });

    it('names a function, an anonymous function, an object and null as such in those TypeErrors', () => {
      function ready() {}
      expect(() => kind.make({ name: ready as never })).toThrowError(TypeError, /name must be a string, got function ready$/);
      expect(() => kind.make({ name: (() => () => {})() as never })).toThrowError(
        TypeError,
        /name must be a string, got function \(anonymous\)$/,
      );
      expect(() => kind.make({ name: {} as never })).toThrowError(TypeError, /name must be a string, got an object \{\}$/);
      expect(() => kind.make({ name: null as never })).toThrowError(TypeError, /name must be a string, got null$/);
      expect(() => connect(kind.make(), null as never)).toThrowError(TypeError, /needs a receiver function, got null$/);
      // an object is named by its kind, not by its String() (an empty array's is '')
      expect(() => connect(kind.make(), [] as never)).toThrowError(TypeError, /needs a receiver function, got an Array$/);
      expect(() => connect(kind.make(), { handle() {} } as never)).toThrowError(TypeError, /needs a receiver function, got an object \{handle\}$/);
    });

    it('takes a null owner, default sender or sender filter as none given', async () => {
      const signal = kind.make({ name: 'x', owner: null as never, defaultSender: null as never });
      expect(signal.owner).toBeUndefined();
      expect(signal.defaultSender).toBeUndefined();
      expect(signal.label).toBe('x');
      await expectAsync(deliver(signal, 1)).toBeRejectedWithError(TypeError, /defaultSender/);
      const heard: unknown[] = [];
      const fn: Recv = (sender) => void heard.push(sender);
      connect(signal, fn, { sender: null as never }); // hears every sender
      await deliver(signal, a, 1);
      await deliver(signal, b, 2);
      expect(heard).toEqual([a, b]);
      expect(signal.receivers(null as never)).toEqual([fn as never]);
      signal.disconnect(fn as never, { sender: null as never });
      expect(signal.receivers(a)).toEqual([]);
    });

    it('labels a signal whose owner has no constructor as Object.name', () => {
      expect(kind.make({ name: 'x', owner: Object.create(null) as object }).label).toBe('Object.x');
    });

    it('lists receivers: those for every sender, then those for the given sender', () => {
      const signal = kind.make();
      const r1: Recv = () => {};
      const r2: Recv = () => {};
      const r3: Recv = () => {};
      const r4: Recv = () => {};
      connect(signal, r1, { sender: a });
      connect(signal, r2);
      connect(signal, r3, { sender: b });
      connect(signal, r4);
      expect(signal.receivers()).toEqual([r2, r4] as never);
      expect(signal.receivers(a)).toEqual([r2, r4, r1] as never);
      expect(signal.receivers(b)).toEqual([r2, r4, r3] as never);
      // A fresh array each time: changing it changes nothing.
      signal.receivers().length = 0;
      expect(signal.receivers().length).toBe(2);
    });

    it('sends with no receivers at all', async () => {
      await expectAsync(deliver(kind.make(), a, 1)).toBeResolved();
    });

    it('lets a receiver send again on the same signal (re-entrant sends)', async () => {
      const signal = kind.make();
      const seen: number[] = [];
      connect(signal, (s, p) => {
        seen.push(p);
        if (p > 0) void deliver(signal, s, p - 1);
      });
      await deliver(signal, a, 2);
      expect(seen).toEqual([2, 1, 0]);
    });
  });
}
