import { type AddressInfo, connect, createServer } from 'node:net';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { rootLogger, setRootLogger } from '../../src/logging/logger.js';
import { Service } from '../../src/service/service.js';
import { BlockingDetector } from '../../src/node/blocking.js';
import { Worker } from '../../src/node/worker.js';

class Sink {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
  /** The JSON log records written so far. */
  records(): Array<{ level: number; msg: string; name?: string; label?: string }> {
    return this.text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; name?: string; label?: string });
  }
}

function open(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function handles(): number {
  return (process as unknown as { getActiveResourcesInfo(): string[] })
    .getActiveResourcesInfo()
    .filter((kind) => kind === 'TCPServerWrap' || kind === 'TCPSocketWrap').length;
}

// Resolves once the worker's tree is running (its start takes a thread and a server: no fixed sleep fits a busy machine).
function running(worker: Worker): Promise<unknown> {
  return firstValueFrom(worker.state$.pipe(filter((state) => state === 'running'), timeout(10_000)));
}

const CONSOLE_METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const;

describe('Worker diagnostics (in this process)', () => {
  let savedRoot: ReturnType<typeof rootLogger>;
  beforeEach(() => (savedRoot = rootLogger()));
  afterEach(() => setRootLogger(savedRoot));

  it('runs a console and console redirection while it runs, and leaves none of it, nor a SIGUSR2 handler, behind', async () => {
    const originals = CONSOLE_METHODS.map((method) => console[method]);
    const usr2 = process.listenerCount('SIGUSR2');
    const handlesBefore = handles();
    const stdout = new Sink();
    const worker = new Worker(new Service({ name: 'App' }), { stdout: stdout as never, stderr: new Sink() as never, blockingTimeout: false, consolePort: 0 });
    const code = worker.execute();
    await running(worker);
    expect(worker.state).toBe('running');
    expect(process.listenerCount('SIGUSR2')).toBe(usr2 + 1);
    console.log('said with console.log', 42);
    expect(stdout.records()).toContain(jasmine.objectContaining({ level: 40, name: 'console', msg: 'said with console.log 42' }));
    const announced = stdout.records().find((record) => record.msg.startsWith('Console on 127.0.0.1:'));
    const port = Number(/:(\d+)/.exec(announced!.msg)![1]);
    expect(await open(port)).toBeTrue();
    await worker.stop();
    expect(await code).toBe(0);
    expect(CONSOLE_METHODS.map((method) => console[method])).toEqual(originals);
    expect(process.listenerCount('SIGUSR2')).toBe(usr2);
    expect(await open(port)).toBeFalse();
    for (let i = 0; i < 50 && handles() > handlesBefore; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handles()).toBeLessThanOrEqual(handlesBefore);
  });

  it('leaves the console alone when it does not set up logging, or when told', async () => {
    const original = console.log;
    for (const options of [{ overrideLogging: false }, { redirectStdouts: false }]) {
      const worker = new Worker(new Service(), { stdout: new Sink() as never, stderr: new Sink() as never, blockingTimeout: false, ...options });
      const code = worker.execute();
      await running(worker);
      expect(console.log).withContext(JSON.stringify(options)).toBe(original);
      await worker.stop();
      expect(await code).toBe(0);
    }
  });

  it('redirects at the level asked for', async () => {
    const stdout = new Sink();
    const worker = new Worker(new Service(), { stdout: stdout as never, stderr: new Sink() as never, blockingTimeout: false, redirectStdoutsLevel: 'ERROR', logLevel: 'error' });
    const code = worker.execute();
    await running(worker);
    console.info('an info, printed');
    await worker.stop();
    expect(await code).toBe(0);
    expect(stdout.records()).toContain(jasmine.objectContaining({ level: 50, name: 'console', msg: 'an info, printed' }));
  });

  it('resolves 1 when the console port is taken, saying so, with nothing left behind', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const original = console.log;
    const usr2 = process.listenerCount('SIGUSR2');
    try {
      const stdout = new Sink();
      const worker = new Worker(new Service(), { stdout: stdout as never, stderr: new Sink() as never, blockingTimeout: false, consolePort: port });
      expect(await worker.execute()).toBe(1);
      expect(stdout.records().map((record) => record.msg)).toContain(`Cannot start: ListenError: console: port ${port} on 127.0.0.1 is already in use`);
      expect(console.log).toBe(original);
      expect(process.listenerCount('SIGUSR2')).toBe(usr2);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('shows its blocking detector while it runs, for the reports as data', async () => {
    const worker = new Worker(new Service(), { overrideLogging: false, stdout: new Sink() as never, stderr: new Sink() as never, blockingTimeout: '1s' });
    expect(worker.blockingDetector).toBeUndefined();
    const code = worker.execute();
    await running(worker);
    expect(worker.blockingDetector).toBeInstanceOf(BlockingDetector);
    expect(worker.blockingDetector!.running).toBeTrue();
    await worker.stop();
    expect(await code).toBe(0);
    expect(worker.blockingDetector).toBeUndefined();
  });

  it('refuses bad diagnostics options, naming them', () => {
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ consolePort: -1 }, /consolePort: -1/],
      [{ consolePort: 70_000 }, /consolePort: 70000/],
      [{ consolePort: '50101' }, /consolePort: '50101'/],
      [{ redirectStdouts: 'yes' }, /redirectStdouts: 'yes'/],
      [{ redirectStdoutsLevel: 'loud' }, /redirectStdoutsLevel: invalid log level: 'loud'/],
      [{ redirectStdoutsLevel: 'silent' }, /redirectStdoutsLevel: 'silent'/],
      [{ inspectPort: 1.5 }, /inspectPort: 1\.5/],
    ];
    for (const [options, message] of bad) {
      expect(() => new Worker([], options as never)).withContext(JSON.stringify(options)).toThrowError(TypeError, message);
    }
    expect(() => new Worker([], { consolePort: false, redirectStdouts: false, inspectPort: 9229, redirectStdoutsLevel: 'warning' })).not.toThrow();
  });
});
