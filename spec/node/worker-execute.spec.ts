import { get } from 'node:http';
import { filter, firstValueFrom } from 'rxjs';
import { Service } from '../../src/service/service.js';
import { Worker } from '../../src/node/worker.js';
import { freePort } from './support/ports.js';

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

// How many handles of each kind a Worker could leave behind are open now.
function resources(): Record<string, number> {
  const counts: Record<string, number> = { Timeout: 0, TCPServerWrap: 0, TCPSocketWrap: 0, MessagePort: 0, Worker: 0 };
  for (const kind of (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo()) {
    if (kind in counts) counts[kind]!++;
  }
  return counts;
}

// One request on its own connection, resolved once that connection is closed, so the
// probe itself leaves no socket behind.
function statusOf(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000 }, (res) => {
      res.resume();
      res.socket.once('close', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.once('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Resolves once the worker has started (ready$ true): no guess at how long that takes. */
function started(worker: Worker): Promise<unknown> {
  return firstValueFrom(worker.ready$.pipe(filter(Boolean)));
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
    const port = await freePort();
    const worker = new Worker(part, { ...quiet(), blockingTimeout: '1s', health: { port } });
    expect(part.beacon.parent).toBe(worker.beacon);
    const code = worker.execute();
    await started(worker);
    expect(worker.state).toBe('running');
    expect(signalListeners()).toEqual(listenersBefore.map((n) => n + 1));
    expect(await statusOf(port, '/readyz')).toBe(200);
    await worker.stop();
    expect(await code).toBe(0);
    expect(part.onStopCalls).toBe(1);
    expect(signalListeners()).toEqual(listenersBefore);
    await expectAsync(statusOf(port, '/readyz')).toBeRejected();
    // libuv closes handles a moment after close() returns, and handles of earlier specs
    // may still be closing too: within a second none may be left beyond what was there.
    const settled = (now: Record<string, number>) => Object.keys(now).every((kind) => now[kind]! <= resourcesBefore[kind]!);
    for (let i = 0; i < 50 && !settled(resources()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const after = resources();
    for (const kind of Object.keys(after)) expect(after[kind]).withContext(kind).toBeLessThanOrEqual(resourcesBefore[kind]!);
  });

  it('resolves 1 after a crash of the tree, having stopped everything', async () => {
    const part = new Part();
    const worker = new Worker([part], { ...quiet(), blockingTimeout: false });
    const code = worker.execute();
    await started(worker);
    await part.crash(new Error('boom'));
    expect(await code).toBe(1);
    expect(worker.state).toBe('crashed');
    expect(part.onStopCalls).toBe(1);
  });

  it("leaves its own frames out of the tracebacks of the work it starts: a future's origin begins in the user's code", async () => {
    class Fetcher extends Service {
      override onStart() {
        void this.addFuture(new Promise<void>((resolve) => this.signal.addEventListener('abort', () => resolve())));
      }
    }
    const fetcher = new Fetcher();
    const worker = new Worker(fetcher, { ...quiet(), blockingTimeout: false });
    const code = worker.execute();
    await started(worker);
    const origins = Object.values(fetcher.tracebacks());
    expect(origins.length).toBe(1);
    expect(origins[0]).toMatch(/^ +at Fetcher\.onStart /);
    expect(origins[0]).not.toMatch(/[\\/]node[\\/]worker\.[jt]s|Worker\.execute/);
    await worker.stop();
    expect(await code).toBe(0);
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
    await started(worker);
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
    await started(worker);
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
