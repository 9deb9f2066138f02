import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import { type Logger, rootLogger } from '../logging/logger.js';
import { CORE } from '../service/core.js';
import type { HookResult } from '../service/hook-result.js';
import { Service, type ServiceOptions } from '../service/service.js';
import { canTransition, type ServiceState } from '../service/state.js';
import { toMs } from '../time/duration.js';
import { ThreadLink } from './service-thread/link.js';
import { type FromThread, fromWire } from './service-thread/protocol.js';

/** Options of {@link ServiceThread}. */
export interface ServiceThreadOptions extends ServiceOptions {
  /**
   * The module that makes the service: a `file:` URL, or a path to a built `.js` file
   * (relative paths are taken from the current directory).
   */
  module: URL | string;
  /** The export that makes it (default `'default'`): a factory `(args) => Service`, maybe async, or a Service class (`new C(args)`). */
  export?: string;
  /** Handed to the factory; it crosses into the thread, so it must survive `structuredClone`. */
  args?: unknown;
  /** The thread's entry file; only for bundlers that move it (default: `service-thread/entry.js` beside this file). */
  entry?: URL;
}

/** A transition in the thread's service tree, as the parent sees it. */
export interface RemoteServiceEvent {
  /** True for the service the module made; false for the services below it. */
  readonly self: boolean;
  readonly label: string;
  readonly from: ServiceState;
  readonly to: ServiceState;
  /** The thread's clock (epoch ms) at the transition. */
  readonly at: number;
  /** The crash reason, rebuilt (an Error keeps its name, message and stack). */
  readonly reason?: unknown;
}

/**
 * A service that runs in a `worker_threads` thread, with its state mirrored in the
 * parent (mode's `ServiceThread`). The thread imports `module`, makes the service with
 * its export and starts it; `start()` resolves when that service runs, and rejects with
 * its error when it cannot (a module that does not load, a missing export, a failing
 * `onStart`), the ServiceThread then ending `crashed` as any failed start does.
 *
 * While it runs, a crash of the thread's service crashes the ServiceThread with the same
 * reason (an Error rebuilt with the thread's name, message and stack), and so does a
 * thread that dies (`process.exit`, an uncaught error). `stop()` asks the thread to stop
 * its service, waits for it for most of `stopTimeout` (a reserve is kept for terminating
 * the thread, since `onStop` as a whole is bounded by `stopTimeout`), then terminates the thread; a crash
 * tears the thread down the same way, so nothing is left running behind it. A restart
 * runs a fresh thread.
 *
 * `remoteState$` mirrors the thread's service (`init`, `running`, ... in order; `crashed`
 * if the thread ends under a running service) and `remoteEvents$` its whole tree. The
 * thread's log lines come to this service's logger, placed below it in the tree.
 *
 * Unlike mode's, nothing blocks the parent's event loop (no `join`), there is no
 * keep-alive timer, and every failure reaches the parent.
 *
 * @example
 * // crunch.js (built): export default (args) => new Cruncher(args);
 * const crunch = new ServiceThread({ module: new URL('./crunch.js', import.meta.url), args: { size: 1000 } });
 * crunch.remoteState$.subscribe((s) => console.log('thread:', s)); // init, running, stopping, shutdown
 * await crunch.start();
 * await crunch.stop();
 */
export class ServiceThread extends Service {
  /** The module's URL, as the thread imports it. */
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown;
  readonly #entry: URL;
  readonly #remoteState = new BehaviorSubject<ServiceState>('init');
  readonly #remoteEvents = new Subject<RemoteServiceEvent>();
  #link: ThreadLink | undefined;
  #forwarder: { parent: Logger; log: Logger } | undefined;

  constructor(options: ServiceThreadOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`ServiceThread: expected options with a module, got ${String(options)}`);
    }
    super(options);
    this.module = moduleUrl(options.module);
    const name = options.export ?? 'default';
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`ServiceThread: invalid export name ${String(name)} (expected a non-empty string)`);
    this.exportName = name;
    try {
      structuredClone(options.args);
    } catch (error) {
      throw new TypeError(`ServiceThread: args for ${this.module} cannot be sent to a thread (${(error as Error).message})`);
    }
    this.args = options.args;
    this.#entry = options.entry ?? new URL('./service-thread/entry.js', import.meta.url);
  }

  /** The state of the thread's service. */
  get remoteState(): ServiceState {
    return this.#remoteState.value;
  }

  /** The state of the thread's service: the current one, then each transition, in order. */
  get remoteState$(): Observable<ServiceState> {
    return this.#remoteState.asObservable();
  }

  /** Every transition in the thread's service tree, as it arrives. */
  get remoteEvents$(): Observable<RemoteServiceEvent> {
    return this.#remoteEvents.asObservable();
  }

  /** The `worker_threads` Worker of this run (or of the last one); `undefined` before the first start. */
  get thread(): Worker | undefined {
    return this.#link?.worker;
  }

  /** The running thread's id; `undefined` when no thread runs. */
  get threadId(): number | undefined {
    const link = this.#link;
    return link && !link.hasExited ? link.worker.threadId : undefined;
  }

  /**
   * Spawns the thread and completes when its service runs. The thread is torn down as
   * soon as this service must stop (a stop, a crash, a failed start), and `onStop`
   * waits for that.
   */
  override onStart(): HookResult {
    return new Observable<void>((subscriber) => {
      if (this.#remoteState.value !== 'init') this.#remoteState.next('init');
      const link: ThreadLink = new ThreadLink(
        this.#entry,
        { module: this.module, exportName: this.exportName, args: this.args, logLevel: this.log.level },
        this.label,
        // A thread of an earlier run may still be closing (a reset right after a crash):
        // only its log lines are still ours to pass on.
        {
          event: (message) => this.#link === link && this.#mirror(message),
          crash: (reason) => this.#link === link && void this.crash(reason),
          exit: () => this.#link === link && this.#threadEnded(),
          log: (line) => this.#forwardLog(line),
        },
      );
      this.#link = link;
      this.stopped$.subscribe(() => void this.#close(link));
      link.started.then(
        () => subscriber.complete(),
        (reason: unknown) => subscriber.error(reason),
      );
    });
  }

  /** Waits for the thread to stop its service and end; fails when its stop failed. */
  override async onStop(): Promise<void> {
    const link = this.#link;
    if (!link) return;
    const failure = await this.#close(link);
    if (failure !== undefined) throw failure;
  }

  #close(link: ThreadLink): Promise<unknown> {
    return link.close(threadStopShare(toMs(this.stopTimeout)), this.scheduler, this.log);
  }

  #mirror(message: Extract<FromThread, { type: 'event' }>): void {
    const event: RemoteServiceEvent = {
      self: message.self,
      label: message.label,
      from: message.from,
      to: message.to,
      at: message.at,
      ...(message.reason === undefined ? {} : { reason: fromWire(message.reason) }),
    };
    if (message.self && canTransition(this.#remoteState.value, message.to)) this.#remoteState.next(message.to);
    this.#remoteEvents.next(event);
  }

  /** A thread gone under a running service took that service with it. */
  #threadEnded(): void {
    const state = this.#remoteState.value;
    if (state === 'running' || state === 'stopping') this.#remoteState.next('crashed');
  }

  /**
   * Writes one of the thread's pino lines through the logger this service's own logger
   * descends from, with the depth moved below this service, so pretty output nests the
   * thread's services under it. The line's `err` is already serialized by the thread's
   * pino: it goes on as it is (the parent's serializer would call it an `Object`).
   */
  #forwardLog(line: string): void {
    const parent: Logger = this[CORE].logParent ?? rootLogger();
    if (this.#forwarder?.parent !== parent) {
      // pino's child takes options as a second argument; another logger ignores them.
      const child = parent.child as (this: Logger, bindings: object, options: object) => Logger;
      this.#forwarder = { parent, log: child.call(parent, {}, { serializers: { err: (err: unknown) => err } }) };
    }
    const log = this.#forwarder.log;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      log.info({ label: this.label, depth: this.beacon.depth }, line.trimEnd());
      return;
    }
    const { level, time: _time, msg, depth, ...fields } = record;
    const method = (typeof level === 'number' ? PINO_LEVELS[level] : undefined) ?? 'info';
    if (typeof depth === 'number') fields['depth'] = depth + this.beacon.depth;
    const write = (log as unknown as Record<string, unknown>)[method];
    if (typeof write === 'function') write.call(log, fields, typeof msg === 'string' ? msg : '');
  }
}

// The thread's pino uses pino's standard levels.
const PINO_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

function moduleUrl(module: unknown): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module.length === 0) {
    throw new TypeError(`ServiceThread: invalid module ${module === '' ? "''" : String(module)} (expected a file URL or a path)`);
  }
  if (/^(file|data):/.test(module)) return new URL(module).href;
  return pathToFileURL(isAbsolute(module) ? module : resolve(module)).href;
}

/**
 * How long the thread may take to stop its service: `stopTimeout` less a reserve for
 * terminating it (a tenth, at least 100 ms and at most one second, never more than half).
 * `onStop` as a whole is bounded by `stopTimeout`, and terminating a thread that did not
 * stop took over 30 ms on a loaded 2-core machine.
 */
export function threadStopShare(stopTimeoutMs: number): number {
  const reserve = Math.min(1_000, Math.max(100, Math.ceil(stopTimeoutMs / 10)), Math.floor(stopTimeoutMs / 2));
  return Math.max(1, stopTimeoutMs - reserve);
}
