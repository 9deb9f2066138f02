import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository root (this file is build/spec/node/support/child.js once built). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

let programs: Promise<string> | undefined;

/**
 * A private transpile of src/, examples/ and the fixtures (esbuild, as scripts/build.mjs
 * does) for the child processes to run. Children start over many seconds, and in a shared
 * checkout someone else's `node scripts/build.mjs` may empty build/ meanwhile; their own
 * copy makes these specs immune to that. Removed when the spec process exits.
 */
export function programsDir(): Promise<string> {
  programs ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxmode-programs-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const entryPoints = ['src', 'examples', join('spec', 'node', 'fixtures')].flatMap((d) => tsFiles(join(ROOT, d)));
    // The live page's script goes in as scripts/build.mjs puts it in.
    const page = (await import(pathToFileURL(join(ROOT, 'scripts', 'page-bundle.mjs')).href)) as {
      bundlePage(root: string): Promise<string>;
      pageScriptPlugin(script: string): Plugin;
    };
    await build({
      entryPoints,
      outdir: dir,
      outbase: ROOT,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      sourcemap: 'inline',
      logLevel: 'error',
      plugins: [page.pageScriptPlugin(await page.bundlePage(ROOT))],
    });
    return dir;
  })();
  return programs;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/** A program running in a child process, with its output collected and bounded waits. */
export interface Child {
  readonly process: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when `pattern` has appeared in stdout or stderr; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal) ; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<ChildProcess>();

/** Runs `node <dir>/<script> ...args`, `dir` being {@link programsDir} (await it first). */
export function runNode(dir: string, script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [join(dir, script), ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitWaiters: Array<() => void> = [];
  const outputWaiters = new Set<() => void>();
  const child: Child = {
    process: proc,
    stdout: '',
    stderr: '',
    waitFor(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = child.stdout.match(pattern) ?? child.stderr.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (exit) {
            done();
            reject(new Error(`exited (${exit.code ?? exit.signal}) before ${pattern}\nstdout:\n${child.stdout}\nstderr:\n${child.stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${child.stdout}\nstderr:\n${child.stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          outputWaiters.delete(check);
          const index = exitWaiters.indexOf(check);
          if (index >= 0) exitWaiters.splice(index, 1);
        };
        outputWaiters.add(check);
        exitWaiters.push(check);
        check();
      });
    },
    exited(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        if (exit) return resolve(exit);
        const timer = setTimeout(() => {
          reject(new Error(`still running after ${timeoutMs} ms\nstdout:\n${child.stdout}\nstderr:\n${child.stderr}`));
        }, timeoutMs);
        exitWaiters.push(() => {
          clearTimeout(timer);
          resolve(exit!);
        });
      });
    },
    kill(signal) {
      proc.kill(signal);
    },
  };
  proc.stdout!.setEncoding('utf8').on('data', (text: string) => {
    child.stdout += text;
    for (const waiter of [...outputWaiters]) waiter();
  });
  proc.stderr!.setEncoding('utf8').on('data', (text: string) => {
    child.stderr += text;
    for (const waiter of [...outputWaiters]) waiter();
  });
  proc.on('close', (code, signal) => {
    exit = { code, signal };
    running.delete(proc);
    for (const waiter of [...exitWaiters]) waiter();
  });
  return child;
}

/**
 * Sets up the enclosing `describe` for specs that run programs in child processes: the
 * programs built once (beforeAll), a 30 s spec timeout (child processes take real time;
 * each wait inside has its own, shorter bound), and whatever a failed spec left running
 * killed after it. Returns `runNode` bound to the built programs.
 *
 * @example
 * describe('the tutorial', () => {
 *   const runNode = childProcessSuite();
 *   it('starts', async () => { const child = runNode('examples/tutorial.js'); ... });
 * });
 */
export function childProcessSuite(): (script: string, args?: string[], env?: Record<string, string>) => Child {
  let dir: string | undefined;
  let savedTimeout: number;
  beforeAll(async () => {
    savedTimeout = jasmine.DEFAULT_TIMEOUT_INTERVAL;
    jasmine.DEFAULT_TIMEOUT_INTERVAL = 30_000;
    dir = await programsDir();
  }, 60_000);
  afterAll(() => {
    jasmine.DEFAULT_TIMEOUT_INTERVAL = savedTimeout;
  });
  afterEach(() => killAll());
  return (script, args, env) => {
    if (!dir) throw new Error('childProcessSuite: programs not built yet (call runNode inside a spec)');
    return runNode(dir, script, args, env);
  };
}

/** Kills whatever a failed spec left running (call from afterEach). */
export function killAll(): void {
  for (const proc of running) proc.kill('SIGKILL');
  running.clear();
}

/** The JSON log records (pino's lines) in `text`, skipping any other line. */
export function logRecords<R = { level: number; msg: string; label?: string; depth?: number; name?: string }>(text: string): R[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as R);
}

/** The `msg` of each service line in `text` (mode's pretty lines), as `label: msg`. */
export function serviceLines(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: [A-Z]+\]: \[\^-*([^\]]+)\]: (.*)$/.exec(line);
    if (match) out.push(`${match[1]}: ${match[2]}`);
  }
  return out;
}
