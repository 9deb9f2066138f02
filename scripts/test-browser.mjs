// The browser half of `npm test`: bundles the specs for the browser with esbuild, then runs
// them once in headless Chromium through Karma (karma.conf.cjs). Fails when a spec fails,
// when anything errors outside a spec, and when no spec ran at all. Ends with the line
// `browser: N passed, N failed`.
//
//   node scripts/test-browser.mjs                          every spec except spec/node/
//   node scripts/test-browser.mjs spec/time marbles/time   only specs under these paths
//
// Each run bundles into its own build-browser/<pid>/ so runs started side by side (several
// people working in one checkout) do not overwrite each other's bundle.
import { build } from 'esbuild';
import karma from 'karma';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './ensure-chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(root, 'build-browser');
const outDir = join(outRoot, String(process.pid));

function fail(message) {
  console.error(`browser: ${message}`);
  process.exit(1);
}

/** Files under `dir` (relative to the repo, '/'-separated, sorted) that satisfy `keep`. */
function filesUnder(dir, keep) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) out.push(...filesUnder(rel, keep));
    else if (keep(rel)) out.push(rel);
  }
  return out;
}

function specFiles(only) {
  const isSpec = (path) => path.endsWith('.spec.ts') && !path.startsWith('spec/node/');
  const all = [...filesUnder('spec', isSpec), ...filesUnder('marbles', isSpec)];
  if (only.length === 0) return all;
  const prefixes = only.map((arg) => relative(root, resolve(arg)).split(sep).join('/'));
  return all.filter((path) => prefixes.some((p) => path === p || path.startsWith(`${p}/`)));
}

function removeStaleBundles() {
  if (!existsSync(outRoot)) return;
  for (const name of readdirSync(outRoot)) {
    const pid = Number(name);
    let alive = false;
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (error) {
        alive = error.code === 'EPERM';
      }
    }
    if (!alive) rmSync(join(outRoot, name), { recursive: true, force: true });
  }
}

// package.json says "sideEffects": false (true of the library), which would let esbuild drop
// the entry's bare `import './spec/...'` lines, yet spec and helper files are nothing but
// side effects.
const keepTestFiles = {
  name: 'keep-test-files',
  setup(build) {
    build.onResolve({ filter: /^\.\/(spec|marbles)\// }, (args) =>
      args.resolveDir === root ? { path: join(root, args.path), sideEffects: true } : undefined,
    );
  },
};

async function bundle(helpers, specs) {
  // One synthetic entry importing helpers first (ESM evaluates imports in order), then specs.
  const contents = [...helpers, ...specs].map((path) => `import './${path}';`).join('\n');
  try {
    await build({
      stdin: { contents, resolveDir: root, sourcefile: 'browser-specs.ts', loader: 'ts' },
      bundle: true,
      outfile: join(outDir, 'specs.js'),
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      sourcemap: 'linked',
      // No bundled dependency names `process` or `global` today; should one start to, add
      // `define` entries here (e.g. { global: 'globalThis' }) instead of patching it.
      plugins: [keepTestFiles],
      logLevel: 'warning', // esbuild prints warnings and errors with their source lines
    });
  } catch {
    fail('bundling the specs failed (errors above)');
  }
}

async function runKarma() {
  const { Server, config } = karma;
  const karmaConfig = await config.parseConfig(
    join(root, 'karma.conf.cjs'),
    {},
    { promiseConfig: true, throwErrors: true },
  );
  let results;
  const exitCode = await new Promise((done) => {
    const server = new Server(karmaConfig, done);
    server.on('run_complete', (_browsers, r) => {
      results = r;
    });
    server.start();
  });
  return { exitCode, results };
}

const only = process.argv.slice(2);
const specs = specFiles(only);
// follow-work.ts and share-async-waits.ts install what rxmode's Node entry points install
// (the AsyncLocalStorage work scope; asyncScheduler's waits shared); a browser bundle of
// rxmode has neither, and esbuild would drop their bare imports anyway (package.json's
// "sideEffects"), with a warning in every run.
const NODE_ONLY_HELPERS = new Set(['spec/helpers/follow-work.ts', 'spec/helpers/share-async-waits.ts']);
const helpers = filesUnder('spec/helpers', (p) => p.endsWith('.ts') && !p.endsWith('.d.ts') && !NODE_ONLY_HELPERS.has(p));

let chrome;
try {
  chrome = ensureChromium();
} catch (error) {
  fail(error.message);
}
process.env.CHROME_BIN = chrome;
process.env.RXMODE_BROWSER_BUNDLE_DIR = relative(root, outDir).split(sep).join('/');

removeStaleBundles();
let outcome;
try {
  await bundle(helpers, specs);
  outcome = await runKarma();
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

const { exitCode, results } = outcome;
const passed = results?.success ?? 0;
// Errors outside any spec (a throw while loading, a failing afterAll, a lost browser)
// count as one failure: the run is broken even though no single spec says so.
const outsideSpecs = results && (results.error || results.disconnected) ? 1 : 0;
const failed = (results?.failed ?? 0) + outsideSpecs;
if (!results) console.error('browser: Karma finished without results (browser not captured?)');
else if (passed + failed === 0) console.error(`browser: no specs ran (${specs.length} spec files bundled)`);
if (outsideSpecs) console.error('browser: an error occurred outside the specs (see above)');
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(exitCode !== 0 || !results || failed > 0 || passed === 0 ? 1 : 0);
