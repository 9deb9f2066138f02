import { Worker } from 'node:worker_threads';
import type { SchedulerLike } from 'rxjs';
import type { Logger } from '../../logging/logger.js';
import { longTimer } from '../../time/long-timer.js';
import { type FromThread, type ThreadData, type ToThread, fromWire } from './protocol.js';

/** What a {@link ThreadLink} tells its owner. */
export interface LinkHandlers {
  /** Every transition in the thread's tree (`self` for the service the module made). */
  event(message: Extract<FromThread, { type: 'event' }>): void;
  /** The thread's service crashed, or the thread failed or ended, after it had started. */
  crash(reason: unknown): void;
  /** The thread ended, whatever the cause. */
  exit(code: number): void;
  /** One pino JSON line the thread logged. */
  log(line: string): void;
}

type Phase = 'starting' | 'running' | 'closing' | 'exited';

/**
 * One Worker running one service, from its spawn to its exit. `started` settles once:
 * resolved when the thread's service runs, rejected with the reason when it could not
 * start (the module failed, the service's start failed, the thread died first). After
 * that a failure is reported through `handlers.crash`. `close()` asks the thread to stop
 * its service, waits for that (up to a limit), then terminates the thread; every
 * listener the link put on the Worker is removed when the thread exits.
 */
export class ThreadLink {
  readonly worker: Worker;
  readonly started: Promise<void>;
  #phase: Phase = 'starting';
  #resolveStart!: () => void;
  #rejectStart!: (reason: unknown) => void;
  #stopped: ((outcome: unknown) => void) | undefined;
  #exited: Promise<number>;
  #closing: Promise<unknown> | undefined;
  #failed = false;
  #closeFailure: unknown;

  constructor(
    entry: URL,
    data: ThreadData,
    readonly label: string,
    private readonly handlers: LinkHandlers,
  ) {
    this.started = new Promise<void>((resolve, reject) => {
      this.#resolveStart = resolve;
      this.#rejectStart = reject;
    });
    // Nobody may be listening when the start fails after a stop cut it short.
    this.started.catch(() => undefined);
    this.worker = new Worker(entry, { workerData: data, name: label });
    const onMessage = (message: FromThread) => this.#message(message);
    const onError = (error: unknown) => this.#fail(error);
    const onMessageError = (error: unknown) => this.#fail(error);
    this.#exited = new Promise<number>((resolve) => {
      const onExit = (code: number) => {
        this.worker.off('message', onMessage).off('error', onError).off('messageerror', onMessageError).off('exit', onExit);
        this.#exit(code);
        resolve(code);
      };
      this.worker.on('message', onMessage).on('error', onError).on('messageerror', onMessageError).on('exit', onExit);
    });
  }

  get exited(): Promise<number> {
    return this.#exited;
  }

  get hasExited(): boolean {
    return this.#phase === 'exited';
  }

  #message(message: FromThread): void {
    switch (message.type) {
      case 'log':
        this.handlers.log(message.line);
        return;
      case 'event':
        this.handlers.event(message);
        // A crash while closing is the thread's stop failing: its 'stopped' says so.
        if (message.self && message.to === 'crashed' && this.#phase !== 'closing') {
          this.#fail(fromWire(message.reason ?? { kind: 'text', text: 'crashed' }));
        }
        return;
      case 'started':
        if (this.#phase === 'starting') {
          this.#phase = 'running';
          this.#resolveStart();
        }
        return;
      case 'start-failed':
        if (this.#phase === 'starting') this.#fail(fromWire(message.reason));
        return;
      case 'stopped':
        this.#stopped?.(message.reason === undefined ? this.#closeFailure : fromWire(message.reason));
        return;
    }
  }

  /**
   * A failure before the start finished rejects `started`; the first one after it is a
   * crash; one while closing is what the close resolves with.
   */
  #fail(reason: unknown): void {
    if (this.#phase === 'closing') {
      if (this.#closeFailure === undefined) this.#closeFailure = reason;
      return;
    }
    if (this.#failed) return;
    this.#failed = true;
    if (this.#phase === 'starting') this.#rejectStart(reason);
    else if (this.#phase === 'running') this.handlers.crash(reason);
  }

  #exit(code: number): void {
    if (this.#phase === 'starting' || this.#phase === 'running') {
      const when = this.#phase === 'starting' ? 'before its service started' : 'while its service was running';
      this.#fail(new Error(`the thread of ${this.label} exited with code ${code} ${when}`));
    }
    this.#phase = 'exited';
    this.#stopped?.(this.#closeFailure);
    this.handlers.exit(code);
  }

  /**
   * Asks the thread to stop its service and waits, up to `timeoutMs` on `scheduler`,
   * then terminates the thread and waits for its exit. Resolves with what went wrong
   * while stopping (the thread's stop failed, the thread failed), `undefined` when
   * nothing did; a second call shares the first.
   */
  close(timeoutMs: number, scheduler: SchedulerLike, log: Logger): Promise<unknown> {
    this.#closing ??= (async () => {
      let outcome: unknown;
      if (this.#phase !== 'exited') {
        if (this.#phase === 'starting') this.#rejectStart(new Error(`${this.label} was stopped before its thread started`));
        this.#phase = 'closing';
        outcome = await new Promise<unknown>((resolve) => {
          const timer = longTimer(timeoutMs, scheduler).subscribe(() => {
            log.warn('The thread did not stop its service within %d ms: terminating it', timeoutMs);
            this.#stopped = undefined;
            resolve(this.#closeFailure);
          });
          this.#stopped = (reason) => {
            timer.unsubscribe();
            this.#stopped = undefined;
            resolve(reason);
          };
          this.worker.postMessage({ type: 'stop' } satisfies ToThread);
        });
      }
      await this.worker.terminate();
      await this.#exited;
      return outcome;
    })();
    return this.#closing;
  }
}
