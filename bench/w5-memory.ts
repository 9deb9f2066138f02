// W5: heap bytes per started idle service with one 1 s `@timer`, at 10,000 services,
// after a forced GC, vs an object plus a setInterval each. Needs node --expose-gc.
import { Service, timer } from '../src/index.js';
import { canGc, median, settleHeap } from './measure.js';
import { type Row, row } from './table.js';

const COUNT = 10_000;

class Idle extends Service {
  @timer(1_000)
  tick(): void {}
}

/** The floor: an object that holds its state and its interval. */
class PlainIdle {
  state = 'running';
  handle: ReturnType<typeof setInterval> | undefined;
  tick(): void {}
  start(): void {
    this.handle = setInterval(() => this.tick(), 1_000);
  }
  stop(): void {
    clearInterval(this.handle);
    this.state = 'shutdown';
  }
}

interface Sample {
  constructed: number;
  started: number;
}

async function sampleRxmode(): Promise<Sample> {
  const base = await settleHeap();
  const services: Idle[] = [];
  for (let i = 0; i < COUNT; i++) services.push(new Idle());
  const constructed = await settleHeap();
  for (const s of services) await s.start();
  const started = await settleHeap();
  if (services.some((s) => s.state !== 'running')) throw new Error('W5: a service is not running');
  for (const s of services) await s.stop();
  return { constructed: (constructed - base) / COUNT, started: (started - base) / COUNT };
}

async function samplePlain(): Promise<Sample> {
  const base = await settleHeap();
  const objects: PlainIdle[] = [];
  for (let i = 0; i < COUNT; i++) objects.push(new PlainIdle());
  const constructed = await settleHeap();
  for (const o of objects) o.start();
  const started = await settleHeap();
  for (const o of objects) o.stop();
  return { constructed: (constructed - base) / COUNT, started: (started - base) / COUNT };
}

export async function w5(): Promise<Row[]> {
  if (!canGc()) throw new Error('W5 needs node --expose-gc (npm run bench passes it)');
  // Warm-up rounds first: code compiled, lazily made shared objects made.
  const plain: Sample[] = [];
  await samplePlain();
  for (let i = 0; i < 3; i++) plain.push(await samplePlain());
  const rx: Sample[] = [];
  await sampleRxmode();
  for (let i = 0; i < 3; i++) rx.push(await sampleRxmode());
  const started = median(rx.map((s) => s.started));
  const result = row({
    workload: 'W5', metric: `heap per started idle service with a 1 s timer, at ${COUNT.toLocaleString('en-US')}`,
    unit: 'bytes', rxmode: started, baseline: median(plain.map((s) => s.started)),
    baselineName: 'object + setInterval', target: '<= 3.5 KB', limit: { of: 'rxmode', max: 3584 },
    extra: {
      rxmodeConstructedBytes: median(rx.map((s) => s.constructed)),
      plainConstructedBytes: median(plain.map((s) => s.constructed)),
    },
  });
  return [result];
}
