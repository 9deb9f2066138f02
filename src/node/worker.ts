import { basename } from 'node:path';
import { Service, type ServiceOptions } from '../service/service.js';
import type { HookResult } from '../service/hook-result.js';
import { hideFrames } from '../service/work.js';
import { toMs, type Duration } from '../time/duration.js';
import { longTimer } from '../time/long-timer.js';
import { BlockingDetector } from './blocking.js';
import { UsageError, flagsHelp, parseFlags, type FlagSpecs } from './flags.js';
import { HealthServer, type HealthOptions } from './health.js';
import { setupNodeLogging } from './logging.js';
import { catchProcessFaults, type ProcessFault } from './process-faults.js';
import { unrefScheduler } from './unref-scheduler.js';
import { describeTree } from './tree-dump.js';
import { type DiagnosticsOptions, checkDiagnosticsOptions, startDiagnostics } from './worker-diagnostics.js';
import { WORKER_FLAGS, workerOptionsFromFlags } from './worker-flags.js';
import { checkWorkerOptions } from './worker-options.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean; fd?: number };

/** Options of {@link Worker}. */
export interface WorkerOptions extends Omit<ServiceOptions, 'beacon'>, DiagnosticsOptions {
  /** Lowest level logged (default `'info'`, `'debug'` with `debug`). */
  logLevel?: string;
  /** Log to this file (JSON lines unless `logFormat: 'pretty'`) instead of `stdout`. */
  logFile?: string;
  /** `'auto'` (default): mode's lines on a terminal, JSON lines otherwise. */
  logFormat?: 'auto' | 'pretty' | 'json';
  /** Leave logging alone (you called `setupLogging` yourself). Default true. */
  overrideLogging?: boolean;
  /** `say()` and `carp()` print nothing. */
  quiet?: boolean;
  /** Debug level logging by default. */
  debug?: boolean;
  /** Report an event loop blocked longer than this (default 10 s); `0` or `false` turns it off. */
  blockingTimeout?: Duration | false;
  /** Serve the health probes (off unless given). */
  health?: HealthOptions | false;
  /** How long to wait after a clean stop for the process to end by itself before exiting anyway (default 3 s). */
  exitGrace?: Duration;
  /** Your program's own flags (parsed by you, e.g. with `parseFlags(..., { allowUnknown: true })`), listed in `--help`. */
  flags?: FlagSpecs;
  /** Extra text for `--help`. */
  help?: string;
  stdout?: Output;
  stderr?: Output;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

// The Worker starts every tree it runs: its frames are in every task's origin, and say
// nothing of where the task began.
hideFrames(String.raw`[\\/]node[\\/]worker\.[jt]s`, String.raw`^\s*at (?:async )?Worker\.execute(?:FromCommandline)? `);

/**
 * Runs a tree of services as a program (mode's `Worker`): it becomes the root of their
 * tree, sets up logging, starts them, and waits. SIGINT or SIGTERM stops the tree
 * gracefully ("Stopping on signal received...", children in reverse order); a second one
 * while stopping forces the exit. SIGUSR1 prints the tree with each service's state, diag
 * flags and pending tasks, and keeps running; SIGUSR2 opens the inspector on 127.0.0.1 for
 * a debugger to attach. A blocking detector and, if asked, a health server and a console
 * (a REPL on `consolePort`) run alongside; `console.*` goes through the logger.
 * `execute()` resolves to the exit code: 0 after a clean stop, 1 after a crash of the
 * tree (the reason is logged), 128 + the signal number when forced. An uncaught exception
 * or unhandled rejection while it runs crashes the tree (logged with its stack), which
 * then stops in order: exit code 1. Its options are checked when it is made (a TypeError
 * naming the bad one).
 *
 * Nothing of the Worker outlives `execute()`: its signal handlers, timers, detector
 * thread, health server, console, inspector and console redirection are gone when it
 * resolves.
 *
 * @example
 * const worker = new Worker(new App(), { logLevel: 'info', health: { port: 9000 } });
 * await worker.executeFromCommandline(); // parses --log-level etc., then exits the process
 */
export class Worker extends Service {
  readonly services: readonly Service[];
  readonly options: WorkerOptions;
  private health: HealthServer | undefined;
  private detector: BlockingDetector | undefined;
  private stopRequested = false;
  private forcedCode: number | undefined;

  constructor(services: Service | Iterable<Service>, options: WorkerOptions = {}) {
    super(checkWorkerOptions(options));
    const list = services instanceof Service ? [services] : [...services];
    for (const service of list) {
      if (!(service instanceof Service)) throw new TypeError(`Worker: expected Services, got ${String(service)}`);
      this.addDependency(service);
    }
    this.services = list;
    this.options = { ...options };
    checkDiagnosticsOptions(this.options);
  }

  /** The blocking detector while `execute()` runs it (its `reports$` are the reports as data). */
  get blockingDetector(): BlockingDetector | undefined {
    return this.detector;
  }

  get stdout(): Output {
    return this.options.stdout ?? process.stdout;
  }

  get stderr(): Output {
    return this.options.stderr ?? process.stderr;
  }

  /** Prints `message` on stdout, unless quiet. */
  say(message: string): void {
    if (!this.options.quiet) this.stdout.write(`${message}\n`);
  }

  /** Prints `message` on stderr, unless quiet. */
  carp(message: string): void {
    if (!this.options.quiet) this.stderr.write(`${message}\n`);
  }

  /** Runs after logging is set up and before the services start (mode's `on_execute`). */
  onExecute(): HookResult {}

  /** The tree as text: each service with its state, diag flags and pending tasks (what SIGUSR1 prints). */
  describeTree(): string {
    return describeTree(this);
  }

  /**
   * Runs the services until they stop or crash; resolves to the exit code. The process is
   * left alone (see {@link executeFromCommandline} for a program's whole life).
   */
  async execute(): Promise<number> {
    if (this.state !== 'init') throw new Error(`${this.label}: execute() runs once (state is ${this.state})`);
    const cleanups: Array<() => unknown> = [];
    let forced: (code: number) => void = () => undefined;
    const forcedExit = new Promise<number>((resolve) => (forced = resolve));
    // Nothing else may keep the event loop alive (a tree of idle services), yet a worker
    // runs until it is told to stop.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    cleanups.push(() => clearInterval(keepAlive));
    try {
      if (this.options.overrideLogging !== false) {
        try {
          this.setupNodeLogging();
        } catch (error) {
          this.stderr.write(`${this.label}: cannot set up logging: ${messageOf(error)}\n`);
          return 1;
        }
      }
      cleanups.push(catchProcessFaults((reason, kind) => this.fault(reason, kind, forced)));
      this.installSignalHandlers(forced, cleanups);
      try {
        cleanups.push(await startDiagnostics(this, this.options, this.options.overrideLogging !== false));
      } catch (error) {
        this.log.error('Cannot start: %s', messageOf(error));
        return 1;
      }
      await this.startBlockingDetector(cleanups);
      if (this.options.health) {
        const health = new HealthServer(this, this.options.health);
        try {
          await health.start();
        } catch (error) {
          this.log.error('Cannot start: %s', messageOf(error));
          return 1;
        }
        this.health = health;
        cleanups.push(() => health.close());
        this.log.info('Health probes on %s (/livez /readyz /status /events /metrics /graph.dot; the live page at /)', health.url);
      }
      // A fault before the start ends the program at once, even if onExecute never ends.
      await Promise.race([this.onExecute(), forcedExit]);
      if (this.forcedCode !== undefined) return this.forcedCode;
      if (this.stopRequested) return 0;
      const started = this.start().then(
        () => undefined,
        () => undefined, // logged as a crash by the service that failed; the state says the rest
      );
      const ended = started.then(() => this.waitUntilStopped()).then(() => this.finish());
      return await Promise.race([ended, forcedExit]);
    } finally {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch {
          // Cleaning up must not turn an exit code into a crash.
        }
      }
      this.health = undefined;
    }
  }

  /**
   * Parses the command line (`--log-level`, `--log-file`, `--log-format`, `--quiet`,
   * `--debug`, `--blocking-timeout`, `--health-port`, `--health-host`, `--console-port`,
   * `--help`), runs {@link execute} and ends the process with its code. A bad flag or value prints one
   * line and exits with 2. After a clean stop the process ends by itself; if something
   * still holds it open after `exitGrace`, that is reported and the process exits anyway.
   */
  async executeFromCommandline(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
    const program = basename(process.argv[1] ?? 'worker');
    let parsed;
    try {
      parsed = parseFlags(argv, WORKER_FLAGS);
      if (parsed.rest.length > 0) throw new UsageError(`unexpected argument: ${parsed.rest[0]} (see --help)`);
      Object.assign(this.options, workerOptionsFromFlags(parsed.values));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      this.stderr.write(`${program}: ${error.message}\n`);
      process.exit(2);
    }
    if (parsed.help) {
      const all: FlagSpecs = { ...WORKER_FLAGS, ...this.options.flags, help: { boolean: true, help: 'show this help and exit' } };
      const extra = this.options.help ? `\n${this.options.help.replace(/\n$/, '')}\n` : '';
      this.stdout.write(`Usage: ${program} [options]\n\nOptions:\n${flagsHelp(all)}\n${extra}`);
      process.exit(0);
    }
    const code = await this.execute();
    if (this.forcedCode !== undefined) process.exit(code);
    process.exitCode = code;
    const grace = toMs(this.options.exitGrace ?? 3_000);
    longTimer(grace, unrefScheduler).subscribe(() => {
      const handles = (process as unknown as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo?.() ?? [];
      this.stderr.write(`${program}: still running ${grace} ms after stop (open: ${handles.join(', ') || 'unknown'}); exiting\n`);
      process.exit(code);
    });
  }

  private setupNodeLogging(): void {
    const format = this.options.logFormat ?? 'auto';
    if (format !== 'auto' && format !== 'pretty' && format !== 'json') {
      throw new TypeError(`invalid log format: ${String(format)} (expected auto, pretty or json)`);
    }
    setupNodeLogging({
      level: this.options.logLevel ?? (this.options.debug ? 'debug' : 'info'),
      file: this.options.logFile,
      pretty: format === 'auto' ? undefined : format === 'pretty',
      stream: this.stdout,
    });
  }

  private installSignalHandlers(forced: (code: number) => void, cleanups: Array<() => unknown>): void {
    const onStop = (signal: NodeJS.Signals) => {
      if (signal === 'SIGINT') this.carp('-INT- -INT- -INT- -INT- -INT- -INT-');
      if (this.stopRequested) {
        const code = 128 + (SIGNAL_NUMBERS[signal] ?? 1);
        this.log.warn('Second signal (%s) while stopping: forcing exit with code %d', signal, code);
        this.forcedCode = code;
        forced(code);
        return;
      }
      this.stopRequested = true;
      this.log.info('Stopping on signal received...');
      this.health?.markShuttingDown();
      this.stop().catch(() => undefined); // a failing stop leaves the tree crashed: finish() reports it
    };
    const onDump = () => {
      this.stderr.write(this.describeTree());
    };
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    process.on('SIGUSR1', onDump);
    cleanups.push(() => {
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
      process.off('SIGUSR1', onDump);
    });
  }

  private async startBlockingDetector(cleanups: Array<() => unknown>): Promise<void> {
    const setting = this.options.blockingTimeout ?? 10_000;
    if (setting === false) return;
    const timeout = toMs(setting);
    if (timeout === 0) return;
    const detector = new BlockingDetector({
      timeout,
      file: this.options.logFile,
      fd: typeof this.stderr.fd === 'number' ? this.stderr.fd : 2,
      format: this.prettyLogs() ? 'pretty' : 'json',
      label: 'BlockingDetector',
      depth: 2,
      logger: this.log,
    });
    // Each block goes to the live view: as an event while it lasts (with the stack), and
    // into the blocked-seconds metric once it is over (its whole length).
    const reports = detector.reports$.subscribe((report) => this.health?.noteBlocked(report));
    const unblocked = detector.unblocked$.subscribe((blockedMs) => this.health?.noteUnblocked(blockedMs));
    cleanups.push(() => (reports.unsubscribe(), unblocked.unsubscribe()));
    await detector.start();
    this.detector = detector;
    cleanups.push(() => ((this.detector = undefined), detector.stop()));
  }

  private prettyLogs(): boolean {
    const format = this.options.logFormat ?? 'auto';
    if (format !== 'auto') return format === 'pretty';
    return this.options.logFile === undefined && this.stdout.isTTY === true;
  }

  /**
   * An error nothing caught: a crash of the tree, which then stops in order and exits 1
   * (see finish). Before the tree started there is nothing to stop: the exit is at once.
   */
  private fault(reason: unknown, kind: ProcessFault, forced: (code: number) => void): void {
    this.log.error('%s: crashing the tree', kind === 'uncaughtException' ? 'Uncaught exception' : 'Unhandled rejection');
    void this.crash(reason); // logs the reason with its stack
    if (this.state === 'init') {
      this.stopRequested = true;
      this.forcedCode = 1;
      forced(1);
    }
  }

  // The tree has stopped or crashed: tear down what a crash left and pick the exit code.
  private async finish(): Promise<number> {
    if (this.state !== 'crashed') return 0;
    await this.stop().catch(() => undefined);
    // The service that crashed logged the reason with its stack; this is the summary line.
    this.log.fatal('We experienced a crash! Exiting with code 1: %s', messageOf(this.crashReason));
    return 1;
  }
}

function messageOf(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return String(reason);
}
