// The core entry `rxmode` runs in browsers too, so nothing under src/ except src/node/ may
// import a Node builtin (`node:fs`, `fs`, `events`, `worker_threads`, ...). Fails naming
// each offending file and line. Runs at the front of `npm run typecheck`.
//
// Imports, re-exports, dynamic import() and require() with a string literal all count,
// `import type` too (it ties the core's types to @types/node). Comments are ignored, so a
// TSDoc @example may still show Node code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
const builtins = new Set(builtinModules.map((name) => name.split('/')[0]));

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(name)) out.push(path);
  }
  return out;
}

/**
 * `text` with comments blanked out (newlines kept, so positions stay right), and which
 * characters sit inside a string literal (so `"from 'fs'"` in a message is no import).
 */
function scan(text) {
  let code = '';
  const inString = new Uint8Array(text.length);
  let i = 0;
  let quote = '';
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (quote) {
      inString[i] = 1;
      code += c;
      if (c === '\\' && next !== undefined) {
        inString[i + 1] = 1;
        code += next;
        i += 2;
        continue;
      }
      if (c === quote || (c === '\n' && quote !== '`')) quote = '';
      i += 1;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') {
        code += ' ';
        i += 1;
      }
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      code += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      if (c === "'" || c === '"' || c === '`') quote = c;
      code += c;
      i += 1;
    }
  }
  return { code, inString };
}

const SPECIFIER = [
  /\bfrom\s*(['"])([^'"\n]+)\1/g, // import ... from 'x', export ... from 'x'
  /\bimport\s*(['"])([^'"\n]+)\1/g, // import 'x'
  /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g, // import('x')
  /\brequire\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g, // require('x')
];

function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]);
}

const problems = [];
for (const file of sourceFiles(join(root, 'src'))) {
  const rel = relative(root, file).split(sep).join('/');
  if (rel.startsWith('src/node/')) continue;
  const { code, inString } = scan(readFileSync(file, 'utf8'));
  for (const pattern of SPECIFIER) {
    for (const match of code.matchAll(pattern)) {
      if (inString[match.index] || !isNodeBuiltin(match[2])) continue;
      const line = code.slice(0, match.index + match[0].length).split('\n').length;
      problems.push({ rel, line, text: `${rel}:${line}: imports Node builtin '${match[2]}'` });
    }
  }
}
problems.sort((a, b) => a.rel.localeCompare(b.rel) || a.line - b.line);

if (problems.length > 0) {
  for (const problem of problems) console.error(problem.text);
  console.error(
    `check-core: ${problems.length} Node import(s) outside src/node/; the core must run in browsers (move Node code under src/node/).`,
  );
  process.exit(1);
}
