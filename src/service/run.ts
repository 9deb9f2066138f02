/// <reference lib="esnext.disposable" preserve="true" />
// This file's types name Disposable or Symbol.(async)dispose: why the reference, see service.ts.
import { Observable, Subject, type Subscription } from 'rxjs';
import { type Few, addToFew, everyOfFew, forEachOfFew } from './few.js';

/** A piece of work still going: a Promise task or a future, with where it began. */
export interface PendingWork {
  readonly name: string;
  readonly kind: 'task' | 'future' | 'timer' | 'hook';
  /** Where it began: an Error taken then (written out when asked for), or stack text. */
  readonly origin: Error | string;
  /** The service whose work it is. */
  readonly owner?: object;
  /** Set for Promise work, which `stop()` waits for (up to `stopTimeout`). */
  promise?: PromiseLike<unknown>;
  /** The run that tracks its Promise while it is pending (see `Run.trackPromise`). */
  pendingIn?: Run;
  /**
   * Set when it called `stop()`: no stop waits for it, since it waits for the stop. Set
   * through {@link excuse}, which tells the run that counts it.
   */
  excused?: boolean;
}

/**
 * Marks `work` as excused from the stops' waits: it called `stop()`, and waits for it.
 *
 * @example
 * excuse(currentWork()!);
 */
export function excuse(work: PendingWork): void {
  if (work.excused) return;
  work.excused = true;
  work.pendingIn?.settledOne();
}

let sharedStopReason: DOMException | undefined;

/**
 * The reason every run's AbortSignal aborts with: one AbortError, made once, since a
 * fresh DOMException (with its stack) per stop is most of what a stop costs. Every
 * browser and every Node that rxmode supports (20 and later) has DOMException.
 */
function stopReason(): DOMException {
  return (sharedStopReason ??= new DOMException('The service is stopping', 'AbortError'));
}

/**
 * Hears a run's stop (see {@link Run.onStopped}): a sleeping Promise task does, without an
 * Observable between. It is its own link in the run's list of listeners, so listening
 * makes no closure and no Set entry, and the stop takes the listeners off the list one
 * by one in the order they came. W6: a closure per sleep kept in a Set was an allocation
 * and a hash at each sleep, and a Set walk at the stop.
 */
export abstract class StopListener {
  /** The next and previous listeners of the run's list while this one is on it. */
  nextListener: StopListener | undefined = undefined;
  previousListener: StopListener | undefined = undefined;

  /** Called once when the run stops, the listener already off the list. */
  abstract runStopped(): void;
}

/**
 * Emits once and completes, at once for late subscribers; made on first use.
 * {@link StopListener}s may listen too.
 */
class Latch {
  #done = false;
  #subject: Subject<void> | undefined;
  #observable: Observable<void> | undefined;
  #first: StopListener | undefined;
  #last: StopListener | undefined;

  get done(): boolean {
    return this.#done;
  }

  get observable(): Observable<void> {
    return (this.#observable ??= new Observable<void>((subscriber) => {
      if (this.#done) {
        subscriber.next();
        subscriber.complete();
        return;
      }
      return (this.#subject ??= new Subject<void>()).subscribe(subscriber);
    }));
  }

  /** Calls `listener.runStopped()` once when the latch fires (the caller checks `done` first). */
  listen(listener: StopListener): void {
    const last = this.#last;
    listener.previousListener = last;
    if (last) last.nextListener = listener;
    else this.#first = listener;
    this.#last = listener;
  }

  /** Takes `listener` off the list (nothing if it is not on it). */
  unlisten(listener: StopListener): void {
    const previous = listener.previousListener;
    const next = listener.nextListener;
    if (previous) previous.nextListener = next;
    else if (this.#first === listener) this.#first = next;
    else return;
    if (next) next.previousListener = previous;
    else this.#last = previous;
    listener.previousListener = listener.nextListener = undefined;
  }

  /** How many listeners are on the list: for inspection (a walk, not a count kept at each sleep). */
  get listening(): number {
    let count = 0;
    for (let listener = this.#first; listener; listener = listener.nextListener) count++;
    return count;
  }

  /** Fires the latch (nothing if it has fired already). */
  fire(): void {
    if (this.#done) return;
    this.#done = true;
    const subject = this.#subject;
    if (subject) {
      subject.next();
      subject.complete();
    }
    // Each one off the list before it hears: one that takes another off, or adds one, keeps the list whole.
    let listener: StopListener | undefined;
    while ((listener = this.#first)) {
      this.unlisten(listener);
      listener.runStopped();
    }
  }
}

function unsubscribe(subscription: Subscription): void {
  subscription.unsubscribe();
}

// One outcome for every clean teardown: an object a stop less (W1: 11,111 a tree).
const RESOLVED = { failed: false } as const;

/**
 * The outcome of a teardown, for everyone who asks for the stop while it runs or after:
 * completes, or errors with the failure, at once for late subscribers.
 */
export class Completion {
  #outcome: { failed: boolean; error?: unknown } | undefined;
  #subject: Subject<void> | undefined;
  #observable: Observable<void> | undefined;

  get settled(): boolean {
    return this.#outcome !== undefined;
  }

  get observable(): Observable<void> {
    return (this.#observable ??= new Observable<void>((subscriber) => {
      const outcome = this.#outcome;
      if (!outcome) return (this.#subject ??= new Subject<void>()).subscribe(subscriber);
      if (outcome.failed) subscriber.error(outcome.error);
      else subscriber.complete();
      return;
    }));
  }

  resolve(): void {
    if (this.#outcome) return;
    this.#outcome = RESOLVED;
    this.#subject?.complete();
  }

  reject(error: unknown): void {
    if (this.#outcome) return;
    this.#outcome = { failed: true, error };
    this.#subject?.error(error);
  }
}

/**
 * Everything one run of a service owns, from its start to its reset: the stop signal,
 * the AbortController, the subscriptions of its tasks, the promises it waits for on
 * stop and the contexts it exits. A reset makes a new Run, so nothing from an earlier
 * run can leak into the next one. Each part is made on first use: a tree of thousands of
 * services that never touch a signal or a task pays for none of them.
 */
export class Run {
  #abort: AbortController | undefined;
  // The subscriptions of tasks and timers (a Subscription per run would cost an array
  // of finalizers with room for 17).
  #work: Few<Subscription>;
  #live: Set<PendingWork> | undefined;
  /** Tasks' Observables still subscribed, by their subscription (see holdStream). */
  #streams: Map<Subscription, PendingWork> | undefined;
  /**
   * How many Promise works are pending, not counting the excused: what a stop waits for.
   * Kept as each is tracked, settles or is excused, so that a stop counts nothing (W6: a
   * walk over 1,000 works to mark each one awaited).
   */
  #pendingCount = 0;
  /** What a stop calls once none is left (see whenSettled). */
  #whenSettled: (() => void) | undefined;
  #contexts: (Disposable | AsyncDisposable)[] | undefined;
  readonly #stopped = new Latch();
  #shutdown: Latch | undefined;
  /** Set when the teardown begins; every later stop() waits on it. */
  teardown: Completion | undefined;
  /** Once the teardown exited the contexts, a context added late is exited at once. */
  contextsClosed = false;
  /** The start hook still running (a Promise), which a stop waits for before `onStop`. */
  startHook: PendingWork | undefined;

  get isStopped(): boolean {
    return this.#stopped.done;
  }

  /** Emits once and completes when the run must stop; at once for late subscribers. */
  get stopped$(): Observable<void> {
    return this.#stopped.observable;
  }

  /** Calls `listener.runStopped()` once when the run must stop; the caller checks `isStopped` first. */
  onStopped(listener: StopListener): void {
    this.#stopped.listen(listener);
  }

  offStopped(listener: StopListener): void {
    this.#stopped.unlisten(listener);
  }

  /** How many {@link StopListener}s (sleeps) wait for the stop: for inspection. */
  get stopListenerCount(): number {
    return this.#stopped.listening;
  }

  /** Emits once `setShutdown()` was called; at once for late subscribers. */
  get shutdown$(): Observable<void> {
    return (this.#shutdown ??= new Latch()).observable;
  }

  /** Aborted when the run stops (made already aborted if asked for after that). */
  get signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController();
      if (this.isStopped) this.#abort.abort(stopReason());
    }
    return this.#abort.signal;
  }

  /** Keeps a task's or timer's subscription until the run stops (at once if it has). */
  hold(subscription: Subscription): void {
    if (this.isStopped) {
      subscription.unsubscribe();
      return;
    }
    this.#work = addToFew(this.#work, subscription);
  }

  /**
   * Keeps a task's Observable subscription as {@link hold} does, and shows it as `work`
   * (in `tracebacks()`) while it is open; {@link forgetStream} when it ends on its own.
   * Keyed by the subscription, so the stop, which ends them all, forgets them all at
   * once: W6, a key object and a teardown that deleted it, per task, were a tenth of a
   * stop with 1,000 Observable tasks.
   */
  holdStream(subscription: Subscription, work: PendingWork): void {
    this.hold(subscription);
    if (!subscription.closed) (this.#streams ??= new Map()).set(subscription, work);
  }

  forgetStream(subscription: Subscription): void {
    this.#streams?.delete(subscription);
  }

  /** Whether every subscription of the run's tasks and timers is closed. */
  get workClosed(): boolean {
    return everyOfFew(this.#work, (s) => s.closed);
  }

  /**
   * Work still going: Promise work and the Observables of timer runs and futures, each
   * work its own key (W6: no key object, and one lookup to forget). Tasks' Observables are
   * kept apart (holdStream).
   */
  get live(): Set<PendingWork> {
    return (this.#live ??= new Set());
  }

  /** How much work is still going (Observable or Promise), without making the maps. */
  get liveCount(): number {
    return (this.#live?.size ?? 0) + (this.#streams?.size ?? 0);
  }

  /** Every work still going, Observable or Promise: for tracebacks and inspection. */
  *liveWork(): IterableIterator<PendingWork> {
    if (this.#live) yield* this.#live.values();
    if (this.#streams) yield* this.#streams.values();
  }

  /** Contexts entered for this run, in the order they were entered. */
  get contexts(): (Disposable | AsyncDisposable)[] {
    return (this.#contexts ??= []);
  }

  get contextCount(): number {
    return this.#contexts?.length ?? 0;
  }

  /** Stop everything that runs on its own: the signal aborts, `stopped$` emits, tasks end. */
  signalStop(): void {
    if (this.#stopped.done) return;
    // Aborted first, so whoever hears stopped$ already sees signal.aborted.
    this.#abort?.abort(stopReason());
    this.#stopped.fire();
    const work = this.#work;
    this.#work = undefined;
    forEachOfFew(work, unsubscribe);
    // Every one of them is held in `work`, and so closed just now.
    this.#streams = undefined;
  }

  setShutdown(): void {
    (this.#shutdown ??= new Latch()).fire();
  }

  /** Keeps `promise`, a start hook's, as `startHook` until it settles. */
  trackStartHook(promise: PromiseLike<unknown>, work: PendingWork): void {
    work.promise = promise;
    this.startHook = work;
    const forget = () => {
      if (this.startHook === work) this.startHook = undefined;
    };
    promise.then(forget, forget);
  }

  /**
   * Tracks a promise until the caller says it settled ({@link Run.forgetPromise}, from the
   * one reaction it registers anyway); `stop()` waits for the ones still pending. W6: one
   * reaction a Promise task, not two, made its stop 20 % shorter (Node 20: 2.3 to 1.8 ms,
   * Node 24: 3.2 to 2.5 ms; medians of 31 stops, three times).
   */
  trackPromise<T>(promise: PromiseLike<T>, work: PendingWork): void {
    work.promise = promise;
    work.pendingIn = this;
    if (!work.excused) this.#pendingCount++;
    this.live.add(work);
  }

  /**
   * Forgets a promise given to {@link Run.trackPromise} with `work`: it settled. (The
   * caller has the work at hand: no lookup to find it, W6: 1,000 a stop.)
   */
  forgetPromise(work: PendingWork): void {
    if (work.pendingIn !== this) return;
    work.pendingIn = undefined;
    this.#live!.delete(work);
    if (!work.excused) this.settledOne();
  }

  /** One Promise work that a stop waits for has settled, or was excused (see {@link excuse}). */
  settledOne(): void {
    if (--this.#pendingCount > 0 || !this.#whenSettled) return;
    const done = this.#whenSettled;
    this.#whenSettled = undefined;
    // After the reaction that forgot it has told its own subscriber, as allSettled would.
    queueMicrotask(done);
  }

  /**
   * Calls `done` once every Promise work pending, except the excused (which called
   * `stop()`), has settled, those tracked meanwhile included. Returns a function that
   * stops waiting, or undefined (and calls nothing) when there is nothing to wait for.
   * One waiter at a time: a run has one teardown. W6: a count kept as each settles, in
   * place of `Promise.allSettled` over them (a reaction and a result object each), and of
   * a Set of them.
   */
  whenSettled(done: () => void): (() => void) | undefined {
    if (this.#pendingCount === 0) return undefined;
    this.#whenSettled = done;
    return () => {
      if (this.#whenSettled === done) this.#whenSettled = undefined;
    };
  }
}
