import { Observable, Subject, Subscription, of } from 'rxjs';

/** A piece of work still going: a Promise task or a future, with where it began. */
export interface PendingWork {
  readonly name: string;
  readonly kind: 'task' | 'future' | 'timer' | 'hook';
  readonly stack: string;
  /** The service whose work it is. */
  readonly owner?: object;
  /** Set for Promise work, which `stop()` waits for (up to `stopTimeout`). */
  promise?: PromiseLike<unknown>;
}

/**
 * Everything one run of a service owns, from its start to its reset: the stop signal,
 * the AbortController, the subscriptions of its tasks, the promises it waits for on
 * stop and the contexts it exits. A reset makes a new Run, so nothing from an earlier
 * run can leak into the next one.
 */
export class Run {
  readonly abort = new AbortController();
  readonly work = new Subscription();
  /** Work still going (Observable or Promise), by a key of the caller's, for tracebacks and stop. */
  readonly live = new Map<object, PendingWork>();
  readonly contexts: (Disposable | AsyncDisposable)[] = [];
  readonly #stopped$ = new Subject<void>();
  readonly #shutdown$ = new Subject<void>();
  #stopped = false;
  #shutdown = false;
  /** The shared teardown, once a stop has begun (a second stop() waits on it). */
  teardown: Observable<void> | undefined;
  tornDown = false;
  /** Once the teardown exited the contexts, a context added late is exited at once. */
  contextsClosed = false;

  get isStopped(): boolean {
    return this.#stopped;
  }

  /** Emits once and completes when the run must stop; at once for late subscribers. */
  readonly stopped$: Observable<void> = new Observable<void>((subscriber) =>
    this.#stopped ? of(undefined).subscribe(subscriber) : this.#stopped$.subscribe(subscriber),
  );

  /** Emits once `setShutdown()` was called; at once for late subscribers. */
  readonly shutdown$: Observable<void> = new Observable<void>((subscriber) =>
    this.#shutdown ? of(undefined).subscribe(subscriber) : this.#shutdown$.subscribe(subscriber),
  );

  /** Stop everything that runs on its own: `stopped$` emits, the signal aborts, tasks end. */
  signalStop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    // Aborted first, so whoever hears stopped$ already sees signal.aborted.
    this.abort.abort();
    this.#stopped$.next();
    this.#stopped$.complete();
    this.work.unsubscribe();
  }

  setShutdown(): void {
    if (this.#shutdown) return;
    this.#shutdown = true;
    this.#shutdown$.next();
    this.#shutdown$.complete();
  }

  /** Tracks a promise until it settles; `stop()` waits for the ones still pending. */
  trackPromise<T>(promise: PromiseLike<T>, work: PendingWork): void {
    work.promise = promise;
    this.live.set(promise, work);
    const forget = () => {
      this.live.delete(promise);
    };
    promise.then(forget, forget);
  }
}
