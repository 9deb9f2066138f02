import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { type Child, childProcessSuite } from './support/child.js';

const APP = 'spec/node/fixtures/worker-app.js';
let runNode: (script: string, args?: string[], env?: Record<string, string>) => Child;

function start(fixture: string, args: string[] = [], env: Record<string, string> = {}): Child {
  return runNode(APP, ['--log-format=pretty', ...args], { FIXTURE: fixture, ...env });
}

/** A TCP connection to the console, with what it received so far. */
interface Conversation {
  socket: Socket;
  received(): string;
  /** Resolves once `pattern` was received; rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  closed: Promise<void>;
}

function talk(port: number): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    let text = '';
    const waiters = new Set<() => void>();
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      for (const waiter of [...waiters]) waiter();
    });
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        received: () => text,
        waitFor: (pattern, ms = 5_000) =>
          new Promise<void>((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`no ${pattern} within ${ms} ms; got:\n${text}`)), ms);
            const check = () => {
              if (!pattern.test(text)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            waiters.add(check);
            check();
          }),
      }),
    );
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('Worker diagnostics (in a child process)', () => {
  runNode = childProcessSuite();

  it('reports a task that awaited and then blocks, while it blocks: the service, the task and the line in the program', async () => {
    const child = start('await-block', ['--blocking-timeout=200ms']);
    await child.waitFor(/^SPIN-END$/m);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    const err = child.stderr;
    // The first report after SPIN-START: a loaded machine can stall the program past the
    // timeout before the spin too, and that block is reported as well.
    const spinStart = err.indexOf('SPIN-START');
    const report = err.indexOf('Blocking detected (timeout=0.2s)', spinStart);
    expect(spinStart).withContext(err).toBeGreaterThanOrEqual(0);
    expect(report).withContext(err).toBeGreaterThan(spinStart);
    // Written while the loop was still spinning: before the loop's own end marker.
    expect(report).toBeLessThan(err.indexOf('SPIN-END'));
    const lines = err.slice(report).split('\n');
    expect(lines[0]).toMatch(/the event loop has been blocked for \d+\.\ds while running Cruncher\.crunch \(Worker\/Root\/Cruncher\)$/);
    const frame = /^ {4}at Cruncher\.crunch \((.+worker-app\.js):(\d+):\d+\)$/.exec(lines.find((line) => line.startsWith('    at Cruncher.crunch (')) ?? '');
    expect(frame).withContext(lines.slice(0, 10).join('\n')).not.toBeNull();
    // The line named is the busy loop of the program's file.
    const source = readFileSync(frame![1]!, 'utf8').split('\n');
    expect(source[Number(frame![2]) - 1]).toContain('Date.now() < until');
  });

  it('reports without the stack, saying why once, when an inspector is already open', async () => {
    const child = start('await-block', ['--blocking-timeout=200ms'], { NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    await child.waitFor(/^SPIN-END$/m);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    const reports = child.stderr.split('\n').filter((line) => line.includes('Blocking detected'));
    expect(reports.length).withContext(child.stderr).toBeGreaterThanOrEqual(2);
    expect(reports[0]).toContain('(no stack: an inspector is already open on this process (--inspect or SIGUSR2), and pausing would disturb its debugger)');
    expect(reports.slice(1).some((line) => line.includes('no stack'))).toBeFalse();
    expect(child.stderr).not.toMatch(/^ {4}at /m);
  });

  it('SIGUSR1 prints each pending task with where it was declared, without the Worker\'s own frames', async () => {
    const child = start('clean');
    await child.waitFor(/^READY$/m);
    child.kill('SIGUSR1');
    await child.waitFor(/^ {4}Gamma \[running\]$/m);
    const dump = child.stderr.slice(child.stderr.indexOf('Service tree at')).split('\n');
    const beta = dump.indexOf('        Beta.idle');
    expect(beta).toBeGreaterThan(0);
    const stack = dump.slice(beta + 2, dump.indexOf('    Gamma [running]'));
    expect(stack[0]).toMatch(/^ {12}declared at file:\/\/.+\/worker-app\.js:\d+:\d+$/);
    expect(stack.join('\n')).not.toMatch(/Worker\.execute|src\/node\/worker\.js|new Promise/);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
  });

  it('--console-port opens a REPL on 127.0.0.1 that reads the tree, closed with the Worker', async () => {
    const child = start('clean', ['--console-port', '0']);
    const [, port] = await child.waitFor(/Console on 127\.0\.0\.1:(\d+)/);
    await child.waitFor(/^READY$/m);
    const repl = await talk(Number(port));
    await repl.waitFor(/rxmode> $/);
    repl.socket.write("worker.children.map((s) => s.label + '=' + s.state).join(' ') + ' / ' + root.children.map((s) => s.label + '=' + s.state).join(' ')\n");
    await repl.waitFor(/'Root=running \/ Alpha=running Beta=running Gamma=running'/);
    repl.socket.write("tree(); tracebacks(find('Beta')); timers(root)\n");
    await repl.waitFor(/Root has no timers/);
    expect(repl.received()).toContain('    Beta [running] flags: WARMING');
    expect(repl.received()).toMatch(/Beta:\nBeta\.idle\n=+\n {4}declared at /);
    // A connection still open does not keep the program running.
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    await repl.closed;
    expect(child.stderr).not.toContain('still running');
    expect(await refused(Number(port))).toBeTrue();
  });

  it('SIGUSR2 opens the inspector on 127.0.0.1 and prints its URL, without blocking; closed with the Worker', async () => {
    const child = start('clean');
    await child.waitFor(/^READY$/m);
    child.kill('SIGUSR2');
    const [, host, port] = await child.waitFor(/Debugger listening on ws:\/\/(127\.0\.0\.1):(\d+)\/[\w-]+; in Chrome: devtools:\/\/devtools\/\S+ws=127\.0\.0\.1:\d+\/[\w-]+$/m);
    const version = (await (await fetch(`http://${host}:${port}/json/version`, { signal: AbortSignal.timeout(5_000) })).json()) as { Browser?: string };
    expect(version.Browser).toMatch(/^node\.js\/v\d+/);
    // The program goes on: SIGUSR1 is still answered.
    child.kill('SIGUSR1');
    await child.waitFor(/Service tree at/);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    await expectAsync(fetch(`http://${host}:${port}/json/version`, { signal: AbortSignal.timeout(5_000) })).toBeRejected();
  });

  it('sends console.log and console.error through the logger at warn while it runs, and gives the console back after', async () => {
    const child = start('print');
    await child.waitFor(/^PRINTED$/m);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    expect(child.stdout).toMatch(/^\[[^\]]+: WARNING\]: \[console\]: printed by a task \{ n: 1 \}$/m);
    expect(child.stdout).toMatch(/^\[[^\]]+: WARNING\]: \[console\]: an error, printed$/m);
    expect(child.stderr).not.toContain('an error, printed');
    expect(child.stdout).toMatch(/^after stop: console is back$/m);
  });

  it('--console-port is listed in --help, and a bad one is a one-line error', async () => {
    const help = runNode(APP, ['--help']);
    expect((await help.exited()).code).toBe(0);
    expect(help.stdout).toContain('--console-port PORT');
    const bad = runNode(APP, ['--console-port', 'telnet']);
    expect((await bad.exited()).code).toBe(2);
    expect(bad.stderr).toBe("worker-app.js: --console-port: invalid port: 'telnet' (expected a number 0-65535)\n");
  });
});
