import { Service } from '../../src/service/service.js';
import { Worker } from '../../src/node/worker.js';

class Sink {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

class Part extends Service {
  onStopCalls = 0;
  override onStop() {
    this.onStopCalls++;
  }
}

// The kinds of handle a Worker could leave behind (transient requests of other specs aside).
function resources(): string[] {
  const kinds = new Set(['Timeout', 'Immediate', 'TCPServerWrap', 'TCPSocketWrap', 'MessagePort', 'Worker']);
  return (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo().filter((k) => kinds.has(k)).sort();
}

function signalListeners(): number[] {
  return (['SIGINT', 'SIGTERM', 'SIGUSR1'] as const).map((s) => process.listenerCount(s));
}

describe('Worker.execute() (in this process)', () => {
  const quiet = () => ({ overrideLogging: false, stdout: new Sink() as never, stderr: new Sink() as never });

  it('resolves 0 after a clean stop, leaving no signal handler, timer, thread or server behind', async () => {
    const listenersBefore = signalListeners();
    const resourcesBefore = resources();
    const part = new Part();
    const worker = new Worker(part, { ...quiet(), blockingTimeout: '1s', health: { port: 0 } });
    expect(part.beacon.parent).toBe(worker.beacon);
    const code = worker.execute();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(worker.state).toBe('running');
    expect(signalListeners()).toEqual(listenersBefore.map((n) => n + 1));
    await worker.stop();
    expect(await code).toBe(0);
    expect(part.onStopCalls).toBe(1);
    expect(signalListeners()).toEqual(listenersBefore);
    await new Promise((resolve) => setImmediate(resolve));
    expect(resources()).toEqual(resourcesBefore);
  });

  it('resolves 1 after a crash of the tree, having stopped everything', async () => {
    const part = new Part();
    const worker = new Worker([part], { ...quiet(), blockingTimeout: false });
    const code = worker.execute();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await part.crash(new Error('boom'));
    expect(await code).toBe(1);
    expect(worker.state).toBe('crashed');
    expect(part.onStopCalls).toBe(1);
  });

  it('stops on SIGTERM, and a second signal while stopping resolves with 128 + its number', async () => {
    class Stuck extends Service {
      override onStop() {
        return new Promise<void>(() => undefined);
      }
    }
    const listenersBefore = signalListeners();
    const worker = new Worker(new Stuck(), { ...quiet(), blockingTimeout: false });
    const code = worker.execute();
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.emit('SIGTERM', 'SIGTERM');
    expect(worker.state).toBe('stopping');
    process.emit('SIGTERM', 'SIGTERM');
    expect(await code).toBe(143);
    expect(signalListeners()).toEqual(listenersBefore);
  });

  it('SIGUSR1 writes the tree to stderr and keeps running', async () => {
    const stderr = new Sink();
    const part = new Part({ name: 'Cache' });
    const worker = new Worker(part, { ...quiet(), stderr: stderr as never, blockingTimeout: false });
    const code = worker.execute();
    await new Promise((resolve) => setTimeout(resolve, 50));
    part.diag.setFlag('REFRESHING');
    process.emit('SIGUSR1', 'SIGUSR1');
    expect(stderr.text).toContain('Worker [running]\n  Cache [running] flags: REFRESHING\n');
    expect(worker.state).toBe('running');
    await worker.stop();
    expect(await code).toBe(0);
  });

  it('say() and carp() write to stdout and stderr, and not when quiet', () => {
    const stdout = new Sink();
    const stderr = new Sink();
    const loud = new Worker([], { stdout: stdout as never, stderr: stderr as never });
    loud.say('hello');
    loud.carp('oops');
    const hushed = new Worker([], { stdout: stdout as never, stderr: stderr as never, quiet: true });
    hushed.say('nothing');
    hushed.carp('nothing');
    expect(stdout.text).toBe('hello\n');
    expect(stderr.text).toBe('oops\n');
  });

  it('refuses anything but Services', () => {
    expect(() => new Worker([42 as never])).toThrowError(TypeError, /42/);
  });
});
