// W1: start then stop a tree of 11,111 services (fan-out 10, depth 4 below the root) whose
// hooks are empty, against recursive async functions awaiting the same hooks of plain
// objects in the same order. Then the same for a chain of 10,000 nested services (each
// the only child of the one before): trees of any depth, at the same cost per service.
import { Service } from '../src/index.js';
import { median, now, pause } from './measure.js';
import { type Row, row } from './table.js';

const FANOUT = 10;
const DEPTH = 4;
const CHAIN = 10_000;
const WARMUP = 3;
const REPS = 7;

/** A service whose hooks are all the base class's empty ones. */
export class Leafy extends Service {}

/** W1's tree: a root with FANOUT children, `depth` levels below it. */
export function buildServices(depth: number): Service {
  const root = new Leafy();
  if (depth > 0) for (let i = 0; i < FANOUT; i++) root.addDependency(buildServices(depth - 1));
  return root;
}

/** The floor: an object with the same empty hooks and a list of children. */
class PlainNode {
  state = 'init';
  readonly children: PlainNode[] = [];
  onFirstStart(): void {}
  onStart(): void {}
  onStarted(): void {}
  onStop(): void {}
  onShutdown(): void {}
}

function chainServices(length: number): Service {
  const root = new Leafy();
  let link: Service = root;
  for (let i = 1; i < length; i++) link = link.addDependency(new Leafy());
  return root;
}

function chainPlain(length: number): PlainNode {
  const root = new PlainNode();
  let link = root;
  for (let i = 1; i < length; i++) link.children.push((link = new PlainNode()));
  return root;
}

function buildPlain(depth: number): PlainNode {
  const root = new PlainNode();
  if (depth > 0) for (let i = 0; i < FANOUT; i++) root.children.push(buildPlain(depth - 1));
  return root;
}

// Same order as rxmode: onFirstStart, onStart, children in order, onStarted.
async function startPlain(node: PlainNode): Promise<void> {
  node.state = 'running';
  await node.onFirstStart();
  await node.onStart();
  for (const child of node.children) await startPlain(child);
  await node.onStarted();
}

// Same order as rxmode: onStop, children in reverse, onShutdown.
async function stopPlain(node: PlainNode): Promise<void> {
  node.state = 'stopping';
  await node.onStop();
  for (let i = node.children.length - 1; i >= 0; i--) await stopPlain(node.children[i]!);
  await node.onShutdown();
  node.state = 'shutdown';
}

function countServices(root: Service): number {
  let n = 0;
  for (const _ of root.beacon.traverse()) n++;
  return n;
}

interface Sample {
  build: number;
  start: number;
  stop: number;
}

async function sampleRxmode(build: () => Service = () => buildServices(DEPTH)): Promise<Sample & { count: number }> {
  await pause(20);
  const t0 = now();
  const root = build();
  const t1 = now();
  await root.start();
  const t2 = now();
  await root.stop();
  const t3 = now();
  if (root.state !== 'shutdown') throw new Error(`W1: root ended ${root.state}`);
  return { build: t1 - t0, start: t2 - t1, stop: t3 - t2, count: countServices(root) };
}

async function samplePlain(build: () => PlainNode = () => buildPlain(DEPTH)): Promise<Sample> {
  await pause(20);
  const t0 = now();
  const root = build();
  const t1 = now();
  await startPlain(root);
  const t2 = now();
  await stopPlain(root);
  const t3 = now();
  return { build: t1 - t0, start: t2 - t1, stop: t3 - t2 };
}

export async function w1(): Promise<Row[]> {
  // The floor first, before rxmode has turned on AsyncLocalStorage (see run.ts). Warm-up
  // rounds first, so both run optimised code. No forced GC between rounds: a gc() leaves
  // the next tree in old space, and its start then pays write barriers no program pays.
  const plain: Sample[] = [];
  for (let i = 0; i < WARMUP; i++) await samplePlain();
  for (let i = 0; i < REPS; i++) plain.push(await samplePlain());
  const rx: Sample[] = [];
  let count = 0;
  for (let i = 0; i < WARMUP; i++) await sampleRxmode();
  for (let i = 0; i < REPS; i++) {
    const s = await sampleRxmode();
    count = s.count;
    rx.push(s);
  }
  const m = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]));
  const metric = (what: string) => `${what} ${count.toLocaleString('en-US')} services`;
  const startRow = row({
    workload: 'W1', metric: metric('start'), unit: 'ms',
    rxmode: m(rx, 'start'), baseline: m(plain, 'start'), baselineName: 'async fns',
    target: '<= 3x', limit: { of: 'ratio', max: 3 },
  });
  const stopRow = row({
    workload: 'W1', metric: metric('stop'), unit: 'ms',
    rxmode: m(rx, 'stop'), baseline: m(plain, 'stop'), baselineName: 'async fns',
    target: '<= 3x', limit: { of: 'ratio', max: 3 },
  });
  const both = row({
    workload: 'W1', metric: metric('start+stop'), unit: 'ms',
    rxmode: m(rx, 'start') + m(rx, 'stop'), baseline: m(plain, 'start') + m(plain, 'stop'), baselineName: 'async fns',
    target: '<= 3x', limit: { of: 'ratio', max: 3 },
    extra: { buildRxmodeMs: m(rx, 'build'), buildPlainMs: m(plain, 'build'), repetitions: rx.length },
  });
  return [startRow, stopRow, both, ...(await chainRows())];
}

/** The same measure on a chain of CHAIN nested services, against the same async functions. */
async function chainRows(): Promise<Row[]> {
  const plain: Sample[] = [];
  for (let i = 0; i < WARMUP; i++) await samplePlain(() => chainPlain(CHAIN));
  for (let i = 0; i < REPS; i++) plain.push(await samplePlain(() => chainPlain(CHAIN)));
  const rx: Sample[] = [];
  for (let i = 0; i < WARMUP; i++) await sampleRxmode(() => chainServices(CHAIN));
  for (let i = 0; i < REPS; i++) rx.push(await sampleRxmode(() => chainServices(CHAIN)));
  const m = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]));
  const metric = (what: string) => `${what} a chain of ${CHAIN.toLocaleString('en-US')} nested services`;
  return (['start', 'stop'] as const).map((what) =>
    row({
      workload: 'W1', metric: metric(what), unit: 'ms',
      rxmode: m(rx, what), baseline: m(plain, what), baselineName: 'async fns',
      target: '<= 3x', limit: { of: 'ratio', max: 3 },
    }),
  );
}
