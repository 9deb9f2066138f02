// The shared pieces of the specs and marbles (not itself a spec file): captured logs, state
// histories, promises to wait on, and the recording services that mode's own tests use.
// Runs in Node and in Chromium.
import { pino } from 'pino';
import { type Observable, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../src/logging/logger.js';
import { Service, type ServiceOptions, type ServiceState } from '../../src/index.js';
import { TRANSITIONS } from '../../src/service/state.js';

/** One captured log line: pino's level number, the message and the bindings. */
export interface LogLine {
  level: number;
  msg?: string;
  label?: string;
  depth?: number;
  err?: { message?: string; name?: string; type?: string };
  [key: string]: unknown;
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

/**
 * A pino logger that keeps every line in `lines`. Node's pino writes JSON to the stream
 * given; the browser build ignores streams and calls `browser.write` with an object that
 * already has the bindings merged in. One logger serves both.
 */
export function captureLogger(level = 'debug'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level, browser: { asObject: true, write: (line: object) => void lines.push(line as LogLine) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

/** Every state a service goes through from now on, the current one first. */
export function history(svc: { state$: Observable<ServiceState> }): ServiceState[] {
  const states: ServiceState[] = [];
  svc.state$.subscribe((state) => states.push(state));
  return states;
}

/** The first step of `states` that the state machine of API.md does not have. */
export function illegalStep(states: readonly ServiceState[]): string | undefined {
  for (let i = 1; i < states.length; i++) {
    if (!TRANSITIONS[states[i - 1]!].includes(states[i]!)) return `${states[i - 1]} -> ${states[i]}`;
  }
  return undefined;
}

/** The error `check` rejects with; fails (throws) if it resolves instead. */
export async function failureOf(check: Promise<void>): Promise<Error> {
  try {
    await check;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the check passed');
}

/** A promise with its resolve and reject outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback and one macrotask run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Whether `promise` has settled after the microtasks queued so far ran. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

/** A Promise that resolves once `signal` aborts. */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A service that writes `Label.hook` into a shared list for each hook it runs. */
export class Recorder extends Service {
  constructor(
    readonly calls: string[],
    name: string,
  ) {
    super({ name });
  }
  protected rec(hook: string): void {
    this.calls.push(`${this.label}.${hook}`);
  }
  override onFirstStart(): void {
    this.rec('onFirstStart');
  }
  override onStart(): void {
    this.rec('onStart');
  }
  override onStarted(): void {
    this.rec('onStarted');
  }
  override onStop(): void {
    this.rec('onStop');
  }
  override onShutdown(): void {
    this.rec('onShutdown');
  }
  override onRestart(): void {
    this.rec('onRestart');
  }
}

/** A Disposable that records its exit as `name`. */
export function context(calls: string[], name: string): Disposable {
  return { [Symbol.dispose]: () => void calls.push(`exit ${name}`) };
}

/** An AsyncDisposable that records its exit as `name` once a macrotask has passed. */
export function asyncContext(calls: string[], name: string): AsyncDisposable {
  return {
    [Symbol.asyncDispose]: async () => {
      await settle();
      calls.push(`exit ${name}`);
    },
  };
}

/** Counts the starts and stops that really happened (onStart / onStop), as mode's StatService. */
export class Stat extends Service {
  starts = 0;
  stops = 0;
  restarts = 0;
  override onStart(): void {
    this.starts++;
  }
  override onStop(): void {
    this.stops++;
  }
  override onRestart(): void {
    this.restarts++;
  }
}

/** A service whose onStop takes `stopTakes` ms (10 unless set) of its own scheduler's time. */
export class SlowStop extends Stat {
  stopTakes = 10;
  override onStop(): Observable<number> {
    super.onStop();
    return timer(this.stopTakes, this.scheduler);
  }
}

/** mode's `Y`: a service with a child `x`. */
export class Y extends Stat {
  readonly x: Stat;
  constructor(options: ServiceOptions = {}) {
    super({ name: 'y', ...options });
    this.x = this.addDependency(new Stat({ name: 'x' }));
  }
}

/** A scheduler whose queued work runs on `flush()`, for supervisors in virtual time. */
export function virtualScheduler(): TestScheduler {
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  // Outside run(), TestScheduler stops flushing at frame 750; these specs go further.
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  return scheduler;
}

/** A service whose onStart fails while `failing` says so. */
export class Flaky extends Stat {
  failing = true;
  override onStart(): void {
    super.onStart();
    if (this.failing) throw new Error(`${this.label} cannot start`);
  }
}

/** A service that writes `label.hook` into a shared list for each start and stop. */
export class Ordered extends Stat {
  constructor(readonly calls: string[], name: string) {
    super({ name });
  }
  override onStart(): void {
    super.onStart();
    this.calls.push(`${this.label}.start`);
  }
  override onStop(): void {
    super.onStop();
    this.calls.push(`${this.label}.stop`);
  }
}
