// Shared pieces of the Service specs (not itself a spec file). Runs in Node and in Chromium.
import { pino } from 'pino';
import type { Observable } from 'rxjs';
import type { Logger } from '../../src/logging/logger.js';
import { Service, type ServiceState } from '../../src/index.js';
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
