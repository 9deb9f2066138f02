// Transpiles the TypeScript sources with esbuild (which lowers TC39 decorators for Node 20
// and today's browsers). `node scripts/build.mjs` writes build/ (sources, specs, marbles,
// examples and benchmarks, for the test runs); `node scripts/build.mjs dist` writes the
// package's dist/ (the library alone; its .d.ts files come from tsc), each file with a
// source map that carries its TypeScript source, so stacks and debuggers in users' programs
// show our code without shipping src/.
// Both get the live page's script bundled into src/node/live/page/script.ts (see
// page-bundle.mjs).
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage, pageScriptPlugin } from './page-bundle.mjs';

const target = process.argv[2] === 'dist' ? 'dist' : 'build';
const roots = target === 'dist' ? ['src'] : ['src', 'spec', 'marbles', 'examples', 'bench'];

function tsFiles(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

rmSync(target, { recursive: true, force: true });
const entryPoints = roots.flatMap((root) => { try { return tsFiles(root); } catch { return []; } });
const pageScript = await bundlePage(join(dirname(fileURLToPath(import.meta.url)), '..'));
await build({
  entryPoints,
  outdir: target,
  outbase: target === 'dist' ? 'src' : '.',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: target === 'dist' ? true : 'inline',
  sourcesContent: true,
  logLevel: 'warning',
  plugins: [pageScriptPlugin(pageScript)],
});
