import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, childProcessSuite, logRecords, serviceLines } from './support/child.js';
import { parseExposition } from './support/prometheus.js';

const APP = 'spec/node/fixtures/worker-app.js';
let runNode: (script: string, args?: string[], env?: Record<string, string>) => Child;

function start(args: string[] = [], fixture = 'clean', env: Record<string, string> = {}): Child {
  return runNode(APP, ['--log-format=pretty', ...args], { FIXTURE: fixture, ...env });
}

describe('Worker (in a child process)', () => {
  runNode = childProcessSuite();

  it('starts the services in order and, on SIGTERM, stops them in reverse order and exits 0 by itself', async () => {
    const child = start();
    await child.waitFor(/^READY$/m);
    child.kill('SIGTERM');
    const { code } = await child.exited();
    expect(code).toBe(0);
    const lines = serviceLines(child.stdout);
    const starts = lines.filter((l) => l.endsWith(': Starting...'));
    expect(starts).toEqual(['Worker: Starting...', 'Root: Starting...', 'Alpha: Starting...', 'Beta: Starting...', 'Gamma: Starting...']);
    const fromSignal = lines.slice(lines.indexOf('Worker: Stopping on signal received...'));
    expect(fromSignal.filter((l) => l.endsWith('Stopping...') || l.endsWith('received...'))).toEqual([
      'Worker: Stopping on signal received...',
      'Worker: Stopping...',
      'Root: Stopping...',
      'Gamma: Stopping...',
      'Beta: Stopping...',
      'Alpha: Stopping...',
    ]);
    // It ended because nothing was left open, not because the exit grace ran out.
    expect(child.stderr).not.toContain('still running');
  });

  it('SIGINT stops gracefully too, saying so on stderr', async () => {
    const child = start();
    await child.waitFor(/^READY$/m);
    child.kill('SIGINT');
    expect((await child.exited()).code).toBe(0);
    expect(child.stderr).toContain('-INT- -INT- -INT-');
    expect(serviceLines(child.stdout)).toContain('Worker: Stopping on signal received...');
  });

  it('exits 1 after a crash of the tree, with the reason logged', async () => {
    const child = start([], 'crash');
    const { code } = await child.exited();
    expect(code).toBe(1);
    const lines = serviceLines(child.stdout);
    expect(lines).toContain('Crasher: Crashed reason=Error: boom in a task');
    expect(lines).toContain('Worker: We experienced a crash! Exiting with code 1: Error: boom in a task');
    expect(child.stderr).not.toContain('still running');
  });

  it('a second signal while stopping forces the exit', async () => {
    const child = start([], 'stuck');
    await child.waitFor(/^READY$/m);
    child.kill('SIGTERM');
    await child.waitFor(/\[\^--Alpha\]: Stopping\.\.\./);
    // Alpha's onStop never ends: the first signal alone does not end the process.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(child.process.exitCode).toBeNull();
    child.kill('SIGINT');
    const { code } = await child.exited(5_000);
    expect(code).toBe(130);
    expect(child.stdout).toMatch(/\[\^Worker\]: Second signal \(SIGINT\) while stopping: forcing exit with code 130/);
  });

  it('SIGUSR1 prints the tree with states, diag flags and pending tasks, and keeps running', async () => {
    const child = start();
    await child.waitFor(/^READY$/m);
    child.kill('SIGUSR1');
    await child.waitFor(/^ {4}Gamma \[running\]$/m);
    const dump = child.stderr.slice(child.stderr.indexOf('Service tree at'));
    const lines = dump.split('\n');
    expect(lines).toContain('Worker [running]');
    expect(lines).toContain('  Root [running]');
    expect(lines).toContain('    Alpha [running]');
    expect(lines).toContain('    Beta [running] flags: WARMING');
    const beta = lines.indexOf('    Beta [running] flags: WARMING');
    expect(lines[beta + 1]).toBe('      pending:');
    expect(lines[beta + 2]).toBe('        Beta.idle');
    expect(child.process.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
  });

  it('a bad flag or value is a one-line error and exit code 2', async () => {
    for (const args of [['--log-level=loud'], ['--bogus'], ['--blocking-timeout', '10'], ['--health-port', 'http'], ['extra']]) {
      const child = runNode(APP, args);
      const { code } = await child.exited();
      expect(code).withContext(args.join(' ')).toBe(2);
      expect(child.stderr.trimEnd().split('\n').length).withContext(child.stderr).toBe(1);
      expect(child.stdout).toBe('');
    }
    const level = runNode(APP, ['--log-level', 'loud']);
    await level.exited();
    expect(level.stderr).toBe(
      "worker-app.js: --log-level: invalid log level: 'loud' (expected one of trace, debug, info, warn, error, fatal, silent)\n",
    );
  });

  it('--help prints the flags and exits 0', async () => {
    const child = runNode(APP, ['--help']);
    expect((await child.exited()).code).toBe(0);
    for (const flag of ['--log-level', '--log-file', '--quiet', '--debug', '--blocking-timeout', '--health-port', '--help', '(fixture)']) {
      expect(child.stdout).toContain(flag);
    }
  });

  it('writes pino JSON lines with label and depth when stdout is not a terminal', async () => {
    const child = runNode(APP, [], { FIXTURE: 'clean' });
    await child.waitFor(/^READY$/m);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    const records = logRecords(child.stdout);
    expect(records.find((r) => r.label === 'Gamma' && r.msg === 'Starting...')).toEqual(
      jasmine.objectContaining({ label: 'Gamma', depth: 3, level: 30 }),
    );
    expect(records.some((r) => r.label === 'Worker' && r.depth === 1 && r.msg === 'Stopping on signal received...')).toBeTrue();
  });

  it('--log-file writes the log there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxmode-worker-'));
    try {
      const file = join(dir, 'logs', 'app.log');
      const child = runNode(APP, ['--log-file', file, '--debug'], { FIXTURE: 'clean' });
      await child.waitFor(/^READY$/m);
      child.kill('SIGTERM');
      expect((await child.exited()).code).toBe(0);
      expect(child.stdout).toBe('READY\n');
      const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; level: number });
      expect(records.some((r) => r.msg === 'Stopping on signal received...')).toBeTrue();
      expect(records.some((r) => r.level === 20)).withContext('--debug logs debug lines').toBeTrue();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--quiet silences say()', async () => {
    const child = start(['--quiet']);
    await child.waitFor(/Gamma\]: Starting\.\.\./);
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    expect((await child.exited()).code).toBe(0);
    expect(child.stdout).not.toContain('READY');
    expect(child.stderr).not.toContain('-INT-');
  });

  it('reports what is still open when the process does not end by itself after stop, then exits', async () => {
    const child = start([], 'leak');
    await child.waitFor(/^READY$/m);
    child.kill('SIGTERM');
    const { code } = await child.exited();
    expect(code).toBe(0);
    expect(child.stderr).toMatch(/still running 500 ms after stop \(open: .*Timeout.*\); exiting/);
  });

  it('reports a blocked event loop while it is blocked, naming the timer', async () => {
    const child = start(['--blocking-timeout=300ms'], 'block');
    // The spin's report, then the spin's end: a loaded machine can stall the program past
    // the timeout before the spin too, and the end of that block is logged as well.
    await child.waitFor(/Blocking detected \(timeout=0\.3s\): .* while running Spinner\.spin/);
    await child.waitFor(/The event loop was blocked for/);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    const watchdog = child.stderr.indexOf('Blocking detected (timeout=0.3s)');
    expect(watchdog).toBeGreaterThanOrEqual(0);
    expect(child.stderr).toMatch(/\[\^-BlockingDetector\]: Blocking detected \(timeout=0\.3s\): the event loop has been blocked for \d\.\ds while running Spinner\.spin/);
  });

  it('counts a blocked event loop in /metrics', async () => {
    const child = start(['--blocking-timeout=300ms', '--health-port', '0'], 'block');
    const [, url] = await child.waitFor(/Health probes on (http:\/\/127\.0\.0\.1:\d+)/);
    await child.waitFor(/The event loop was blocked for/);
    const metrics = parseExposition(await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text());
    expect(metrics.value('rxmode_event_loop_blocked_seconds_total')).toBeGreaterThanOrEqual(0.3);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
  });

  it('serves the health probes with --health-port', async () => {
    const child = start(['--health-port', '0']);
    const [, url] = await child.waitFor(/Health probes on (http:\/\/127\.0\.0\.1:\d+)/);
    await child.waitFor(/^READY$/m);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    expect(ready.status).toBe(200);
    const status = (await (await fetch(`${url}/status`, { signal: AbortSignal.timeout(5_000) })).json()) as { tree: { label: string } };
    expect(status.tree.label).toBe('Worker');
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    await expectAsync(fetch(`${url}/livez`, { signal: AbortSignal.timeout(5_000) })).toBeRejected();
  });
});
