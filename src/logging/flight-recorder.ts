/// <reference lib="esnext.disposable" preserve="true" />
// This file's types name Disposable or Symbol.(async)dispose: why the reference, see service.ts.
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { toMs, type Duration } from '../time/duration.js';
import { longTimer } from '../time/long-timer.js';
import type { Logger } from './logger.js';

/** The levels a flight recorder records. */
export type RecorderLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const RECORDER_LEVELS: readonly RecorderLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** The part of a logger a flight recorder writes to. */
export type RecorderLogger = Pick<Logger, RecorderLevel>;

/** Options of {@link flightRecorder}. */
export interface FlightRecorderOptions {
  /** How long the guarded work may take before its buffered logs are written. */
  timeout: Duration;
  /** Where the timeout is measured (default `asyncScheduler`; a `TestScheduler` in marble tests). */
  scheduler?: SchedulerLike;
}

interface Entry {
  level: RecorderLevel;
  at: number;
  args: unknown[];
}

let lastId = 0;

/**
 * Records log calls made while some work runs, and writes them only if the work outlives
 * a timeout (mode's `flight_recorder`). Made by {@link flightRecorder}.
 *
 * Unlike mode, a call made after the timeout has passed is written at once (mode buffers
 * it again and then drops it).
 */
export class FlightRecorder {
  /** `Flight Recorder-<n>`, the prefix of every line this recorder writes. */
  readonly ident: string;
  readonly timeout: number;
  private readonly scheduler: SchedulerLike;
  private buffer: Entry[] = [];
  private timer: Subscription | undefined;
  private startedAt = 0;
  private activatedAt: string | undefined;
  private state: 'idle' | 'armed' | 'fired' = 'idle';

  constructor(private readonly logger: RecorderLogger, options: FlightRecorderOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`invalid flight recorder options: ${String(options)} (expected { timeout })`);
    }
    this.timeout = toMs(options.timeout);
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.ident = `Flight Recorder-${++lastId}`;
  }

  /** True from `activate()` until `cancel()`, also after the timeout fired. */
  get active(): boolean {
    return this.state !== 'idle';
  }

  /** True once the timeout passed while active: calls are being written as they come. */
  get timedOut(): boolean {
    return this.state === 'fired';
  }

  /**
   * Starts recording and the timeout; returns the recorder, for `using`.
   * Throws if it is already active.
   */
  activate(): this {
    if (this.state !== 'idle') throw new Error(`${this.ident} already activated`);
    this.state = 'armed';
    this.buffer = [];
    this.startedAt = this.scheduler.now();
    this.activatedAt = new Error('activated here').stack?.split('\n').slice(2).join('\n');
    this.timer = longTimer(this.timeout, this.scheduler).subscribe(() => this.blush());
    return this;
  }

  /** Stops recording: the timeout is cleared and logs not yet written are dropped (the work was fast). */
  cancel(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.buffer = [];
    this.state = 'idle';
  }

  /** `using recorder = flightRecorder(log, { timeout }).activate()` cancels it at the end of the block. */
  [Symbol.dispose](): void {
    this.cancel();
  }

  /**
   * Activates, runs `fn(recorder)`, and cancels when it settles (also when it throws).
   *
   * @example
   * await flightRecorder(log, { timeout: '2s' }).run(async (rec) => {
   *   rec.info('fetching %s', key);
   *   return await redis.get(key);
   * });
   */
  async run<T>(fn: (recorder: this) => T | PromiseLike<T>): Promise<Awaited<T>> {
    this.activate();
    try {
      return await fn(this);
    } finally {
      this.cancel();
    }
  }

  /** Records (or, when not armed, writes) a call `logger[level](...args)`; the args are pino's. */
  log(level: RecorderLevel, ...args: unknown[]): void {
    if (!RECORDER_LEVELS.includes(level)) {
      throw new TypeError(`invalid log level: ${String(level)} (expected one of ${RECORDER_LEVELS.join(', ')})`);
    }
    if (this.state === 'armed') {
      this.buffer.push({ level, at: this.scheduler.now(), args });
    } else if (this.state === 'fired') {
      this.write(level, `[${this.ident}] `, args);
    } else {
      (this.logger[level] as (...a: unknown[]) => void).apply(this.logger, args);
    }
  }

  trace(...args: unknown[]): void {
    this.log('trace', ...args);
  }
  debug(...args: unknown[]): void {
    this.log('debug', ...args);
  }
  info(...args: unknown[]): void {
    this.log('info', ...args);
  }
  warn(...args: unknown[]): void {
    this.log('warn', ...args);
  }
  error(...args: unknown[]): void {
    this.log('error', ...args);
  }
  fatal(...args: unknown[]): void {
    this.log('fatal', ...args);
  }

  /**
   * Wraps `obj` so that each of its method calls is first recorded as `name(args)` at
   * `level`, then made (mode's `Logwrapped`): when the work hangs, the replay shows which
   * calls it made.
   *
   * @example
   * const redis = recorder.wrapInfo(client);
   * await redis.get('user:1'); // records "get('user:1')"
   */
  wrap<T extends object>(level: RecorderLevel, obj: T): T {
    return new Proxy(obj, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          this.log(level, '%s', `${String(key)}(${args.map(describeArg).join(', ')})`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
  wrapDebug<T extends object>(obj: T): T {
    return this.wrap('debug', obj);
  }
  wrapInfo<T extends object>(obj: T): T {
    return this.wrap('info', obj);
  }
  wrapWarn<T extends object>(obj: T): T {
    return this.wrap('warn', obj);
  }
  wrapError<T extends object>(obj: T): T {
    return this.wrap('error', obj);
  }

  // The timeout passed: say so, replay what was recorded with the times it was recorded
  // at, and from now on write as we go.
  private blush(): void {
    this.timer = undefined;
    this.state = 'fired';
    const ident = this.ident;
    const fields = { flightRecorder: ident };
    this.logger.warn(fields, 'Warning: Task timed out!');
    this.logger.warn(fields, "Please make sure it's hanging before restart.");
    this.logger.info(fields, '[%s] (started at %s) Replaying logs...', ident, isoTime(this.startedAt));
    const entries = this.buffer;
    this.buffer = [];
    for (const entry of entries) this.write(entry.level, `[${ident}] (${isoTime(entry.at)}) `, entry.args, entry.at);
    this.logger.info(fields, '[%s] -End of log-', ident);
    if (this.activatedAt) this.logger.info({ ...fields, stack: this.activatedAt }, '[%s] Activated at', ident);
  }

  private write(level: RecorderLevel, prefix: string, args: unknown[], at?: number): void {
    const method = this.logger[level] as (...a: unknown[]) => void;
    const fields: Record<string, unknown> = { flightRecorder: this.ident };
    if (at !== undefined) fields['loggedAt'] = at;
    let [first, ...rest] = args;
    if (first instanceof Error) {
      fields['err'] = first;
      [first, ...rest] = rest.length > 0 ? rest : [first.message];
    } else if (typeof first === 'object' && (first !== null || rest.length > 0)) {
      // A null before a message is no fields, as pino reads it; a null alone is the message.
      Object.assign(fields, first);
      [first, ...rest] = rest;
    }
    const msg = first === undefined ? '' : String(first);
    method.call(this.logger, fields, prefix + msg, ...rest);
  }
}

/**
 * A {@link FlightRecorder} over `logger`: log through it while some work runs; if the work
 * finishes within `timeout` nothing is written, if it outlives it the recorded calls are
 * written with the times they were made, and later calls as they come. Use it with
 * `run(fn)`, or with `using` and `activate()`.
 *
 * @example
 * // mode's example: a Redis call that sometimes hangs.
 * using rec = flightRecorder(this.log, { timeout: '5s' }).activate();
 * rec.info('Fetching user %s', id);
 * const user = await redis.get(id);
 * rec.info('Got user %s', id);
 */
export function flightRecorder(logger: RecorderLogger, options: FlightRecorderOptions): FlightRecorder {
  return new FlightRecorder(logger, options);
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

function describeArg(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return `<function ${value.name || 'anonymous'}>`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
