// The live page's script (src/node/live/page/main.ts and what it imports, rxjs included)
// bundled for browsers, and an esbuild plugin that puts it into
// src/node/live/page/script.ts as a string, so the health server serves it inline from
// its own code: no second file to find at run time, whatever bundles the package later.
// Used by scripts/build.mjs (build/ and dist/) and by spec/node/support/child.ts.
import { build } from 'esbuild';
import { join } from 'node:path';

const ENTRY = join('src', 'node', 'live', 'page', 'main.ts');
const SCRIPT_MODULE = /[\\/]src[\\/]node[\\/]live[\\/]page[\\/]script\.ts$/;

/** The page's script, minified, as one IIFE. */
export async function bundlePage(root) {
  const result = await build({
    entryPoints: [join(root, ENTRY)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** An esbuild plugin that makes script.ts export `script` as PAGE_SCRIPT. */
export function pageScriptPlugin(script) {
  return {
    name: 'rxmode-page-script',
    setup(build) {
      build.onLoad({ filter: SCRIPT_MODULE }, () => ({
        contents: `export const PAGE_SCRIPT = ${JSON.stringify(script)};\n`,
        loader: 'js',
      }));
    },
  };
}
