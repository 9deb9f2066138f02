/// <reference lib="esnext.disposable" preserve="true" />
// This file's types name Disposable or Symbol.(async)dispose: why the reference, see service.ts.
import { Worker as ThreadWorker } from 'node:worker_threads';
import { type Observable, Subject } from 'rxjs';
import { rootLogger, type Logger } from '../logging/logger.js';
import { setWorkListener, type WorkListener } from '../service/work-scope.js';
import type { Duration } from '../time/duration.js';
import { toIntervalMs } from '../time/interval.js';
import { inspectorModule } from './inspector-module.js';
import { setWorkLabel, workLabelBuffer } from './work-label.js';
import { WATCHDOG_SOURCE } from './watchdog-source.js';

/** Options of {@link BlockingDetector}. */
export interface BlockingDetectorOptions {
  /**
   * How long the event loop may be stuck before it is reported (default 10 s). A block is
   * counted from the last heartbeat, sent every `timeout / 4` (5 ms to 1 s), so the work
   * found blocking may have run up to one such beat less than `timeout` when it is named.
   */
  timeout?: Duration;
  /** File descriptor the watchdog writes its warning to (default 2, stderr). */
  fd?: number;
  /** A file the watchdog appends its warning to instead of `fd`. */
  file?: string;
  /** `'pretty'` for mode's lines (default), `'json'` for a pino-style JSON line. */
  format?: 'pretty' | 'json';
  /** Label and depth shown on the line (default `BlockingDetector`, depth 1). */
  label?: string;
  depth?: number;
  /** Where the main thread logs, once unblocked, how long the block lasted (default: the root logger). */
  logger?: Pick<Logger, 'warn'>;
  /**
   * Read the blocked thread's stack for the report (default true): the top frames, and
   * the service and task they belong to. Costs nothing until the loop is blocked.
   */
  stack?: boolean;
}

/** One frame of the blocked main thread's stack (lines and columns from 1). */
export interface BlockedFrame {
  readonly functionName: string;
  /** The class of `this`, when it is an object. */
  readonly className?: string;
  /** A path for files, else the script's URL (`node:internal/...`); `<anonymous>` for none. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** What the watchdog saw, while the loop was blocked, in one report. */
export interface BlockingReport {
  /** How long the loop had been blocked when the report was made. */
  readonly blockedMs: number;
  /** The service the innermost service frame belongs to: its path in the tree (`Worker/App/Cache`)... */
  readonly path?: string;
  /** ...and its label. */
  readonly service?: string;
  /** The running method (`Cache.rebuild`), from the stack or else from the work label. */
  readonly task?: string;
  /** The top frames of the main thread's stack, innermost first, when they could be read. */
  readonly frames?: readonly BlockedFrame[];
}

/**
 * Reports an event loop that stays blocked longer than `timeout`, **while it is still
 * blocked**: a watchdog in a `worker_threads` thread watches a heartbeat the main thread
 * bumps in shared memory, and when the beat stops it pauses the main thread for a moment
 * through the inspector to read its stack, and writes the warning itself (straight to a
 * file descriptor, since the main thread's logger is stuck too): the service and method
 * that were running, even after an `await`, and the top frames with file and line. It
 * repeats every further `timeout` while the block lasts, and the main thread logs how
 * long it lasted once it is free again. Each report is also data, on `reports$`.
 *
 * Without a stack (an inspector is already open, `stack: false`, or the thread is stuck
 * outside JavaScript) the report names the work label instead ({@link setWorkLabel};
 * service tasks, timers and hooks set it for their synchronous part).
 *
 * mode arms SIGALRM and raises into the blocked code; we only report, and never touch
 * the blocked work. Neither the thread nor the heartbeat keeps the process alive.
 *
 * @example
 * const detector = new BlockingDetector({ timeout: '2s' });
 * await detector.start();
 * // ... a task that spins for 3 s prints, while spinning:
 * // [2026-11-21 12:00:02,001: WARNING]: [^BlockingDetector]: Blocking detected (timeout=2s): the event loop has been blocked for 2.0s while running UserCache.removeExpired (App/UserCache)
 * //     at UserCache.removeExpired (/srv/app/cache.js:42:9)
 * //     ...
 * detector.reports$.subscribe((report) => metrics.blocked(report.path, report.blockedMs));
 * await detector.stop();
 */
export class BlockingDetector {
  readonly timeout: number;
  private readonly options: BlockingDetectorOptions;
  private thread: ThreadWorker | undefined;
  private beat: NodeJS.Timeout | undefined;
  private heartbeat: Int32Array | undefined;
  private previousListener: WorkListener | undefined;
  private lastBeatAt = 0;
  private readonly reports = new Subject<BlockingReport>();
  private readonly unblocked = new Subject<number>();

  constructor(options: BlockingDetectorOptions = {}) {
    this.timeout = toIntervalMs(options.timeout ?? 10_000, 'blocking timeout');
    if (options.fd !== undefined && !(Number.isInteger(options.fd) && options.fd >= 0)) {
      throw new TypeError(`invalid file descriptor: ${String(options.fd)}`);
    }
    if (options.format !== undefined && options.format !== 'pretty' && options.format !== 'json') {
      throw new TypeError(`invalid format: ${String(options.format)} (expected 'pretty' or 'json')`);
    }
    this.options = options;
  }

  /**
   * Each report the watchdog made, as data. The watchdog writes its line while the loop
   * is blocked; this emits once the main thread is free again to hear about it.
   */
  get reports$(): Observable<BlockingReport> {
    return this.reports.asObservable();
  }

  /** How long (ms) each block of at least `timeout` lasted, once it is over. */
  get unblocked$(): Observable<number> {
    return this.unblocked.asObservable();
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.thread !== undefined;
  }

  /** Starts the watchdog thread and the heartbeat; resolves once the thread runs. */
  async start(): Promise<void> {
    if (this.thread) return;
    const period = Math.max(5, Math.min(this.timeout / 4, 1_000));
    const heartbeat = new SharedArrayBuffer(12);
    this.heartbeat = new Int32Array(heartbeat);
    this.noteInspector();
    const thread = new ThreadWorker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        heartbeat,
        work: workLabelBuffer(),
        timeout: this.timeout,
        period,
        fd: this.options.fd ?? 2,
        file: this.options.file,
        format: this.options.format ?? 'pretty',
        label: this.options.label ?? 'BlockingDetector',
        depth: this.options.depth ?? 1,
        pid: process.pid,
        stack: this.options.stack !== false,
      },
      stdout: false,
      stderr: false,
    });
    thread.unref();
    thread.on('message', (report: BlockingReport) => this.reports.next(report));
    this.thread = thread;
    // Route the services' "what runs now" announcements into shared memory.
    this.previousListener = setWorkListener(setWorkLabel);
    this.lastBeatAt = performance.now();
    this.beat = setInterval(() => this.tick(), period);
    this.beat.unref();
    await new Promise<void>((resolve, reject) => {
      thread.once('online', resolve);
      thread.once('error', reject);
    });
    // A failing watchdog is a bug of ours: said, never a crash of the program it watches.
    thread.on('error', (error) => (this.options.logger ?? rootLogger()).warn({ err: error }, 'The blocking detector stopped: %s', String(error)));
  }

  /** Stops the heartbeat and ends the thread. */
  async stop(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    this.thread = undefined;
    clearInterval(this.beat);
    this.beat = undefined;
    setWorkListener(this.previousListener);
    this.previousListener = undefined;
    const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    // Held until it ends, so that a program with nothing else left waits for this stop
    // to resolve instead of exiting in the middle of it.
    thread.ref();
    Atomics.store(this.heartbeat!, 1, 1);
    Atomics.notify(this.heartbeat!, 1);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
    await thread.terminate();
    thread.removeAllListeners('message');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private tick(): void {
    const now = performance.now();
    const gap = now - this.lastBeatAt;
    this.lastBeatAt = now;
    Atomics.add(this.heartbeat!, 0, 1);
    this.noteInspector();
    if (gap >= this.timeout) {
      const logger = this.options.logger ?? rootLogger();
      logger.warn({ blockedMs: Math.round(gap) }, 'The event loop was blocked for %ss', (gap / 1_000).toFixed(1));
      this.unblocked.next(Math.round(gap));
    }
  }

  // Tells the watchdog whether an inspector is open (checked each beat: someone may open
  // one at any time; about 40 ns).
  private noteInspector(): void {
    Atomics.store(this.heartbeat!, 2, inspectorOpen() ? 1 : 0);
  }
}

// Without an inspector nobody can have opened one; the watchdog says why it has no stack.
function inspectorOpen(): boolean {
  return inspectorModule()?.url() !== undefined;
}
