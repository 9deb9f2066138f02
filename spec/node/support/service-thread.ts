import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { type Observable, filter, firstValueFrom, timeout } from 'rxjs';
import type { ServiceThread, ServiceThreadOptions } from '../../../src/node/service-thread.js';
import type { ServiceState } from '../../../src/service/state.js';
import { programsDir } from './child.js';

/** One pino JSON line, as the ServiceThread's logger wrote it. */
export interface Line {
  level: number;
  msg: string;
  label?: string;
  depth?: number;
  err?: { type?: string; message?: string; stack?: string; code?: string };
  [key: string]: unknown;
}

export interface MakeOptions extends Partial<Omit<ServiceThreadOptions, 'args'>> {
  /** The level of the capturing logger (default 'debug'). */
  level?: string;
  /** Merged into the fixture's args (which always carry the hooks file). */
  args?: Record<string, unknown>;
}

/** What the specs of one file share: the private transpile's classes and a made-thread tracker. */
export interface ThreadSpecs {
  /** ServiceThread from the private transpile. */
  Thread: new (options: ServiceThreadOptions) => ServiceThread;
  /** OneForOneSupervisor from the same transpile (the same Service class). */
  Supervisor: new (options: { services: ServiceThread[]; maxRestarts?: number; logger?: unknown }) => {
    start(): Promise<void>;
    stop(): Promise<void>;
    readonly state: ServiceState;
  };
  /** The transpile's directory, and the fixture modules in it. */
  dir: string;
  APP: string;
  BROKEN: string;
  /**
   * A ServiceThread over the fixture module, logging into `lines`, recording its states;
   * `hooks()` reads the `label hook threadId` lines the thread's services wrote. Stopped
   * after each spec.
   */
  make(exportName: string, options?: MakeOptions): {
    svc: ServiceThread;
    lines: Line[];
    remote: ServiceState[];
    local: ServiceState[];
    hooks(): string[];
  };
}

/**
 * Sets up a describe block for ServiceThread specs: the threads run a private transpile
 * (see programsDir), since someone else's `node scripts/build.mjs` may empty build/ while
 * a thread is loading its files. Every ServiceThread made is stopped after each spec.
 */
export function threadSpecs(): ThreadSpecs {
  const made: ServiceThread[] = [];
  let scratch = '';
  let files = 0;
  let savedTimeout = 0;
  const specs = {
    make(exportName: string, options: MakeOptions = {}) {
      const lines: Line[] = [];
      const logger = pino({ level: options.level ?? 'debug', base: undefined }, { write: (text: string) => lines.push(JSON.parse(text) as Line) });
      const file = join(scratch, `${exportName}-${++files}.log`);
      const { level: _level, args, ...rest } = options;
      const svc = new specs.Thread({ module: specs.APP, export: exportName, logger, ...rest, args: { file, ...args } });
      made.push(svc);
      const remote = record(svc.remoteState$);
      const local = record(svc.state$);
      const hooks = () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
      return { svc, lines, remote, local, hooks };
    },
  } as ThreadSpecs;
  beforeAll(async () => {
    savedTimeout = jasmine.DEFAULT_TIMEOUT_INTERVAL;
    jasmine.DEFAULT_TIMEOUT_INTERVAL = 30_000;
    const dir = await programsDir();
    const load = (path: string) => import(pathToFileURL(join(dir, path)).href);
    specs.dir = dir;
    specs.Thread = ((await load('src/node/service-thread.js')) as { ServiceThread: ThreadSpecs['Thread'] }).ServiceThread;
    specs.Supervisor = ((await load('src/supervisors/one-for-one.js')) as { OneForOneSupervisor: ThreadSpecs['Supervisor'] }).OneForOneSupervisor;
    specs.APP = join(dir, 'spec', 'node', 'fixtures', 'service-thread-app.js');
    specs.BROKEN = join(dir, 'spec', 'node', 'fixtures', 'service-thread-broken.js');
    scratch = mkdtempSync(join(tmpdir(), 'rxmode-service-thread-'));
  }, 60_000);
  afterAll(() => {
    jasmine.DEFAULT_TIMEOUT_INTERVAL = savedTimeout;
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const svc of made.splice(0)) await within(svc.stop().catch(() => undefined), 10_000, `stopping ${svc.label}`);
  });
  return specs;
}

/** Every value `source` emits, as it comes. */
export function record<T>(source: Observable<T>): T[] {
  const seen: T[] = [];
  source.subscribe((value) => seen.push(value));
  return seen;
}

/** Resolves with `promise`, or rejects naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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

/** Resolves when `states` shows `state`; errors after `ms`. */
export function reach(states: Observable<ServiceState>, state: ServiceState, ms = 10_000): Promise<ServiceState> {
  return firstValueFrom(states.pipe(filter((s) => s === state), timeout(ms)));
}

/** The rejection of `promise` (fails the spec if it resolves). */
export async function rejection(promise: Promise<unknown>, ms = 10_000): Promise<Error> {
  try {
    await within(promise, ms, 'settling');
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection, it resolved');
}

/** Waits until the thread has exited, then checks that nothing of it is left: threadId -1, no listener on its Worker. */
export async function expectGone(svc: ServiceThread): Promise<void> {
  const worker = svc.thread!;
  expect(worker).toBeDefined();
  if (worker.threadId !== -1) await within(new Promise((resolve) => worker.once('exit', resolve)), 10_000, 'thread exit');
  expect(worker.threadId).toBe(-1);
  expect(svc.threadId).toBeUndefined();
  for (const event of ['message', 'error', 'exit', 'messageerror', 'online']) expect(worker.listenerCount(event)).withContext(event).toBe(0);
}
