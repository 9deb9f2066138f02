// StrykerJS, run by `npm run mutate` (scripts/mutate.mjs), one folder of src/ at a time:
// RXMODE_MUTATE_FOLDER names it, and gives the folder its own incremental file and reports.
//
// How it runs our specs: Stryker copies the project into .stryker-tmp/, rewrites the
// src/ files it mutates (every mutant in the code at once, switched on by id at run time),
// then `buildCommand` runs the usual esbuild build over that copy, and the Jasmine runner
// loads the built specs from build/ (spec/support/jasmine-mutate.json). Mutants are
// switched at run time, so one build serves every mutant.
const folder = process.env.RXMODE_MUTATE_FOLDER ?? 'signals';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jasmine',
  jasmineConfigFile: 'spec/support/jasmine-mutate.json',
  buildCommand: 'node scripts/build.mjs',
  mutate: [`src/${folder}/**/*.ts`, `!src/${folder}/index.ts`],
  // No typescript-checker: it drives the TypeScript compiler API (createSolutionBuilder),
  // and the `typescript` 7 package is the native compiler with no such API. A mutant that
  // would not compile still runs as JavaScript (esbuild strips types), so it is killed or
  // survives on its behaviour.
  checkers: [],
  // Stryker also reads `tsconfigFile` through that API, to rewrite its `extends` and
  // `references` paths for the copy; ours has neither, so it points at no file and is
  // copied as it is.
  tsconfigFile: 'no-tsconfig-paths-to-rewrite',
  // As `npm run test:node`: the specs that check what the signals let go run only where
  // the garbage collector can be called.
  testRunnerNodeArgs: ['--expose-gc'],
  // Only the specs that reach a mutant run for it.
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant, a static field's default) is reached while
  // the modules load, before any spec; the Jasmine runner cannot reload modules, so each
  // would cost a fresh process and the whole suite. They are counted as ignored instead.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${folder}.incremental.json`,
  // Two cores on the machines this runs on; override with --concurrency.
  concurrency: 2,
  timeoutMS: 10_000,
  // The first, instrumented run of the whole suite takes 1.5 to 3 minutes on two busy
  // cores (the cron$ property spec alone about 45 s); Stryker's default limit is 5.
  dryRunTimeoutMinutes: 20,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${folder}.html` },
  jsonReporter: { fileName: `reports/mutation/${folder}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 95, low: 90, break: null },
  ignorePatterns: ['build', 'dist', 'build-browser', 'bench/results', 'reports', '.scratch'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
