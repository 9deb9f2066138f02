import { type Observable, type ObservableInput, type SchedulerLike, type Subscription, Observable as RxObservable } from 'rxjs';
import type { Duration } from '../time/duration.js';
import { type GroupWaiter, type WaitGroup, groupsOn } from '../time/wait-groups.js';
import { wakeAt } from '../time/wake-at.js';
import { longTimer } from '../time/long-timer.js';
import { firstOr } from '../observable/first-or.js';
import { firstToEmit } from '../observable/first-to-emit.js';
import { remap } from '../observable/remap.js';
import { toObservable } from '../observable/to-observable.js';
import { type Run, StopListener } from './run.js';

/** The outcome of waiting for one thing while the service may stop. */
export interface WaitResult<T> {
  result?: T;
  stopped: boolean;
  timedOut: boolean;
}

/** The outcome of waiting for the first of several things. */
export interface WaitFirstResult {
  /** The inputs themselves that finished. */
  done: unknown[];
  /** Their values, in the same order. */
  results: unknown[];
  stopped: boolean;
  timedOut: boolean;
}

/**
 * Emits once after `ms`, or at once and empty-handed when the service stops first.
 *
 * @example
 * sleep$('1s', scheduler, svc.stopped$).subscribe(() => console.log('a second, or a stop'));
 */
export function sleep$(ms: Duration, scheduler: SchedulerLike, stopped$: Observable<void>): Observable<void> {
  return firstToEmit<void>(stopped$, longTimer(ms, scheduler).pipe(remap(() => undefined)));
}

/**
 * `sleep$` as a Promise for the run `run`, without an Observable between: resolves after
 * `ms` on `scheduler` (through {@link wakeAt}, so a test scheduler sees the wait), or at
 * once when the run stops first. W6: the race, map, defer and lastValueFrom of
 * `lastValueFrom(sleep$())` were 3.5 KB of a sleeping task's 6.6 KB, and most of its stop.
 * On `asyncScheduler` in Node the sleeps due at the same moment share one wake-up (see
 * {@link Sleep}).
 *
 * @example
 * await sleepInRun(1000, asyncScheduler, svc[CORE].run);
 */
export function sleepInRun(ms: number, scheduler: SchedulerLike, run: Run): Promise<void> {
  if (run.isStopped) return Promise.resolve();
  return new Promise<void>((resolve) => {
    new Sleep(run, resolve, scheduler, scheduler.now() + ms);
  });
}

/**
 * A sleep of a run, until `at` on its scheduler or the run's stop. On a scheduler whose
 * waits are shared (`asyncScheduler` in Node) it waits in the group of the waits due at
 * its moment, and a stop only takes it out of the group; W6: a wait of its own (an
 * AsyncAction, its native timer, a Subscription around it) was a quarter of a stop with
 * 1,000 sleeping tasks, in `clearInterval` and unsubscribing. On any other (a test
 * scheduler, a browser's) it has a wait of its own, which the scheduler sees.
 */
class Sleep extends StopListener implements GroupWaiter {
  group: WaitGroup | undefined = undefined;
  #wait: Subscription | undefined = undefined;
  readonly #run: Run;
  readonly #resolve: () => void;
  readonly #scheduler: SchedulerLike;
  readonly #at: number;

  constructor(run: Run, resolve: () => void, scheduler: SchedulerLike, at: number) {
    super();
    this.#run = run;
    this.#resolve = resolve;
    this.#scheduler = scheduler;
    this.#at = at;
    run.onStopped(this);
    if (!groupsOn(scheduler)?.wait(this, scheduler, at)) this.#wait = wakeAt(scheduler, at, () => this.#end());
  }

  runStopped(): void {
    this.group?.leave(this);
    this.#wait?.unsubscribe();
    this.#resolve();
  }

  wake(): void {
    // A timer may fire a little before its moment on this clock: the rest is waited out
    // in a group again, and a wait that is due (no delay left) ends.
    if (!groupsOn(this.#scheduler)!.wait(this, this.#scheduler, this.#at)) this.#end();
  }

  #end(): void {
    this.#run.offStopped(this);
    this.#resolve();
  }
}

/** Emits `timedOut()` once the timeout, if any, has passed: with none, no entrant in the race. */
function timeout$<R>(timeout: Duration | undefined, scheduler: SchedulerLike, timedOut: () => R): Observable<R>[] {
  return timeout === undefined ? [] : [longTimer(timeout, scheduler).pipe(remap(timedOut))];
}

/** The first value of `input` (undefined if it completes empty): what `wait` waits for. */
function firstOf<T>(input: ObservableInput<T>): Observable<T | undefined> {
  return toObservable(input).pipe(firstOr(undefined));
}

/**
 * Waits for `input`'s first value, the service's stop, or the timeout, whichever comes
 * first. A stop that already happened wins; a timeout is reported as `timedOut`, never as
 * `stopped` (mode conflates them). An error of `input` is passed on.
 */
export function wait$<T>(
  input: ObservableInput<T>,
  stopped$: Observable<void>,
  scheduler: SchedulerLike,
  timeout?: Duration,
): Observable<WaitResult<T>> {
  return firstToEmit(
    stopped$.pipe(remap((): WaitResult<T> => ({ stopped: true, timedOut: false }))),
    firstOf(input).pipe(remap((result): WaitResult<T> => ({ result: result as T, stopped: false, timedOut: false }))),
    ...timeout$(timeout, scheduler, (): WaitResult<T> => ({ stopped: false, timedOut: true })),
  );
}

/**
 * Waits for the first of `inputs` to give a value; every input that has one by then
 * (several, when they finish in the same synchronous pass) is in `done`.
 */
export function waitFirst$(
  inputs: readonly ObservableInput<unknown>[],
  stopped$: Observable<void>,
  scheduler: SchedulerLike,
  timeout?: Duration,
): Observable<WaitFirstResult> {
  const firsts = new RxObservable<WaitFirstResult>((subscriber) => {
    const done: unknown[] = [];
    const results: unknown[] = [];
    let subscribing = true;
    const emit = () => {
      subscriber.next({ done: [...done], results: [...results], stopped: false, timedOut: false });
      subscriber.complete();
    };
    const subscriptions = inputs.map((input) =>
      firstOf(input).subscribe({
        next: (value) => {
          done.push(input);
          results.push(value);
          if (!subscribing) emit();
        },
        error: (error: unknown) => subscriber.error(error),
      }),
    );
    subscribing = false;
    if (done.length > 0) emit();
    return () => subscriptions.forEach((s) => s.unsubscribe());
  });
  return firstToEmit(
    stopped$.pipe(remap((): WaitFirstResult => ({ done: [], results: [], stopped: true, timedOut: false }))),
    // With no inputs, only the stop or the timeout ends the wait.
    ...(inputs.length ? [firsts] : []),
    ...timeout$(timeout, scheduler, (): WaitFirstResult => ({ done: [], results: [], stopped: false, timedOut: true })),
  );
}

/** Waits for the first value of every one of `inputs` (their values in input order). */
export function waitMany$(
  inputs: readonly ObservableInput<unknown>[],
  stopped$: Observable<void>,
  scheduler: SchedulerLike,
  timeout?: Duration,
): Observable<WaitResult<unknown[]>> {
  const all = new RxObservable<unknown[]>((subscriber) => {
    const values = new Array<unknown>(inputs.length);
    let remaining = inputs.length;
    if (remaining === 0) {
      subscriber.next([]);
      subscriber.complete();
      return;
    }
    const subscriptions = inputs.map((input, index) =>
      firstOf(input).subscribe({
        next: (value) => {
          values[index] = value;
          if (--remaining === 0) {
            subscriber.next(values);
            subscriber.complete();
          }
        },
        error: (error: unknown) => subscriber.error(error),
      }),
    );
    return () => subscriptions.forEach((s) => s.unsubscribe());
  });
  return wait$(all, stopped$, scheduler, timeout);
}

/** The arguments of `waitFirst`: inputs, and optionally a trailing `{ timeout }`. */
export type WaitArgs = (ObservableInput<unknown> | { timeout?: Duration })[];

/** Splits `waitFirst`'s arguments into the inputs and the trailing options, if any. */
export function splitWaitArgs(args: WaitArgs): { inputs: ObservableInput<unknown>[]; timeout?: Duration } {
  const last = args[args.length - 1];
  if (isWaitOptions(last)) return { inputs: args.slice(0, -1) as ObservableInput<unknown>[], timeout: last.timeout };
  return { inputs: args as ObservableInput<unknown>[] };
}

function isWaitOptions(value: unknown): value is { timeout?: Duration } {
  if (typeof value !== 'object' || value === null) return false;
  // An array is iterable, an Observable made without a subscribe function has no own key.
  if (Symbol.iterator in value || Symbol.asyncIterator in value || 'then' in value || 'subscribe' in value) return false;
  return Object.keys(value).every((key) => key === 'timeout');
}
