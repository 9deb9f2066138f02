// `npm run check:package`: the package as a user gets it. Packs rxmode (which builds
// dist/ through `prepare`), installs the tarball into a fresh project that already
// depends on rxjs 7.8.1, and checks, from the user's side:
//   - the tarball holds LICENSE, and source maps that carry their sources;
//   - one copy of rxjs (`npm ls rxjs`), so rxmode's Observables are the project's;
//   - TestScheduler.run drives a service's one-hour sleep$ and sleep to their end;
//   - nothing set up, a crash in Node is a pino JSON line on stdout;
//   - a browser-only TypeScript project (lib es2022 + dom, with esnext.disposable and
//     without, types [], skipLibCheck false) type-checks against it, and a bad Duration
//     there does not compile;
//   - the README's 20-line example compiles as the README says and prints what it says;
//   - the README's other ```ts blocks, each with the imports it leaves out and stand-ins for
//     the names it takes from other blocks, compile (one tsc run), and those that can run
//     quickly (services' states, signals, logging, TestScheduler, checkLifecycle) print what
//     their comments say;
//   - the browser bundle sizes (scripts/size.mjs), and the README's figures for them.
// Needs the npm registry (rxjs 7.8.1 and rxmode's dependencies; the npm cache is used
// when it has them). Prints one line per check; exits 1 if any failed.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kb, measure, SERVICE_LIMIT, table } from './size.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const failures = [];
const started = Date.now();

function check(name, fn) {
  return Promise.resolve()
    .then(fn)
    .then(
      (detail) => console.log(`ok   ${name}${detail ? `: ${detail}` : ''}`),
      (error) => {
        failures.push(name);
        console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
}

function run(cmd, args, cwd, options = {}) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (error) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`.trim());
  }
}

const work = mkdtempSync(join(tmpdir(), 'rxmode-package-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const app = join(work, 'app');
mkdirSync(app);

// ---- pack ---------------------------------------------------------------------------------
const packed = JSON.parse(run(NPM, ['pack', '--json', '--pack-destination', work], ROOT, { env: { ...process.env, npm_config_loglevel: 'error' } }))[0];
const tarball = join(work, packed.filename);
const files = new Set(packed.files.map((f) => f.path));

await check('tarball holds LICENSE, README and CHANGELOG', () => {
  for (const name of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']) if (!files.has(name)) throw new Error(`no ${name}`);
  return `${packed.files.length} files, ${kb(packed.size)} packed`;
});

await check('tarball holds a source map with its sources for each module', () => {
  const modules = [...files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
  const missing = modules.filter((f) => !files.has(`${f}.map`));
  if (missing.length > 0) throw new Error(`no map for ${missing.slice(0, 3).join(', ')}`);
  const map = JSON.parse(readFileSync(join(ROOT, 'dist', 'service', 'service.js.map'), 'utf8'));
  if (!map.sourcesContent?.[0]?.includes('class Service')) throw new Error('dist/service/service.js.map has no sourcesContent');
  return `${modules.length} modules, ${modules.length} maps`;
});

// ---- a project that already uses rxjs 7.8.1 -------------------------------------------------
// It has fast-check as well: rxmode/testing's types name fast-check's (its optional peer), and
// the browser project below imports rxmode/testing, as a user of the kit would.
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module', dependencies: { rxjs: '7.8.1', 'fast-check': '^4.0.0' } }, null, 2),
);
run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], app);

await check('one copy of rxjs (npm ls rxjs)', () => {
  const paths = run(NPM, ['ls', 'rxjs', '--all', '--parseable'], app).trim().split('\n').filter(Boolean);
  const unique = [...new Set(paths)];
  const version = JSON.parse(readFileSync(join(app, 'node_modules', 'rxjs', 'package.json'), 'utf8')).version;
  if (unique.length !== 1) throw new Error(`${unique.length} copies:\n${unique.join('\n')}`);
  if (existsSync(join(app, 'node_modules', 'rxmode', 'node_modules', 'rxjs'))) throw new Error('rxmode has its own rxjs');
  return `rxjs ${version}, shared`;
});

writeFileSync(
  join(app, 'virtual-time.mjs'),
  `import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service } from 'rxmode';

const scheduler = new TestScheduler((a, b) => { if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('marbles differ'); });
const svc = new Service({ name: 'Sleeper' });
if (!(svc.state$ instanceof Observable)) throw new Error('state$ is not an Observable of the project\\'s rxjs');
let observableEnd;
let promise;
scheduler.run(({ flush }) => {
  svc.start$().subscribe();
  svc.sleep$('1h').subscribe({ complete: () => (observableEnd = scheduler.now()) });
  promise = svc.sleep('1h').then(() => scheduler.now());
  flush();
});
const promiseEnd = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('still sleeping'), 2000))]);
console.log(JSON.stringify({ observableEnd, promiseEnd }));
`,
);
await check('TestScheduler.run drives a one-hour sleep$ and sleep to their end', () => {
  const out = JSON.parse(run(process.execPath, ['virtual-time.mjs'], app, { timeout: 20_000 }));
  if (out.observableEnd !== 3_600_000) throw new Error(`sleep$('1h') ended at ${out.observableEnd} (expected 3600000 virtual ms)`);
  if (out.promiseEnd !== 3_600_000) throw new Error(`sleep('1h') ended at ${out.promiseEnd}`);
  return 'both ended at 3,600,000 virtual ms';
});

writeFileSync(
  join(app, 'default-logging.mjs'),
  `import { Service } from 'rxmode';
const svc = new Service({ name: 'Doomed' });
await svc.start();
await svc.crash(new Error('boom'));
`,
);
await check('with nothing set up, a crash in Node is a pino JSON line on stdout', () => {
  const out = run(process.execPath, ['default-logging.mjs'], app, { timeout: 20_000 }).trim();
  const record = JSON.parse(out);
  if (record.level !== 50 || record.label !== 'Doomed' || record.err?.message !== 'boom') throw new Error(out);
  return out.slice(0, 60) + '...';
});

// ---- a browser-only TypeScript project --------------------------------------------------------
const web = join(app, 'web');
mkdirSync(web);
writeFileSync(
  join(web, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'es2022',
        module: 'esnext',
        moduleResolution: 'bundler',
        lib: ['es2022', 'dom', 'esnext.disposable'],
        types: [],
        skipLibCheck: false,
        strict: true,
        noEmit: true,
      },
      files: ['main.ts'],
    },
    null,
    2,
  ),
);
writeFileSync(
  join(web, 'main.ts'),
  `import { type Logger, OneForOneSupervisor, Service, Signal, getLogger, setupLogging, supervise, task, timer } from 'rxmode';
import { inspectService, stateLetters } from 'rxmode/testing';
import { interval } from 'rxjs';

class Ticker extends Service {
  static override label = 'Ticker';
  @timer('1s') tick() {}
  @task beat() { return interval(1000, this.scheduler); }
}
const log: Logger = getLogger('web');
const ticker = new Ticker({ logger: log });
const moved = new Signal<{ x: number }, Ticker>({ name: 'moved', owner: ticker, defaultSender: ticker });
new OneForOneSupervisor({ services: [ticker], maxRestarts: 3, over: '1m' });
interval(10).pipe(supervise({ maxRestarts: 3, over: '10s' }));
stateLetters(ticker).subscribe();
setupLogging({ level: 'info', pretty: true });
void moved.send({ x: 1 });
void inspectService(ticker).liveWork;

class Bad extends Service {
  // @ts-expect-error: 'soon' is not a Duration
  @timer('soon') tick() {}
}
// @ts-expect-error: 'a minute' is not a Duration
supervise({ maxRestarts: 3, over: 'a minute' });
export { Bad };
`,
);
await check('a browser-only TypeScript project type-checks against it', () => {
  run(TSC, ['-p', web], web);
  // And with TypeScript's default lib for es2022 (es2022 and dom): rxmode's .d.ts bring the
  // esnext.disposable lib their Disposable and Symbol.asyncDispose need themselves.
  const tsconfig = JSON.parse(readFileSync(join(web, 'tsconfig.json'), 'utf8'));
  delete tsconfig.compilerOptions.lib;
  writeFileSync(join(web, 'tsconfig.default-lib.json'), JSON.stringify(tsconfig));
  run(TSC, ['-p', join(web, 'tsconfig.default-lib.json')], web);
  return 'lib es2022+dom+esnext.disposable, and the default lib; types [], skipLibCheck false; bad Durations refused';
});

// ---- the README's example, done as the README says ----------------------------------------------
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const example = /## In 20 lines\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
await check("the README's 20-line example compiles and prints what it says", async () => {
  if (!example) throw new Error('no ```ts block under "## In 20 lines" in README.md');
  const hello = join(app, 'hello');
  mkdirSync(hello);
  writeFileSync(join(hello, 'package.json'), JSON.stringify({ type: 'module' }));
  // The tsconfig.json the README has the reader write, as it is. The README has the reader
  // install typescript and @types/node; the repo's stand in for them (typeRoots only says where
  // the repo's @types are: which of them load is the README's choice).
  writeFileSync(join(hello, 'tsconfig.json'), JSON.stringify(readmeTsconfig()));
  writeFileSync(join(hello, 'app.ts'), example);
  run(TSC, ['-p', hello], hello);
  const shown = /\$ node app\.js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const expected = shown.split('\n').filter((line) => line.includes(' -> ') || line.includes('alive') || line.includes('Starting'));
  if (expected.length === 0) throw new Error('no output shown after the example');
  const output = await runUntil(join(hello, 'app.js'), /\[\^App\]: alive/, 12_000);
  const strip = (line) => line.replace(/^\^C/, '').replace(/^\[[^\]]*\]: /, '');
  const got = output.split('\n').map(strip);
  const missing = expected.map(strip).filter((line) => !got.includes(line));
  if (missing.length > 0) throw new Error(`missing from the output: ${missing.join(' | ')}\noutput:\n${output}`);
  return `${got.filter(Boolean).length} lines, as shown`;
});

/** The README's `echo '{...}' > tsconfig.json` line, with the repo's @types as its type roots. */
function readmeTsconfig() {
  const line = /^\$ echo '(\{.*\})' > tsconfig\.json$/m.exec(readme)?.[1];
  if (!line) throw new Error("no `$ echo '{...}' > tsconfig.json` line in README.md");
  const tsconfig = JSON.parse(line);
  tsconfig.compilerOptions.typeRoots = [join(ROOT, 'node_modules', '@types')];
  return tsconfig;
}

// ---- every other ```ts block of the README -------------------------------------------------------
// The Guides' blocks are fragments: they leave out their imports and take a few names from
// other blocks. Each becomes a module of its own: a preamble imports each name it uses from the
// first of ENTRY_POINTS that exports it (so `timer` is rxmode's decorator, not rxjs's), and
// STAND_INS define the names it takes from elsewhere. One tsc run type-checks them all; the
// blocks in RUNS then run, and what each prints is compared with what its comments say.
const ENTRY_POINTS = ['rxmode', 'rxmode/node', 'rxmode/testing', 'rxjs', 'rxjs/testing'];
// The names a block takes from another block or from the reader's setup. Keep this short: a new
// block that needs more should rather say where its names come from. A `declare` one only
// compiles, so a block that uses one cannot be in RUNS.
const STAND_INS = {
  app: "const app = new Service({ name: 'App' });", // the 20-line example's app (a Signal's sender, a supervisor's parent)
  App: 'class App extends Service {}', // the 20-line example's class (given to a Worker)
  db: "const db = new Service({ name: 'Db' });", // the Services block's db (supervised)
  flaky$: 'declare const flaky$: Observable<unknown>;', // any Observable that fails now and then
  Ticker: /^class Ticker .*$/m.exec(readme)?.[0] ?? '', // the testing block's, for checkLifecycle's block
  // The reader's test framework's (jasmine, Jest, Vitest), as much of it as the testing block uses.
  expect:
    'const expect = (actual: unknown) => ({ toEqual(expected: unknown) {' +
    ' if (JSON.stringify(actual) !== JSON.stringify(expected))' +
    " throw new Error('marbles differ:\\n  got      ' + JSON.stringify(actual) + '\\n  expected ' + JSON.stringify(expected)); } });",
};
// The blocks that run (quickly, deterministically, nothing but this process), each found by
// what it holds, with the lines it must print (stdout, in order) taken from its comments.
const RUNS = [
  {
    holds: /\.state\$\.subscribe\(/,
    claim: 'prints the states its comment names',
    prints: (code) => /state\$\.subscribe\(.*\/\/\s*(.+)$/m.exec(code)?.[1].split(/,\s*/) ?? ['(no comment naming the states)'],
  },
  {
    holds: /new Signal\b/,
    claim: 'prints that its receiver heard the url',
    prints: (code) => [`connected to ${/send\([^,]+,\s*'([^']+)'/.exec(code)?.[1]}`],
  },
  {
    // The comment shows a line of mode's format; the block's warning must have that shape.
    holds: /getLogger\(/,
    claim: 'prints a line in the format its comment shows',
    prints: (code) => [/\/\/\s*(\[.*)$/m.exec(code)?.[1] ?? '(no line in a comment)'],
    shape: (line) => line.replace(/\d/g, '0').replace(/: [A-Z]+\]: \[[^\]]*\]: .*$/, ': LEVEL]: [label]: message'),
  },
  {
    // Its claim is its marbles, which the stand-in expect compares; it prints nothing.
    holds: /new TestScheduler\(/,
    claim: 'passes its marble test',
    prints: () => [],
  },
  {
    // A rejection ends the process with it (an unhandled rejection of the top-level await).
    holds: /await checkLifecycle\(/,
    claim: 'resolves, as its comment says',
    prints: () => [],
  },
];
const blocks = [];
{
  let heading = '';
  for (const match of readme.matchAll(/^(#{2,4}) (.*)$|^```ts\n([\s\S]*?)^```/gm)) {
    if (match[2] !== undefined) heading = match[2].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '').trim();
    else if (heading !== 'In 20 lines') {
      // That one is checked above, as a whole program compiled as the README says.
      const code = match[3];
      // Named by its heading and its first line; `line` is the README line of its first line.
      const first = code.split('\n')[0].replace(/\s*\/\/.*$/, '').trim();
      const name = `"${heading}" (${first.length > 50 ? `${first.slice(0, 49)}…` : first})`;
      blocks.push({ name, code, line: readme.slice(0, match.index).split('\n').length + 1 });
    }
  }
}
const readmeDir = join(app, 'readme');
mkdirSync(readmeDir);
writeFileSync(join(readmeDir, 'package.json'), JSON.stringify({ type: 'module' }));
writeFileSync(
  join(readmeDir, 'tsconfig.json'),
  // As the 20-line example's: the README's own tsconfig.json.
  JSON.stringify(readmeTsconfig()),
);
// What each entry point exports, as the installed package has it. Values only: a block that
// names one of rxmode's types needs a stand-in that imports it.
const exported = new Map();
for (const [entry, names] of Object.entries(
  JSON.parse(
    run(
      process.execPath,
      ['--input-type=module', '-e', `const out = {}; for (const m of ${JSON.stringify(ENTRY_POINTS)}) out[m] = Object.keys(await import(m)); console.log(JSON.stringify(out));`],
      app,
    )
      .trim()
      .split('\n')
      .at(-1),
  ),
)) {
  for (const name of names) if (/^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default' && !exported.has(name)) exported.set(name, entry);
}
for (const [i, block] of blocks.entries()) {
  block.file = `block-${i + 1}`;
  const declared = (code) => new Set([...code.matchAll(/\b(?:class|const|let|var|function)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
  const imported = new Set([...block.code.matchAll(/^import\s*\{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim().split(/\s+as\s+/).at(-1))));
  const own = new Set([...declared(block.code), ...imported]);
  const standIns = Object.entries(STAND_INS)
    .filter(([name]) => !own.has(name) && used(block.code).has(name))
    .map(([, code]) => code);
  const mine = new Set([...own, ...standIns.flatMap((code) => [...declared(code)])]);
  const byEntry = new Map();
  for (const name of used([block.code, ...standIns].join('\n'))) {
    if (mine.has(name) || !exported.has(name)) continue;
    const entry = exported.get(name);
    byEntry.set(entry, [...(byEntry.get(entry) ?? []), name]);
  }
  const preamble = [...[...byEntry].map(([entry, names]) => `import { ${names.sort().join(', ')} } from '${entry}';`), ...standIns];
  block.preambleLines = preamble.length;
  block.declares = standIns.some((code) => code.startsWith('declare '));
  writeFileSync(join(readmeDir, `${block.file}.ts`), `${preamble.join('\n')}\n${block.code}export {};\n`);
}
/**
 * The identifiers a piece of code uses: outside strings, comments and its own imports, not
 * after a dot nor as an object literal's key, and not `async`, `of` or `from` (words of the
 * language that rxjs exports too).
 */
function used(code) {
  const bare = code
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, (m) => (m.startsWith('/') ? '' : "''"))
    .replace(/^import\b[^;]*;/gm, '')
    .replace(/([{,]\s*)[A-Za-z_$][\w$]*(?=\s*:)/g, '$1');
  const words = [...bare.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)].map((m) => m[0]);
  return new Set(words.filter((word) => !['async', 'of', 'from'].includes(word)));
}
// One tsc run for them all; each error is given as the README line it is on.
const compileErrors = new Map();
try {
  run(TSC, ['-p', readmeDir], readmeDir);
} catch (error) {
  for (const line of error.message.split('\n')) {
    const at = /^(block-\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
    if (!at) continue;
    const block = blocks.find((b) => b.file === at[1]);
    const inBlock = Number(at[2]) - block.preambleLines;
    const where = inBlock >= 1 ? `README.md:${block.line + inBlock - 1}` : `its preamble line ${at[2]}`;
    compileErrors.set(block, [...(compileErrors.get(block) ?? []), `${where}: ${at[4]}`]);
  }
  if (compileErrors.size === 0) compileErrors.set({ name: 'tsc' }, [error.message]);
}
await check("the README's other examples compile against it", () => {
  if (blocks.length === 0) throw new Error('no ```ts block outside "## In 20 lines" in README.md');
  if (compileErrors.size > 0) throw new Error([...compileErrors].map(([block, errors]) => `${block.name}:\n  ${errors.join('\n  ')}`).join('\n'));
  return `${blocks.length} blocks, with their imports and ${Object.keys(STAND_INS).length} stand-ins`;
});
// The runs go side by side; each check then waits for its own.
const runs = RUNS.map((entry) => {
  const found = blocks.filter((block) => entry.holds.test(block.code));
  const block = found.length === 1 ? found[0] : null;
  const result = !block
    ? Promise.reject(new Error(`${found.length} README blocks hold ${entry.holds} (expected one)`))
    : block.declares
      ? Promise.reject(new Error('it uses a declared-only stand-in: it cannot run'))
      : runScript(join(readmeDir, `${block.file}.js`), 10_000);
  result.catch(() => {});
  return { entry, block, result };
});
for (const { entry, block, result } of runs) {
  await check(`README ${block?.name ?? entry.holds} ${entry.claim}`, async () => {
    if (block && compileErrors.has(block)) throw new Error('it does not compile (above)');
    const output = await result;
    const shape = entry.shape ?? ((line) => line);
    const got = output.split('\n').filter(Boolean);
    const expected = entry.prints(block.code);
    if (got.length !== expected.length || got.some((line, i) => shape(line) !== shape(expected[i]))) {
      throw new Error(`it printed:\n${got.join('\n') || '(nothing)'}\nits comments say:\n${expected.join('\n') || '(nothing)'}`);
    }
    return got.length > 0 ? got.join(', ') : 'printed nothing, exited 0';
  });
}

// ---- bundle sizes -------------------------------------------------------------------------
await check('browser bundles carry only what they use, within the size limit', async () => {
  const { rows, problems } = await measure(app);
  console.log(table(rows).replace(/^/gm, '       '));
  if (problems.length > 0) throw new Error(problems.join('; '));
  const service = rows[0];
  // The README gives the first two figures; they go stale silently as the core changes.
  // Within 0.1 KB, as it rounds them: the fresh project's tslib (rxjs asks for ^2.1) is
  // the registry's newest and may move the bundle a few bytes with no change of ours.
  const said = /weighs ([\d.]+) KB gzipped[\s\S]*?makes it ([\d.]+) KB/.exec(readme);
  if (!said) throw new Error("the README's figures for import { Service } are gone (\"weighs ... KB gzipped ... makes it ... KB\")");
  const off = (text, bytes) => Math.abs(Number(text) - bytes / 1024) > 0.1 + 1e-9;
  if (off(said[1], service.gzip) || off(said[2], rows[1].gzip)) {
    throw new Error(`the README says import { Service } weighs ${said[1]} KB (${said[2]} KB with rxjs's ES2015 build); measured ${kb(service.gzip)} (${kb(rows[1].gzip)})`);
  }
  return `Service ${kb(service.gzip)} gzipped (limit ${kb(SERVICE_LIMIT)}), as the README says`;
});

console.log(`\ncheck:package: ${failures.length === 0 ? 'all passed' : `${failures.length} failed`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failures.length === 0 ? 0 : 1;

/** Runs `node script` until `pattern` shows in its output (then SIGINT), bounded by `ms`. */
function runUntil(script, pattern, ms) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: dirname(script), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    let interrupted = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no ${pattern} within ${ms} ms; output:\n${output}`));
    }, ms);
    const onData = (text) => {
      output += text;
      if (!interrupted && pattern.test(output)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`exited with ${code ?? signal}; output:\n${output}`));
    });
  });
}

/** Runs `node script` to its end (within `ms`): resolves with its stdout, rejects with all it wrote. */
function runScript(script, ms) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script], { cwd: dirname(script), timeout: ms, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`exited with ${error.code ?? error.signal}:\n${`${stdout}${stderr}`.trim().slice(0, 1500)}`));
      else resolve(stdout);
    });
  });
}
