// W7: what the live view costs. W1's tree (11,111 services, empty hooks) started and
// stopped under a served root: with no health server (the baseline), with the health
// server listening and nobody connected (it should cost nothing: it follows the tree only
// while someone watches), and with one /events client reading in another process (every
// transition serialised, logged for resumes and written to it). Each pair is measured
// in turn, round by round, in this one process: the median start+stop of each.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Service } from '../src/index.js';
import { HealthServer } from '../src/node/health.js';
import { median, now, pause } from './measure.js';
import { Leafy, buildServices } from './w1-tree.js';
import { type Row, row } from './table.js';

const DEPTH = 4;
const WARMUP = 3;
const REPS = 15;

/** Start+stop of one W1 tree attached under `host` (the attach itself is not timed). */
async function sample(host: Service): Promise<number> {
  await pause(20);
  const root = buildServices(DEPTH);
  host.addDependency(root);
  const t0 = now();
  await root.start();
  await root.stop();
  const elapsed = now() - t0;
  if (root.state !== 'shutdown') throw new Error(`W7: root ended ${root.state}`);
  root.beacon.detach();
  return elapsed;
}

/**
 * Rounds of two setups taken in turn, each going first as often (the first after a
 * pause is not like the second), so that whatever drifts over the run (heap growth, the
 * machine's load) falls on both alike. Returns the median of each.
 */
async function rounds(a: Service, b: Service): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < WARMUP + REPS; i++) {
    for (const h of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const elapsed = await sample(h === 0 ? a : b);
      if (i >= WARMUP) times[h]!.push(elapsed);
    }
    await pause(100); // lets the reader take in what was written, before the next round
  }
  return [median(times[0]), median(times[1])];
}

/** Starts the reader process on `url`; resolves once it has its snapshot. */
function reader(url: string): Promise<{ stop(): Promise<{ bytes: number; events: number; connections: number }> }> {
  const script = join(fileURLToPath(new URL('.', import.meta.url)), 'sse-reader.js');
  const child = spawn(process.execPath, [script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('W7: the /events reader did not connect')), 10_000);
    const check = () => {
      if (!out.includes('CONNECTED\n')) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({
        stop: () =>
          new Promise((done) => {
            child.once('close', () => done(JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!)));
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', check);
  });
}

export async function w7(): Promise<Row[]> {
  const [bareHost, idleHost, watchedHost] = ['Bare', 'Idle', 'Watched'].map((name) => new Leafy({ name })) as [Leafy, Leafy, Leafy];
  for (const host of [bareHost, idleHost, watchedHost]) await host.start();
  const idleServer = await new HealthServer(idleHost, { port: 0 }).start();
  // A burst of 33,333 events in one turn of the event loop is more than the default 4 MiB
  // a client may fall behind (it would be dropped and reconnect to a snapshot, by design);
  // room for it here measures what streaming every event costs.
  const watchedServer = await new HealthServer(watchedHost, { port: 0, maxClientBuffer: 64 << 20 }).start();
  // Nobody connected anywhere: the server only listens.
  const [bare, idle] = await rounds(bareHost, idleHost);
  // One client on the watched host's server, in its own process.
  const client = await reader(`${watchedServer.url}/events`);
  const [bareAgain, watched] = await rounds(bareHost, watchedHost);
  const seen = await client.stop();
  await Promise.all([idleServer.close(), watchedServer.close()]);
  for (const host of [bareHost, idleHost, watchedHost]) await host.stop();

  const metric = (what: string) => `W1 start+stop, ${what}`;
  return [
    row({
      workload: 'W7', metric: metric('health server, no client'), unit: 'ms',
      rxmode: idle, baseline: bare, baselineName: 'no server',
      target: '<= 1.1x', limit: { of: 'ratio', max: 1.1 },
    }),
    row({
      workload: 'W7', metric: metric('one /events client'), unit: 'ms',
      rxmode: watched, baseline: bareAgain, baselineName: 'no server',
      extra: { eventsRead: seen.events, megabytesRead: Math.round(seen.bytes / 1e5) / 10, connections: seen.connections, rounds: WARMUP + REPS },
    }),
  ];
}
