// `npm run size`: what a browser bundle of a few typical imports of rxmode weighs, built
// as an application would build it (esbuild, minified, es2022, platform browser), from
// the package as installed (its package.json "exports" and "sideEffects"). For each:
// the whole bundle minified and gzipped, its size without rxjs (the same bundle with rxjs
// left out, since an application already has rxjs), and which of pino, cron-parser and
// luxon it carries: each should appear only where the import uses it.
//
//   node scripts/size.mjs                  measure this checkout's dist/ (npm run build first)
//   node scripts/size.mjs --check          and fail when a limit below is broken
//   node scripts/size.mjs --from DIR       measure the rxmode installed under DIR/node_modules
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/**
 * The largest gzipped browser bundle of `import { Service } from 'rxmode'`, in bytes: 16 KB,
 * issue 15's limit. First met on 1 December 2026, at 16,311 bytes (16,863 before): the
 * wait groups that let a stop end a thousand sleeps by cancelling one timer moved to the
 * entry points as Node loads them (`src/time/share-async-waits.ts`; 0.4 KB, hooks and
 * all, since the core now only asks `groupsOn(scheduler)?.wait(...)`), the Worker's
 * stack-frame patterns to the Worker (23 bytes), and the core no longer guesses at TC39
 * AsyncContext, which no runtime ships (98). With rxjs's ES2015 build (an application's
 * `conditions: ['es2015']`, the row below it) the same import is 15,255 bytes. How the
 * bundle came down from 22 KB, and what each part weighs, is in docs/developing.md.
 *
 * What would add to it: pino, about 6 KB; a `from`, `of` or `concat` of rxjs in the core,
 * 0.7 KB; a `defer`, `race` or `takeUntil`, 1.4 KB (see `src/observable/to-observable.ts`);
 * the first of rxjs's operators (`map`, `take`, `tap`, `filter`...) or
 * `firstValueFrom`/`lastValueFrom`, 0.2 KB or more with OperatorSubscriber and lift
 * (`src/observable/value-from.ts`); the Timer (what `@timer` needs) in place of
 * `itertimer`'s own loop, 0.8 KB; the wait groups back in the core, 0.4 KB; Node 24's
 * AsyncLocalStorage work scope imported from the core rather than from the Node entry
 * points, 0.15 KB (`src/service/async-local-scope.ts`).
 */
export const SERVICE_LIMIT = 16 * 1024;

const CASES = [
  { name: 'Service', code: "import { Service } from 'rxmode'; console.log(Service);", carries: [] },
  // The same import where the application resolves rxjs's ES2015 build (esbuild's
  // `conditions: ['es2015']`, webpack's `resolve.conditionNames`): ES
  // classes rather than esm5's and tslib's helpers.
  {
    name: 'Service, rxjs es2015',
    code: "import { Service } from 'rxmode'; console.log(Service);",
    carries: [],
    conditions: ['es2015'],
  },
  { name: 'Service, task, timer', code: "import { Service, task, timer } from 'rxmode'; console.log(Service, task, timer);", carries: [] },
  { name: 'Service, crontab', code: "import { Service, crontab } from 'rxmode'; console.log(Service, crontab);", carries: ['cron-parser', 'luxon'] },
  { name: 'Service, setupLogging', code: "import { Service, setupLogging } from 'rxmode'; console.log(Service, setupLogging);", carries: ['pino'] },
  { name: 'OneForOneSupervisor', code: "import { OneForOneSupervisor } from 'rxmode'; console.log(OneForOneSupervisor);", carries: [] },
  { name: 'supervise', code: "import { supervise } from 'rxmode'; console.log(supervise);", carries: [] },
  { name: 'Signal, SyncSignal', code: "import { Signal, SyncSignal } from 'rxmode'; console.log(Signal, SyncSignal);", carries: [] },
];
const WATCHED = ['pino', 'cron-parser', 'luxon'];

/** Bundles `code` as an application in `dir` would; returns bytes and the packages in it. */
export async function bundle(code, dir, external = [], conditions = undefined) {
  const result = await build({
    stdin: { contents: code, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    external,
    ...(conditions && { conditions }),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0].contents;
  const packages = new Set();
  for (const [path, input] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path.slice(path.lastIndexOf('node_modules/')));
    if (match && input.bytesInOutput > 0) packages.add(match[1]);
  }
  return { min: bytes.length, gzip: gzipSync(bytes).length, packages };
}

/** Measures every case from `dir`; returns the rows and the problems found. */
export async function measure(dir) {
  const rows = [];
  const problems = [];
  for (const c of CASES) {
    const all = await bundle(c.code, dir, [], c.conditions);
    const own = await bundle(c.code, dir, ['rxjs', 'rxjs/*'], c.conditions);
    const carried = WATCHED.filter((name) => all.packages.has(name));
    rows.push({ name: c.name, min: all.min, gzip: all.gzip, own: own.gzip, carried });
    const extra = carried.filter((name) => !c.carries.includes(name));
    if (extra.length > 0) problems.push(`import { ${c.name} } carries ${extra.join(', ')}, which it does not use`);
  }
  const service = rows[0];
  if (service.gzip > SERVICE_LIMIT) {
    problems.push(`import { Service } is ${kb(service.gzip)} gzipped, over the ${kb(SERVICE_LIMIT)} limit`);
  }
  return { rows, problems };
}

export function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function table(rows) {
  const lines = [
    `${'import'.padEnd(24)}${'minified'.padStart(10)}${'gzipped'.padStart(10)}${'without rxjs'.padStart(14)}  carries`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(24)}${kb(r.min).padStart(10)}${kb(r.gzip).padStart(10)}${kb(r.own).padStart(14)}  ${r.carried.join(', ') || '-'}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const from = args.includes('--from') ? resolve(args[args.indexOf('--from') + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { rows, problems } = await measure(from);
  console.log(table(rows));
  console.log(
    `\nKB = 1024 bytes; without rxjs = the same bundle with rxjs left out (the application has it anyway). Limit for Service: ${SERVICE_LIMIT.toLocaleString("en")} bytes gzipped.`,
  );
  if (problems.length > 0) {
    for (const problem of problems) console.error(`size: ${problem}`);
    if (args.includes('--check')) process.exit(1);
  }
}
