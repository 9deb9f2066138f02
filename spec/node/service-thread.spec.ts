import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId as mainThreadId } from 'node:worker_threads';
import { pino } from 'pino';
import { type Observable, filter, firstValueFrom, timeout } from 'rxjs';
import type { RemoteServiceEvent, ServiceThread, ServiceThreadOptions } from '../../src/node/service-thread.js';
import type { ServiceState } from '../../src/service/state.js';
import { programsDir } from './support/child.js';

// The threads run a private transpile (see programsDir): someone else's build may empty
// build/ while a thread is loading its files.
let dir: string;
let Thread: new (options: ServiceThreadOptions) => ServiceThread;
let Supervisor: new (options: { services: ServiceThread[]; maxRestarts?: number; logger?: unknown }) => {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly state: ServiceState;
};
let APP: string;
let BROKEN: string;
let scratch: string;
const made: ServiceThread[] = [];
let files = 0;

interface Line {
  level: number;
  msg: string;
  label?: string;
  depth?: number;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

/** A ServiceThread over the fixture module, logging into `lines`; stopped after each spec. */
function make(exportName: string, options: Partial<ServiceThreadOptions> & { level?: string; args?: Record<string, unknown> } = {}) {
  const lines: Line[] = [];
  const logger = pino({ level: options.level ?? 'debug', base: undefined }, { write: (text: string) => lines.push(JSON.parse(text) as Line) });
  const file = join(scratch, `${exportName}-${++files}.log`);
  const { level: _level, args, ...rest } = options;
  const svc = new Thread({ module: APP, export: exportName, logger, ...rest, args: { file, ...args } });
  made.push(svc);
  const remote = record(svc.remoteState$);
  const local = record(svc.state$);
  /** The `label hook threadId` lines the thread's services wrote. */
  const hooks = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
  return { svc, lines, remote, local, hooks };
}

function record<T>(source: Observable<T>): T[] {
  const seen: T[] = [];
  source.subscribe((value) => seen.push(value));
  return seen;
}

/** Resolves with `promise`, or rejects naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function reach(states: Observable<ServiceState>, state: ServiceState, ms = 10_000): Promise<ServiceState> {
  return firstValueFrom(states.pipe(filter((s) => s === state), timeout(ms)));
}

/** The rejection of `promise` (fails the spec if it resolves). */
async function rejection(promise: Promise<unknown>, ms = 10_000): Promise<Error> {
  try {
    await within(promise, ms, 'settling');
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, it resolved');
}

/** Waits until the Worker has exited: threadId -1, and none of our listeners left on it. */
async function expectGone(svc: ServiceThread): Promise<void> {
  const worker = svc.thread!;
  expect(worker).toBeDefined();
  if (worker.threadId !== -1) await within(new Promise((resolve) => worker.once('exit', resolve)), 10_000, 'thread exit');
  expect(worker.threadId).toBe(-1);
  expect(svc.threadId).toBeUndefined();
  for (const event of ['message', 'error', 'exit', 'messageerror', 'online']) expect(worker.listenerCount(event)).withContext(event).toBe(0);
}

describe('ServiceThread', () => {
  let savedTimeout: number;
  beforeAll(async () => {
    savedTimeout = jasmine.DEFAULT_TIMEOUT_INTERVAL;
    jasmine.DEFAULT_TIMEOUT_INTERVAL = 30_000;
    dir = await programsDir();
    const mod = (await import(pathToFileURL(join(dir, 'src', 'node', 'service-thread.js')).href)) as { ServiceThread: typeof Thread };
    Thread = mod.ServiceThread;
    const supervisors = (await import(pathToFileURL(join(dir, 'src', 'supervisors', 'one-for-one.js')).href)) as { OneForOneSupervisor: typeof Supervisor };
    Supervisor = supervisors.OneForOneSupervisor;
    APP = join(dir, 'spec', 'node', 'fixtures', 'service-thread-app.js');
    BROKEN = join(dir, 'spec', 'node', 'fixtures', 'service-thread-broken.js');
    scratch = mkdtempSync(join(tmpdir(), 'rxmode-service-thread-'));
  }, 60_000);
  afterAll(() => {
    jasmine.DEFAULT_TIMEOUT_INTERVAL = savedTimeout;
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const svc of made.splice(0)) await within(svc.stop().catch(() => undefined), 10_000, `stopping ${svc.label}`);
  });

  describe('start and stop', () => {
    it('start() resolves once the thread runs the service; both states go init → running, in order', async () => {
      const { svc, remote, local, hooks } = make('default');
      await within(svc.start(), 10_000, 'start');
      expect(svc.state).toBe('running');
      expect(svc.remoteState).toBe('running');
      expect(remote).toEqual(['init', 'running']);
      expect(local).toEqual(['init', 'running']);
      // The hooks ran in the thread, not here.
      expect(svc.threadId).toBeGreaterThan(mainThreadId);
      expect(hooks()).toEqual([`Pinger onStart ${svc.threadId}`, `Leaf onStart ${svc.threadId}`]);
    });

    it('stop() stops the thread\'s service (its hooks run there), ends the thread and shuts down', async () => {
      const { svc, remote, local, hooks, lines } = make('default');
      await within(svc.start(), 10_000, 'start');
      const id = svc.threadId;
      await within(svc.stop(), 10_000, 'stop');
      expect(svc.state).toBe('shutdown');
      expect(remote).toEqual(['init', 'running', 'stopping', 'shutdown']);
      expect(local).toEqual(['init', 'running', 'stopping', 'shutdown']);
      expect(hooks()).toEqual([
        `Pinger onStart ${id}`,
        `Leaf onStart ${id}`,
        `Pinger onStop ${id}`,
        `Leaf onStop ${id}`,
        `Leaf onShutdown ${id}`,
        `Pinger onShutdown ${id}`,
      ]);
      expect(lines.map((l) => `${l.label}: ${l.msg}`)).toContain('Pinger: onStop ran in the thread');
      await expectGone(svc);
    });

    it('remoteEvents$ carries the transitions of the whole thread tree, marking the service the module made', async () => {
      const { svc } = make('default');
      const events = record(svc.remoteEvents$);
      await within(svc.start(), 10_000, 'start');
      await within(svc.stop(), 10_000, 'stop');
      const seen = (event: RemoteServiceEvent) => `${event.self ? '*' : ''}${event.label} ${event.from}>${event.to}`;
      expect(events.map(seen)).toEqual([
        '*Pinger init>running',
        'Leaf init>running',
        '*Pinger running>stopping',
        'Leaf running>stopping',
        'Leaf stopping>shutdown',
        '*Pinger stopping>shutdown',
      ]);
      expect(events.every((e) => typeof e.at === 'number')).toBeTrue();
    });

    it('a stop while the thread is still starting ends the start, the thread and the service', async () => {
      const { svc, hooks } = make('slowStart', { args: { after: 2_000 } });
      const starting = svc.start();
      await within(reach(svc.remoteState$, 'running'), 10_000, 'remote running');
      const id = svc.threadId;
      const t0 = Date.now();
      await within(svc.stop(), 5_000, 'stop');
      await within(starting.catch(() => undefined), 1_000, 'start settling');
      expect(Date.now() - t0).toBeLessThan(1_900); // the 2 s onStart was cut, not waited for
      expect(svc.state).toBe('shutdown');
      expect(hooks()).toEqual([`Slow onStart ${id}`, `Slow onStop ${id}`, `Slow onShutdown ${id}`]);
      await expectGone(svc);
    });

    it('restart() runs the service in a fresh thread', async () => {
      const { svc, remote, hooks } = make('default');
      await within(svc.start(), 10_000, 'start');
      const first = svc.threadId!;
      await within(svc.restart(), 10_000, 'restart');
      const second = svc.threadId!;
      expect(second).not.toBe(first);
      expect(svc.state).toBe('running');
      expect(remote).toEqual(['init', 'running', 'stopping', 'shutdown', 'init', 'running']);
      expect(hooks().filter((h) => h.startsWith('Pinger onStart'))).toEqual([`Pinger onStart ${first}`, `Pinger onStart ${second}`]);
    });

    it('leaves no thread, message port or timer behind', async () => {
      const count = (kind: string) => process.getActiveResourcesInfo().filter((k) => k === kind).length;
      const ports = count('MessagePort');
      const timers = count('Timeout');
      const { svc } = make('default');
      await within(svc.start(), 10_000, 'start');
      expect(count('MessagePort')).toBeGreaterThan(ports);
      await within(svc.stop(), 10_000, 'stop');
      await expectGone(svc);
      expect(count('MessagePort')).toBe(ports);
      expect(count('Timeout')).toBe(timers);
    });
  });

  describe('failures in the thread', () => {
    it('a crash of the thread\'s service crashes the parent with a rebuilt error, and the thread is torn down', async () => {
      const { svc, remote, hooks } = make('Crasher');
      await within(svc.start(), 10_000, 'start');
      const id = svc.threadId;
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      const reason = svc.crashReason as Error & { code?: string };
      expect(reason).toBeInstanceOf(RangeError);
      expect(reason.message).toBe('boom in the thread');
      expect(reason.code).toBe('E_BOOM');
      expect(reason.stack).toContain('Crasher.onStarted');
      expect(remote).toEqual(['init', 'running', 'crashed']);
      // Nobody called stop(): the crash alone made the thread stop its service and end.
      await expectGone(svc);
      expect(hooks()).toContain(`Crasher onStop ${id}`);
      await within(svc.stop(), 5_000, 'stop after the crash');
      expect(svc.state).toBe('crashed');
    });

    it('under a supervisor, a crash in the thread is restarted in a fresh thread', async () => {
      const { svc, local } = make('Crasher', { args: { after: 400 } });
      const supervisor = new Supervisor({ services: [svc], maxRestarts: 10, logger: pino({ level: 'silent' }) });
      await within(supervisor.start(), 10_000, 'supervisor start');
      const first = svc.thread!;
      await within(reach(svc.state$, 'crashed'), 10_000, 'crash');
      await within(reach(svc.state$, 'running'), 10_000, 'restart');
      await within(reach(svc.remoteState$, 'running'), 10_000, 'remote running again');
      expect(svc.thread).not.toBe(first);
      expect(first.threadId).toBe(-1);
      expect(local.slice(0, 4)).toEqual(['init', 'running', 'crashed', 'init']);
      await within(supervisor.stop(), 10_000, 'supervisor stop');
      expect(supervisor.state).toBe('shutdown');
      await expectGone(svc);
    });

    it('a reset and start right after a crash runs a new thread; the old one, still ending, does not touch it', async () => {
      // The old thread takes 1.5 s to stop its crashed service, so it ends while the new one runs.
      const { svc, remote } = make('Crasher', { args: { after: 50, stopDelay: 1_500 } });
      await within(svc.start(), 10_000, 'start');
      const old = svc.thread!;
      await within(reach(svc.state$, 'crashed'), 10_000, 'crash');
      svc.serviceReset();
      // The args object goes to each new thread: the second run's service crashes much later.
      (svc.args as { after: number }).after = 60_000;
      await within(svc.start(), 10_000, 'second start');
      expect(old.threadId).withContext('the old thread is still ending').not.toBe(-1);
      await within(new Promise((resolve) => old.once('exit', resolve)), 10_000, 'old thread exit');
      expect(svc.thread).not.toBe(old);
      expect(svc.state).toBe('running');
      expect(svc.remoteState).toBe('running');
      expect(remote).toEqual(['init', 'running', 'crashed', 'init', 'running']);
    });

    it('a thread that calls process.exit crashes the parent, naming the exit code', async () => {
      const { svc, remote } = make('exits', { args: { code: 4, after: 50 } });
      await within(svc.start(), 10_000, 'start');
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      expect(String((svc.crashReason as Error).message)).toBe('the thread of ServiceThread exited with code 4 while its service was running');
      // The service died with its thread.
      expect(remote).toEqual(['init', 'running', 'crashed']);
      await expectGone(svc);
    });

    it('an uncaught error in the thread crashes the parent with that error', async () => {
      const { svc } = make('throwsUncaught', { args: { after: 50 } });
      await within(svc.start(), 10_000, 'start');
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      const reason = svc.crashReason as Error;
      expect(reason.name).toBe('SyntaxError');
      expect(reason.message).toBe('uncaught in the thread');
      await expectGone(svc);
    });

    it('a failing onStart in the thread rejects start() with its error; the parent is crashed and the thread gone', async () => {
      const { svc, remote } = make('failsToStart');
      const error = await rejection(svc.start());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('port 8080 is taken');
      expect(svc.state).toBe('crashed');
      expect(svc.crashReason).toBe(error);
      expect(remote).toEqual(['init', 'running', 'crashed']);
      await expectGone(svc);
      // What the failed start left is cleaned up: a later stop succeeds.
      await within(svc.stop(), 5_000, 'stop');
    });

    it('a failing onStop in the thread fails stop() with its error; the thread is still ended', async () => {
      const { svc } = make('failsToStop');
      await within(svc.start(), 10_000, 'start');
      const error = await rejection(svc.stop());
      expect(error.message).toBe('cannot flush the queue');
      expect(svc.state).toBe('crashed');
      await expectGone(svc);
    });

    it('a thread service that never finishes stopping is terminated after stopTimeout', async () => {
      const { svc, lines, hooks } = make('stuckOnStop');
      svc.stopTimeout = 300;
      await within(svc.start(), 10_000, 'start');
      const t0 = Date.now();
      await within(svc.stop(), 5_000, 'stop');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      expect(svc.state).toBe('shutdown');
      expect(hooks().some((h) => h.startsWith('Stuck onStop'))).toBeTrue();
      expect(lines.some((l) => l.level === 40 && l.msg === 'The thread did not stop its service within 300 ms: terminating it')).toBeTrue();
      expect(svc.remoteState).toBe('crashed');
      await expectGone(svc);
    });
  });

  describe('a module that cannot make the service', () => {
    it('a missing export: start() rejects naming the module, the export and what it does export', async () => {
      const { svc } = make('nope');
      const error = await rejection(svc.start());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain(pathToFileURL(APP).href);
      expect(error.message).toContain("no export 'nope'");
      expect(error.message).toContain("'Crasher'");
      expect(svc.state).toBe('crashed');
      await expectGone(svc);
    });

    it('a module that throws while loading: start() rejects naming the module and its error', async () => {
      const { svc } = make('default', { module: BROKEN });
      const error = await rejection(svc.start());
      expect(error.message).toContain(`cannot load ${pathToFileURL(BROKEN).href}`);
      expect(error.message).toContain('broken at load time');
      expect((error.cause as Error).message).toBe('broken at load time');
      await expectGone(svc);
    });

    it('a module that does not exist: start() rejects naming it', async () => {
      const missing = join(dir, 'no-such-module.js');
      const { svc } = make('default', { module: missing });
      const error = await rejection(svc.start());
      expect(error.message).toContain(`cannot load ${pathToFileURL(missing).href}`);
      await expectGone(svc);
    });

    it('an export that is neither a factory nor a Service class, or a factory that makes no Service', async () => {
      const number = make('notAFactory').svc;
      expect((await rejection(number.start())).message).toContain("export 'notAFactory' of");
      const nothing = make('makesNothing').svc;
      const error = await rejection(nothing.start());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("export 'makesNothing' of");
      expect(error.message).toContain('not a Service');
      await expectGone(number);
      await expectGone(nothing);
    });
  });

  describe('logs', () => {
    it('the thread\'s lines reach the parent\'s logger, nested below the ServiceThread', async () => {
      const { svc, lines } = make('chatty');
      await within(svc.start(), 10_000, 'start');
      const chatty = lines.filter((l) => l.label === 'Chatty');
      expect(chatty.map((l) => [l.level, l.msg])).toEqual(
        jasmine.arrayContaining([
          [20, 'debug line'],
          [30, 'info line x and 7'],
          [40, 'warn line 100%s'],
        ]),
      );
      expect(chatty.every((l) => l.depth === svc.beacon.depth + 1)).toBeTrue();
      expect(chatty.find((l) => l.msg === 'warn line 100%s')!['disk']).toBe('sda');
    });

    it('the thread logs nothing below the parent logger\'s level', async () => {
      const { svc, lines } = make('chatty', { level: 'warn' });
      await within(svc.start(), 10_000, 'start');
      await within(svc.stop(), 10_000, 'stop');
      expect(lines.filter((l) => l.label === 'Chatty').map((l) => l.msg)).toEqual(['warn line 100%s']);
    });

    it('a crash logged in the thread keeps its error as the thread serialized it', async () => {
      const { svc, lines } = make('Crasher');
      await within(svc.start(), 10_000, 'start');
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      await expectGone(svc);
      const line = lines.find((l) => l.label === 'Crasher' && l.level === 50)!;
      expect(line.msg).toBe('Crashed reason=RangeError: boom in the thread');
      expect(line.err!.type).toBe('RangeError');
      expect(line.err!['code' as keyof Line['err']]).toBe('E_BOOM' as never);
    });
  });

  describe('bad options', () => {
    it('throws a TypeError naming a bad module, export or args', () => {
      expect(() => new Thread({ module: 42 as unknown as string })).toThrowError(TypeError, /invalid module 42/);
      expect(() => new Thread({ module: '' })).toThrowError(TypeError, /invalid module ''/);
      expect(() => new Thread({ module: APP, export: '' })).toThrowError(TypeError, /invalid export name/);
      expect(() => new Thread({ module: APP, args: { f: () => 1 } })).toThrowError(TypeError, /args for .* cannot be sent to a thread/);
      expect(() => new Thread(undefined as unknown as ServiceThreadOptions)).toThrowError(TypeError, /expected options with a module, got undefined/);
    });

    it('takes a path, a relative path or a file URL for the module', () => {
      const href = pathToFileURL(APP).href;
      expect(new Thread({ module: APP }).module).toBe(href);
      expect(new Thread({ module: new URL(href) }).module).toBe(href);
      expect(new Thread({ module: href }).module).toBe(href);
      expect(new Thread({ module: 'x/y.js' }).module).toBe(pathToFileURL(join(process.cwd(), 'x', 'y.js')).href);
    });
  });
});
