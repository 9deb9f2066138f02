import { Worker as ThreadWorker } from 'node:worker_threads';
import { rootLogger, type Logger } from '../logging/logger.js';
import { setWorkListener, type WorkListener } from '../service/work-scope.js';
import type { Duration } from '../time/duration.js';
import { toIntervalMs } from '../time/interval.js';
import { currentWorkBuffer, setCurrentWork } from './current-work.js';
import { WATCHDOG_SOURCE } from './watchdog-source.js';

/** Options of {@link BlockingDetector}. */
export interface BlockingDetectorOptions {
  /** How long the event loop may be stuck before it is reported (default 10 s). */
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
  /** Told of each block once the main thread is free again (the health server's `/events` and `/metrics`). */
  onBlocked?: (report: BlockingReport) => void;
}

/** A block of the event loop, as {@link BlockingDetectorOptions.onBlocked} hears of it. */
export interface BlockingReport {
  /** How long the event loop was blocked, in ms. */
  readonly blockedMs: number;
  /** The label of the service that was running, when known. */
  readonly service?: string;
  /** The task, timer or hook that was running, when known. */
  readonly task?: string;
  /** The top frames of the blocked stack (`function (file:line)`), when known. */
  readonly frames?: readonly string[];
}

/**
 * Reports an event loop that stays blocked longer than `timeout`, **while it is still
 * blocked**: a watchdog in a `worker_threads` thread watches a heartbeat the main thread
 * bumps in shared memory, and when the beat stops it writes the warning itself (straight
 * to a file descriptor, since the main thread's logger is stuck too), naming the work
 * that was running (see {@link setCurrentWork}; service tasks, timers and hooks announce
 * themselves). It repeats every further `timeout` while the block lasts, and the main
 * thread logs how long it lasted once it is free again.
 *
 * mode arms SIGALRM and raises into the blocked code; we only report, and never touch
 * the blocked work. Neither the thread nor the heartbeat keeps the process alive.
 *
 * @example
 * const detector = new BlockingDetector({ timeout: '2s' });
 * await detector.start();
 * // ... a task that spins for 3 s prints, while spinning:
 * // [2026-11-21 12:00:02,001: WARNING]: [^BlockingDetector]: Blocking detected (timeout=2s): the event loop has been blocked for 2.0s while running UserCache: removeExpired
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

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.thread !== undefined;
  }

  /** Starts the watchdog thread and the heartbeat; resolves once the thread runs. */
  async start(): Promise<void> {
    if (this.thread) return;
    const period = Math.max(5, Math.min(this.timeout / 4, 1_000));
    const heartbeat = new SharedArrayBuffer(8);
    this.heartbeat = new Int32Array(heartbeat);
    const thread = new ThreadWorker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: {
        heartbeat,
        work: currentWorkBuffer(),
        timeout: this.timeout,
        period,
        fd: this.options.fd ?? 2,
        file: this.options.file,
        format: this.options.format ?? 'pretty',
        label: this.options.label ?? 'BlockingDetector',
        depth: this.options.depth ?? 1,
        pid: process.pid,
      },
      stdout: false,
      stderr: false,
    });
    thread.unref();
    this.thread = thread;
    // Route the services' "what runs now" announcements into shared memory.
    this.previousListener = setWorkListener(setCurrentWork);
    this.lastBeatAt = performance.now();
    this.beat = setInterval(() => this.tick(), period);
    this.beat.unref();
    await new Promise<void>((resolve, reject) => {
      thread.once('online', resolve);
      thread.once('error', reject);
    });
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
    Atomics.store(this.heartbeat!, 1, 1);
    Atomics.notify(this.heartbeat!, 1);
    await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
    await thread.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private tick(): void {
    const now = performance.now();
    const gap = now - this.lastBeatAt;
    this.lastBeatAt = now;
    Atomics.add(this.heartbeat!, 0, 1);
    if (gap >= this.timeout) {
      const logger = this.options.logger ?? rootLogger();
      logger.warn({ blockedMs: Math.round(gap) }, 'The event loop was blocked for %ss', (gap / 1_000).toFixed(1));
      this.options.onBlocked?.({ blockedMs: Math.round(gap) });
    }
  }
}
