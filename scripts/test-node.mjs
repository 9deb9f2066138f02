// The Node half of `npm test`: runs the built specs (build/, from scripts/build.mjs) with
// Jasmine and spec/support/jasmine.json, printing Jasmine's usual report and then the line
// `node: N passed, N failed`. Exits non-zero when anything failed, when specs were focused
// (fit/fdescribe) and when no spec ran at all.
//
//   node scripts/test-node.mjs                                   every spec in the config
//   node scripts/test-node.mjs build/spec/time/*.spec.js --filter=toMs --seed=123
import Jasmine from 'jasmine';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const files = args.filter((arg) => !arg.startsWith('--')).map((file) => resolve(file));
const option = (name) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

const jasmine = new Jasmine({ projectBaseDir: root });
await jasmine.loadConfigFile(resolve(root, 'spec/support/jasmine.json'));
jasmine.exitOnCompletion = false;
jasmine.showColors(process.stdout.isTTY === true);
if (option('seed')) jasmine.seed(option('seed'));

let passed = 0;
let failed = 0;
jasmine.env.addReporter({
  specDone(result) {
    if (result.status === 'passed') passed += 1;
    else if (result.status === 'failed') failed += 1;
  },
  // A failing beforeAll/afterAll or a spec file that throws while loading fails no single
  // spec, yet breaks the run: count each as one failure.
  suiteDone(result) {
    if (result.failedExpectations.length > 0) failed += 1;
  },
  jasmineDone(result) {
    if (result.failedExpectations.length > 0) failed += 1;
  },
});

const outcome = await jasmine.execute(files.length > 0 ? files : undefined, option('filter'));

if (passed + failed === 0) console.error('node: no specs ran');
else if (outcome.overallStatus === 'incomplete') {
  console.error(`node: run incomplete (${outcome.incompleteReason})`);
}
console.log(`node: ${passed} passed, ${failed} failed`);
process.exit(outcome.overallStatus === 'passed' && failed === 0 && passed > 0 ? 0 : 1);
