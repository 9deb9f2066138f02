// `npm run docs`: the API reference, made by TypeDoc from the TSDoc in src/, into docs/api/
// (git-ignored; open docs/api/index.html). TypeDoc 0.28 needs TypeScript's JavaScript API
// (5.x-6.0), which TypeScript 7 no longer ships, so TypeDoc and a TypeScript 6 for it live
// in scripts/typedoc/ with their own lockfile, installed on first use.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, 'scripts', 'typedoc');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (!existsSync(join(tools, 'node_modules', 'typedoc'))) {
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tools, stdio: 'inherit' });
}
execFileSync(process.execPath, [join(tools, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--options', 'typedoc.json', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
