// Mutation testing with StrykerJS (stryker.config.mjs), one folder of src/ at a time, each
// with its own incremental file and report under reports/mutation/. Not part of `npm test`:
// it takes minutes per folder on two cores, less once the incremental file exists.
//
//   npm run mutate                          signals, time, supervisors, service, observable, tree, logging, testing in turn
//   npm run mutate -- time signals          just those
//   npm run mutate -- time --force          every mutant again, not only the changed ones
//   npm run mutate -- time --concurrency 1  any other option goes to `stryker run`
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FOLDERS = ['signals', 'time', 'supervisors', 'service', 'observable', 'tree', 'logging', 'testing'];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stryker = resolve(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');

const args = process.argv.slice(2);
const named = args.filter((arg) => FOLDERS.includes(arg));
const passed = args.filter((arg) => !FOLDERS.includes(arg));
const unknown = passed.find((arg, i) => !arg.startsWith('-') && !passed[i - 1]?.startsWith('-'));
if (unknown !== undefined) {
  console.error(`mutate: unknown folder '${unknown}' (expected some of: ${FOLDERS.join(', ')})`);
  process.exit(2);
}

let failed = false;
for (const folder of named.length > 0 ? named : FOLDERS) {
  console.log(`\nmutate: src/${folder}/ (report: reports/mutation/${folder}.html)`);
  const run = spawnSync(process.execPath, [stryker, 'run', ...passed], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, RXMODE_MUTATE_FOLDER: folder },
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
