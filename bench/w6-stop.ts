// W6: one service with 1,000 Observable tasks and 1,000 Promise tasks, each sleeping an
// hour: ms from stop() to `shutdown`. The 2,000 tasks are real `@task` methods, applied
// to generated methods (see decorate.ts): an Observable task returns rxjs timer(1 h), a
// Promise task awaits this.sleep('1h'), which a stop cuts short. The baseline: 2,000
// one-hour setTimeouts, 1,000 of them behind Promises, all ended by one AbortController:
// ms from abort() until every Promise has resolved.
import { setMaxListeners } from 'node:events';
import { timer as rxTimer } from 'rxjs';
import { Service, task } from '../src/index.js';
import { withDecoratedMethods } from './decorate.js';
import { median, now, pause } from './measure.js';
import { type Row, row } from './table.js';

const EACH = 1_000;
const HOUR = 3_600_000;

const Sleeper = withDecoratedMethods(
  Service,
  [
    ...Array.from({ length: EACH }, (_, i) => ({
      name: `watch${i}`,
      body(this: Service) {
        return rxTimer(HOUR, this.scheduler);
      },
      decorator: task,
    })),
    ...Array.from({ length: EACH }, (_, i) => ({
      name: `wait${i}`,
      async body(this: Service) {
        await this.sleep(HOUR);
      },
      decorator: task,
    })),
  ],
  'Sleeper',
);

async function sampleRxmode(): Promise<{ start: number; stop: number }> {
  await pause(20);
  const svc = new Sleeper();
  const t0 = now();
  await svc.start();
  const t1 = now();
  await svc.stop();
  const t2 = now();
  if (svc.state !== 'shutdown') throw new Error(`W6: service ended ${svc.state}`);
  return { start: t1 - t0, stop: t2 - t1 };
}

async function samplePlain(): Promise<number> {
  await pause(20);
  const abort = new AbortController();
  const signal = abort.signal;
  setMaxListeners(0, signal); // 2,000 listeners on purpose
  for (let i = 0; i < EACH; i++) {
    const handle = setTimeout(() => {}, HOUR);
    signal.addEventListener('abort', () => clearTimeout(handle), { once: true });
  }
  const sleeps: Promise<void>[] = [];
  for (let i = 0; i < EACH; i++) {
    sleeps.push(
      new Promise<void>((resolve) => {
        const handle = setTimeout(resolve, HOUR);
        signal.addEventListener('abort', () => {
          clearTimeout(handle);
          resolve();
        }, { once: true });
      }),
    );
  }
  const t0 = now();
  abort.abort();
  await Promise.all(sleeps);
  return now() - t0;
}

export async function w6(): Promise<Row[]> {
  // The floor first, before rxmode has turned on AsyncLocalStorage (see run.ts).
  // Warm-up rounds first; no forced GC between rounds (see w1-tree.ts).
  const plain: number[] = [];
  for (let i = 0; i < 3; i++) await samplePlain();
  for (let i = 0; i < 7; i++) plain.push(await samplePlain());
  const rx: { start: number; stop: number }[] = [];
  for (let i = 0; i < 3; i++) await sampleRxmode();
  for (let i = 0; i < 7; i++) rx.push(await sampleRxmode());
  return [
    row({
      workload: 'W6', metric: `stop() to shutdown, ${EACH.toLocaleString('en-US')} Observable + ${EACH.toLocaleString('en-US')} Promise tasks`,
      unit: 'ms', rxmode: median(rx.map((s) => s.stop)), baseline: median(plain), baselineName: 'AbortController',
      target: '<= 3x', limit: { of: 'ratio', max: 3 },
      extra: { rxmodeStartMs: median(rx.map((s) => s.start)) },
    }),
  ];
}
