import fc from 'fast-check';
import { of } from 'rxjs';
import { Signal } from '../../src/signals/signal.js';
import { SyncSignal } from '../../src/signals/sync-signal.js';
import { fcRuns, timeoutFor } from '../support/fc-runs.js';

// For any sequence of connect / disconnect / (returned) disconnect-function / send, the
// receivers a send calls equal those of a plain ordered-list model: the connections for
// every sender, then those for the sender, each group in connection order, one
// connection per (receiver, sender filter).

type Op =
  | { kind: 'connect'; fn: number; sender: number; weak: boolean }
  | { kind: 'disconnect'; fn: number; sender: number }
  | { kind: 'off'; pick: number }
  | { kind: 'send'; sender: number };

const FNS = 4;
const SENDERS = 3; // sender -1 means "no filter"

const sender = fc.integer({ min: -1, max: SENDERS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('connect' as const), fn: fc.nat(FNS - 1), sender, weak: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), fn: fc.nat(FNS - 1), sender }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('off' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), sender: fc.nat(SENDERS - 1) }) },
);
// Long enough sequences to build lists mixing filtered and unfiltered, waiting and not.
const opsArb = fc.array(opArb, { minLength: 1, maxLength: 60, size: 'large' });

class Model {
  private next = 0;
  entries: { id: number; fn: number; sender: number }[] = [];
  /** The connection id each returned disconnect function stands for. */
  offs: number[] = [];

  connect(fn: number, sender: number): void {
    const existing = this.entries.find((e) => e.fn === fn && e.sender === sender);
    if (existing) this.offs.push(existing.id);
    else {
      const id = this.next++;
      this.entries.push({ id, fn, sender });
      this.offs.push(id);
    }
  }
  disconnect(fn: number, sender: number): void {
    this.entries = this.entries.filter((e) => !(e.fn === fn && e.sender === sender));
  }
  off(pick: number): void {
    const id = this.offs[pick % this.offs.length];
    this.entries = this.entries.filter((e) => e.id !== id);
  }
  receivers(sender: number): number[] {
    return [
      ...this.entries.filter((e) => e.sender === -1).map((e) => e.fn),
      ...this.entries.filter((e) => e.sender === sender).map((e) => e.fn),
    ];
  }
}

interface Harness {
  connect(fn: number, sender: number, weak: boolean): () => void;
  disconnect(fn: number, sender: number): void;
  receivers(sender: number): unknown[];
  send(sender: number): Promise<void> | void;
  fns: unknown[];
  calls: number[];
}

function harness(async: boolean): Harness {
  const senders = Array.from({ length: SENDERS }, (_, i) => ({ sender: i }));
  const calls: number[] = [];
  const opt = (sender: number) => (sender < 0 ? undefined : { sender: senders[sender]! });
  if (async) {
    const signal = new Signal<void, object>();
    // Receivers 2 and 3 make the send wait (a Promise, an Observable), 0 and 1 do not.
    const fns = Array.from({ length: FNS }, (_, i) => () => {
      calls.push(i);
      return i === 2 ? Promise.resolve() : i === 3 ? of(i) : undefined;
    });
    return {
      connect: (fn, sender, weak) => signal.connect(fns[fn]!, { ...opt(sender), weak }),
      disconnect: (fn, sender) => signal.disconnect(fns[fn]!, opt(sender)),
      receivers: (sender) => signal.receivers(senders[sender]),
      send: (sender) => signal.send(senders[sender]!, undefined),
      fns,
      calls,
    };
  }
  const signal = new SyncSignal<void, object>();
  const fns = Array.from({ length: FNS }, (_, i) => () => void calls.push(i));
  return {
    connect: (fn, sender, weak) => signal.connect(fns[fn]!, { ...opt(sender), weak }),
    disconnect: (fn, sender) => signal.disconnect(fns[fn]!, opt(sender)),
    receivers: (sender) => signal.receivers(senders[sender]),
    send: (sender) => signal.send(senders[sender]!, undefined),
    fns,
    calls,
  };
}

/** Throws (so fast-check can shrink the sequence) when the lists differ. */
function same(actual: number[], expected: number[], what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: got [${actual}], the model says [${expected}]`);
  }
}

async function check(async: boolean, ops: Op[]): Promise<void> {
  const model = new Model();
  const real = harness(async);
  const offs: (() => void)[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'connect':
        model.connect(op.fn, op.sender);
        offs.push(real.connect(op.fn, op.sender, op.weak));
        break;
      case 'disconnect':
        model.disconnect(op.fn, op.sender);
        real.disconnect(op.fn, op.sender);
        break;
      case 'off':
        if (offs.length === 0) break;
        model.off(op.pick);
        offs[op.pick % offs.length]!();
        break;
      case 'send': {
        real.calls.length = 0;
        await real.send(op.sender);
        same(real.calls, model.receivers(op.sender), `calls of send from ${op.sender}`);
        break;
      }
    }
    for (let s = 0; s < SENDERS; s++) {
      same(real.receivers(s).map((f) => real.fns.indexOf(f)), model.receivers(s), `receivers(${s})`);
    }
  }
}

// The orders the model checks, each on purpose, before the random sequences.
const connect = (fn: number, sender = -1, weak = false): Op => ({ kind: 'connect', fn, sender, weak });
const send = (sender: number): Op => ({ kind: 'send', sender });
const examples: [Op[]][] = [
  // every-sender receivers first, though connected after the sender's own
  [[connect(0, 1), connect(1), connect(2, 1), connect(3), send(1)]],
  // a receiver disconnected and connected again goes to the end
  [[connect(0), connect(1), { kind: 'disconnect', fn: 0, sender: -1 }, connect(0), send(0)]],
  // connecting the same receiver twice keeps its first place
  [[connect(0), connect(1), connect(0), send(2)]],
  // a weak receiver keeps its place among the strong ones
  [[connect(0), connect(1, -1, true), connect(2), send(0)]],
  // the same receiver for every sender and for one sender: called twice, once in each group
  [[connect(0, 2), connect(0), connect(1, 2), send(2)]],
];

describe('signal receivers against an ordered-list model', () => {
  const numRuns = fcRuns(300);

  it(
    'SyncSignal calls exactly the model receivers, in order',
    async () => {
      await expectAsync(fc.assert(fc.asyncProperty(opsArb, (ops) => check(false, ops)), { numRuns, examples })).toBeResolved();
    },
    timeoutFor(numRuns, 5),
  );

  it(
    'Signal (with receivers that wait) calls exactly the model receivers, in order',
    async () => {
      await expectAsync(fc.assert(fc.asyncProperty(opsArb, (ops) => check(true, ops)), { numRuns, examples })).toBeResolved();
    },
    timeoutFor(numRuns, 5),
  );
});
