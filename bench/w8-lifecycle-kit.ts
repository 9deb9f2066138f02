// W8: the lifecycle kit's own run time: checkLifecycle with numRuns 100 on a service with
// two children (each with an Observable task and a timer), in ms. Baseline: the same calls
// made by hand: as many runs, each a fresh tree and the same number of random start, stop,
// restart and crash calls as the kit made in that run (its final stop included), each
// awaited and followed by the same macrotask the kit waits after every step. The ratio
// is what fast-check, the model and the checks after every step add to the calls.
import { NEVER } from 'rxjs';
import { Service, task, timer } from '../src/index.js';
import { checkLifecycle } from '../src/testing/index.js';
import { median, now, pause } from './measure.js';
import { type Row, row } from './table.js';

const RUNS = 100;

class Child extends Service {
  @task watch() {
    return NEVER;
  }
  @timer('50ms') tick() {}
}

function tree(): Service {
  const root = new Service({ name: 'Root' });
  root.addDependency(new Child({ name: 'A' }));
  root.addDependency(new Child({ name: 'B' }));
  return root;
}

// A fixed seed: every round draws the same sequences, so the by-hand floor can make
// exactly as many calls in each run.
const SEED = 42;

/** ms for one checkLifecycle, and how many steps each of its runs made. */
async function sampleKit(): Promise<{ ms: number; steps: number[] }> {
  await pause(20);
  const steps = new Map<Service, number>();
  const count = (real: { service: Service }) => void steps.set(real.service, (steps.get(real.service) ?? 0) + 1);
  const t0 = now();
  await checkLifecycle(tree, { numRuns: RUNS, seed: SEED, check: count });
  return { ms: now() - t0, steps: [...steps.values()] };
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const CALLS = ['start', 'stop', 'restart', 'crash'] as const;

/** ms for runs of `steps[i]` calls each (the last a stop), made by hand in a fixed pseudo-random order. */
async function sampleByHand(steps: readonly number[]): Promise<number> {
  await pause(20);
  let seed = SEED;
  const t0 = now();
  for (const count of steps) {
    const root = tree();
    for (let i = 0; i < count - 1; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const call = CALLS[seed % CALLS.length]!;
      await (call === 'crash' ? root.crash(new Error('crash')) : root[call]()).catch(() => undefined);
      await macrotask();
    }
    await root.stop().catch(() => undefined);
    await macrotask();
  }
  return now() - t0;
}

export async function w8(): Promise<Row[]> {
  // Both sides run rxmode services, so which goes first matters less than in the other
  // workloads; the kit's warm-up goes first because it gives the step counts.
  const { steps } = await sampleKit();
  const kit: number[] = [];
  const byHand: number[] = [];
  await sampleByHand(steps);
  for (let i = 0; i < 5; i++) {
    byHand.push(await sampleByHand(steps));
    kit.push((await sampleKit()).ms);
  }
  const total = steps.reduce((a, b) => a + b, 0);
  return [
    row({
      workload: 'W8',
      metric: `checkLifecycle, numRuns ${RUNS}, a service with two children`,
      unit: 'ms',
      rxmode: median(kit),
      baseline: median(byHand),
      baselineName: 'same calls by hand',
      target: '< 1 s',
      limit: { of: 'rxmode', max: 1000, strict: true },
      extra: { steps: total },
    }),
  ];
}
