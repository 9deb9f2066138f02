import { Service } from '../../src/service/service.js';
import { Worker } from '../../src/node/worker.js';
import { type Child, childProcessSuite, serviceLines } from './support/child.js';

const APP = 'spec/node/fixtures/worker-faults.js';
let runNode: (script: string, args?: string[], env?: Record<string, string>) => Child;

function start(fixture: string): Child {
  return runNode(APP, ['--log-format=pretty'], { FIXTURE: fixture });
}

/** The stack printed under the log line that ends with `marker`: its header, then its frames. */
function stackAfter(text: string, marker: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.endsWith(marker));
  if (at < 0) return [];
  const stack: string[] = [lines[at + 1] ?? ''];
  for (const line of lines.slice(at + 2)) {
    if (!/^\s+at /.test(line)) break;
    stack.push(line);
  }
  return stack;
}

describe('Worker faults (in a child process)', () => {
  runNode = childProcessSuite();

  it('an uncaught exception crashes the tree, logged with its stack; the tree stops in order (onStop runs) and it exits 1', async () => {
    const child = start('exception');
    const { code } = await child.exited();
    expect(code).toBe(1);
    const lines = serviceLines(child.stdout);
    expect(lines).toContain('Worker: Uncaught exception: crashing the tree');
    expect(lines).toContain('Worker: Crashed reason=Error: boom outside any service');
    const stack = stackAfter(child.stdout, 'Crashed reason=Error: boom outside any service');
    expect(stack[0]).toBe('Error: boom outside any service');
    expect(stack[1]).toMatch(/^\s+at .*fault .*worker-faults\.js:\d+/);
    // Children stop in reverse order after the root's onStop.
    expect(lines.filter((l) => l.endsWith('onStop ran'))).toEqual(['Root: onStop ran', 'Beta: onStop ran', 'Alpha: onStop ran']);
    expect(lines).toContain('Worker: We experienced a crash! Exiting with code 1: Error: boom outside any service');
    // Node's own report of an uncaught exception never shows: the Worker handled it.
    expect(child.stderr).not.toContain('Uncaught');
    expect(child.stderr).not.toContain('still running');
  });

  it('an unhandled rejection does the same', async () => {
    const child = start('rejection');
    const { code } = await child.exited();
    expect(code).toBe(1);
    const lines = serviceLines(child.stdout);
    expect(lines).toContain('Worker: Unhandled rejection: crashing the tree');
    expect(lines).toContain('Worker: Crashed reason=Error: rejected outside any service');
    const stack = stackAfter(child.stdout, 'Crashed reason=Error: rejected outside any service');
    expect(stack[0]).toBe('Error: rejected outside any service');
    expect(stack[1]).toMatch(/^\s+at .*fault .*worker-faults\.js:\d+/);
    expect(lines.filter((l) => l.endsWith('onStop ran'))).toEqual(['Root: onStop ran', 'Beta: onStop ran', 'Alpha: onStop ran']);
    expect(child.stderr).not.toContain('UnhandledPromiseRejection');
  });

  it('a rejection with a value that is no Error is the crash reason as it is', async () => {
    const child = start('value');
    expect((await child.exited()).code).toBe(1);
    const lines = serviceLines(child.stdout);
    expect(lines).toContain('Worker: Crashed reason=a plain string');
    expect(lines.filter((l) => l.endsWith('onStop ran')).length).toBe(3);
  });

  it('a second fault while stopping is logged, and the stop still finishes once', async () => {
    const child = start('twice');
    expect((await child.exited()).code).toBe(1);
    const lines = serviceLines(child.stdout);
    expect(lines.filter((l) => l === 'Worker: Uncaught exception: crashing the tree').length).toBe(2);
    expect(lines).toContain('Worker: Crashed reason=Error: second boom');
    expect(lines).toContain('Worker: We experienced a crash! Exiting with code 1: Error: boom outside any service');
    expect(lines.filter((l) => l.endsWith('onStop ran'))).toEqual(['Root: onStop ran', 'Beta: onStop ran', 'Alpha: onStop ran']);
  });

  it('a fault before the tree started exits 1 at once, with nothing started', async () => {
    const child = start('early');
    expect((await child.exited()).code).toBe(1);
    const lines = serviceLines(child.stdout);
    expect(lines).toContain('Worker: Crashed reason=Error: boom before the start');
    expect(lines.some((l) => l.endsWith('Starting...'))).toBeFalse();
  });
});

class Sink {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

describe('Worker fault listeners (in this process)', () => {
  const faultListeners = () => [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
  const quiet = () => ({ overrideLogging: false, blockingTimeout: false as const, stdout: new Sink() as never, stderr: new Sink() as never });

  it('are there while it runs and gone when it has stopped', async () => {
    const before = faultListeners();
    const worker = new Worker(new Service({ name: 'app' }), quiet());
    const code = worker.execute();
    await new Promise<void>((resolve) => {
      const sub = worker.ready$.subscribe((ready) => ready && resolve());
      void code.then(() => sub.unsubscribe());
    });
    expect(faultListeners()).toEqual(before.map((n) => n + 1));
    await worker.stop();
    expect(await code).toBe(0);
    expect(faultListeners()).toEqual(before);
  });

  it('are gone after a crash of the tree too', async () => {
    const before = faultListeners();
    const app = new Service({ name: 'app' });
    const worker = new Worker(app, quiet());
    const code = worker.execute();
    await new Promise<void>((resolve) => worker.ready$.subscribe((ready) => ready && resolve()));
    void app.crash(new Error('crashed on purpose'));
    expect(await code).toBe(1);
    expect(faultListeners()).toEqual(before);
  });
});
