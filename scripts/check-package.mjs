// `npm run check:package`: the package as a user gets it. Packs rxmode (which builds
// dist/ through `prepare`), installs the tarball into a fresh project that already
// depends on rxjs 7.8.1, and checks, from the user's side:
//   - the tarball holds LICENSE, and source maps that carry their sources;
//   - one copy of rxjs (`npm ls rxjs`), so rxmode's Observables are the project's;
//   - TestScheduler.run drives a service's one-hour sleep$ and sleep to their end;
//   - nothing set up, a crash in Node is a pino JSON line on stdout;
//   - a browser-only TypeScript project (lib es2022 + dom, types [], skipLibCheck false)
//     type-checks against it, and a bad Duration there does not compile;
//   - the README's 20-line example compiles as the README says and prints what it says;
//   - the browser bundle sizes (scripts/size.mjs).
// Needs the npm registry (rxjs 7.8.1 and rxmode's dependencies; the npm cache is used
// when it has them). Prints one line per check; exits 1 if any failed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kb, measure, SERVICE_TARGET, table } from './size.mjs';

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
  return 'lib es2022+dom+esnext.disposable, types [], skipLibCheck false; bad Durations refused';
});

// ---- the README's example, done as the README says ----------------------------------------------
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const example = /## In 20 lines\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
await check("the README's 20-line example compiles and prints what it says", async () => {
  if (!example) throw new Error('no ```ts block under "## In 20 lines" in README.md');
  const hello = join(app, 'hello');
  mkdirSync(hello);
  writeFileSync(join(hello, 'package.json'), JSON.stringify({ type: 'module' }));
  // The README has the reader install typescript and @types/node; the repo's stand in for them.
  writeFileSync(
    join(hello, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, typeRoots: [join(ROOT, 'node_modules', '@types')], types: ['node'] } }),
  );
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

// ---- bundle sizes -------------------------------------------------------------------------
await check('browser bundles carry only what they use, within the size limit', async () => {
  const { rows, problems } = await measure(app);
  console.log(table(rows).replace(/^/gm, '       '));
  if (problems.length > 0) throw new Error(problems.join('; '));
  const service = rows[0];
  return `Service ${kb(service.gzip)} gzipped (aim ${kb(SERVICE_TARGET)})`;
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
