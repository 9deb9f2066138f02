// W2: what a signal costs per send. 1,000,000 sends of a SyncSignal to 10 receivers vs
// node:events EventEmitter.emit and a bare RxJS Subject with 10 subscribers; 100,000 sends
// of an async Signal to 10 async receivers vs a loop awaiting 10 async functions.
// Every receiver does the same work (adds the payload to a sum) so nothing is optimised away.
// Last, connecting 40,000 distinct receivers one by one vs EventEmitter.on (it was O(N^2)).
import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { Service, Signal, SyncSignal, task } from '../src/index.js';
import { median, now } from './measure.js';
import { type Row, row } from './table.js';

const RECEIVERS = 10;
const SYNC_SENDS = 1_000_000;
const ASYNC_SENDS = 100_000;
const REPS = 5;
const MANY = 40_000;

let sink = 0;
const sender = { name: 'bench' };

function syncSignal(): SyncSignal<number, object> {
  const signal = new SyncSignal<number, object>({ name: 'tick', defaultSender: sender });
  for (let i = 0; i < RECEIVERS; i++) signal.connect((_s, payload) => void (sink += payload + i));
  return signal;
}

function emitter(): EventEmitter {
  const ee = new EventEmitter();
  ee.setMaxListeners(RECEIVERS + 1);
  for (let i = 0; i < RECEIVERS; i++) ee.on('tick', (payload: number) => void (sink += payload + i));
  return ee;
}

function subject(): Subject<number> {
  const s = new Subject<number>();
  for (let i = 0; i < RECEIVERS; i++) s.subscribe((payload) => void (sink += payload + i));
  return s;
}

/** ns per send of `send`, over `n` sends. */
function timeSync(n: number, send: (i: number) => void): number {
  const t0 = now();
  for (let i = 0; i < n; i++) send(i);
  return ((now() - t0) * 1e6) / n;
}

async function timeAsync(n: number, send: (i: number) => Promise<void>): Promise<number> {
  const t0 = now();
  for (let i = 0; i < n; i++) await send(i);
  return ((now() - t0) * 1e6) / n;
}

function asyncSignal(): Signal<number, object> {
  const signal = new Signal<number, object>({ name: 'tick', defaultSender: sender });
  for (let i = 0; i < RECEIVERS; i++) {
    signal.connect(async (_s, payload) => {
      sink += payload + i;
    });
  }
  return signal;
}

function asyncFunctions(): Array<(payload: number) => Promise<void>> {
  const fns: Array<(payload: number) => Promise<void>> = [];
  for (let i = 0; i < RECEIVERS; i++) {
    fns.push(async (payload: number) => {
      sink += payload + i;
    });
  }
  return fns;
}

class OneTask extends Service {
  @task
  async work(): Promise<void> {}
}

async function runOneTask(): Promise<void> {
  const svc = new OneTask();
  await svc.start();
  await svc.stop();
}

/** ns per connect of `MANY` distinct receivers, connected one by one to a fresh target. */
function timeConnects(connect: (fn: (sender: unknown, payload: number) => void) => void): number {
  const fns = Array.from({ length: MANY }, (_, i) => (_s: unknown, payload: number) => void (sink += payload + i));
  const t0 = now();
  for (const fn of fns) connect(fn);
  return ((now() - t0) * 1e6) / MANY;
}

function connectSignal(): number {
  const signal = new SyncSignal<number, object>({ name: 'many' });
  return timeConnects((fn) => signal.connect(fn));
}

function connectEmitter(): number {
  const ee = new EventEmitter();
  ee.setMaxListeners(0);
  return timeConnects((fn) => ee.on('tick', fn));
}

export async function w2(): Promise<Row[]> {
  const sig = syncSignal();
  const ee = emitter();
  const subj = subject();
  const sendSig = (i: number) => sig.send(sender, i);
  const sendEe = (i: number) => void ee.emit('tick', i);
  const sendSubj = (i: number) => subj.next(i);
  // Warm-up: let each loop reach optimised code before timing it.
  for (let w = 0; w < 3; w++) {
    timeSync(200_000, sendSig);
    timeSync(200_000, sendEe);
    timeSync(200_000, sendSubj);
  }
  const rxSync: number[] = [];
  const eeSync: number[] = [];
  const subjSync: number[] = [];
  for (let r = 0; r < REPS; r++) {
    rxSync.push(timeSync(SYNC_SENDS, sendSig));
    eeSync.push(timeSync(SYNC_SENDS, sendEe));
    subjSync.push(timeSync(SYNC_SENDS, sendSubj));
  }

  const asig = asyncSignal();
  const fns = asyncFunctions();
  const sendAsig = (i: number) => asig.send(sender, i);
  const sendLoop = async (i: number) => {
    for (const fn of fns) await fn(i);
  };
  // Signal.send runs no hook and no task, so AsyncLocalStorage is still off here: both
  // pay the plain price of a Promise.
  await timeAsync(20_000, sendLoop);
  await timeAsync(20_000, sendAsig);
  const rxAsync: number[] = [];
  const loopAsync: number[] = [];
  for (let r = 0; r < 3; r++) {
    loopAsync.push(await timeAsync(ASYNC_SENDS, sendLoop));
    rxAsync.push(await timeAsync(ASYNC_SENDS, sendAsig));
  }
  // What rxmode costs the rest of the program: once a service has run a task, Node's
  // AsyncLocalStorage (work-scope.ts) is on, and every await in the process pays for it.
  await runOneTask();
  const loopAfter: number[] = [];
  await timeAsync(20_000, sendLoop);
  for (let r = 0; r < 3; r++) loopAfter.push(await timeAsync(ASYNC_SENDS, sendLoop));
  if (sink === 0) throw new Error('W2: receivers never ran');
  connectSignal();
  connectEmitter();
  const rxConnect: number[] = [];
  const eeConnect: number[] = [];
  for (let r = 0; r < 3; r++) {
    rxConnect.push(connectSignal());
    eeConnect.push(connectEmitter());
  }

  const syncMetric = `SyncSignal.send, ${RECEIVERS} receivers, 1M sends`;
  const rows = [
    row({ workload: 'W2', metric: syncMetric, unit: 'ns/send', rxmode: median(rxSync), baseline: median(eeSync), baselineName: 'EventEmitter.emit', target: '<= 1.5x', limit: { of: 'ratio', max: 1.5 } }),
    row({ workload: 'W2', metric: syncMetric, unit: 'ns/send', rxmode: median(rxSync), baseline: median(subjSync), baselineName: 'Subject.next', target: '<= 1.5x', limit: { of: 'ratio', max: 1.5 } }),
    row({
      workload: 'W2', metric: `Signal.send, ${RECEIVERS} async receivers, 100k sends`, unit: 'ns/send',
      rxmode: median(rxAsync), baseline: median(loopAsync), baselineName: 'await 10 async fns',
    }),
    row({
      workload: 'W2', metric: 'await 10 async fns once a service ran a task (side effect)', unit: 'ns/send',
      rxmode: median(loopAfter), baseline: median(loopAsync), baselineName: 'same, before',
    }),
    row({
      workload: 'W2', metric: `SyncSignal.connect, ${MANY.toLocaleString('en')} receivers one by one`, unit: 'ns/connect',
      rxmode: median(rxConnect), baseline: median(eeConnect), baselineName: 'EventEmitter.on',
    }),
  ];
  return rows;
}
