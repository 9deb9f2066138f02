import { Observable, type ObservableInput, type Subscriber, type TeardownLogic, observable as interopSymbol } from 'rxjs';
import { describeValue } from '../service/describe-value.js';

/**
 * `input` as an Observable, as rxjs's `from(input)` makes it (an Observable as it is; a
 * Promise, an array or array-like, an iterable, an async iterable, a ReadableStream or an
 * interop Observable followed), looked at when subscribed to, as `defer(() => input)` does.
 *
 * Why not `from` or `defer`: both reach rxjs's `innerFrom`, whose esm5 build (what
 * bundlers take by default) brings tslib's generator and async helpers. That was 1.7 KB
 * gzipped of the 18.8 KB browser bundle of `import { Service }`, 17.4 KB with this file
 * and its three siblings in its place (`npm run size`, 30 November 2026). Properties in
 * `spec/observable/to-observable.spec.ts` hold it to what `from` gives.
 *
 * @example
 * toObservable(fetch(url)).subscribe((response) => console.log(response.status));
 */
export function toObservable<T>(input: ObservableInput<T>): Observable<T> {
  if (input instanceof Observable) return input;
  return new Observable<T>((subscriber) => follow(input, subscriber));
}

function follow<T>(input: ObservableInput<T>, subscriber: Subscriber<T>): TeardownLogic {
  const value = input as unknown;
  if (value !== null && value !== undefined) {
    const interop = (value as { [key: symbol | string]: unknown })[interopSymbol as symbol | string];
    if (typeof interop === 'function') return followInterop(interop.call(value), subscriber);
    if (isArrayLike(value)) return followArrayLike(value as ArrayLike<T>, subscriber);
    if (typeof (value as PromiseLike<T>).then === 'function') return followPromise(value as PromiseLike<T>, subscriber);
    if (typeof (value as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
      return followAsync(value as AsyncIterable<T>, subscriber);
    }
    if (typeof (value as Iterable<T>)[Symbol.iterator] === 'function') return followIterable(value as Iterable<T>, subscriber);
    if (typeof (value as ReadableStream<T>).getReader === 'function') {
      return followAsync(readAll(value as ReadableStream<T>), subscriber);
    }
  }
  throw new TypeError(
    `toObservable: ${describeValue(value)} is not an Observable, Promise, array, iterable, async iterable or ReadableStream`,
  );
}

// What subscribe() returns is the teardown, as `from` takes it: a Subscription, a function
// or nothing.
function followInterop<T>(target: unknown, subscriber: Subscriber<T>): TeardownLogic {
  const subscribe = (target as { subscribe?: unknown } | null)?.subscribe;
  if (typeof subscribe !== 'function') {
    throw new TypeError(`toObservable: Symbol.observable gave ${describeValue(target)}, which has no subscribe()`);
  }
  return subscribe.call(target, subscriber) as TeardownLogic;
}

function isArrayLike(value: unknown): boolean {
  return typeof (value as ArrayLike<unknown>).length === 'number' && typeof value !== 'function';
}

function followArrayLike<T>(items: ArrayLike<T>, subscriber: Subscriber<T>): void {
  for (let i = 0; i < items.length && !subscriber.closed; i++) subscriber.next(items[i]!);
  subscriber.complete();
}

function followPromise<T>(promise: PromiseLike<T>, subscriber: Subscriber<T>): void {
  promise.then(
    (value) => {
      if (subscriber.closed) return;
      subscriber.next(value);
      subscriber.complete();
    },
    (error: unknown) => subscriber.error(error),
  );
}

function followIterable<T>(items: Iterable<T>, subscriber: Subscriber<T>): void {
  for (const item of items) {
    subscriber.next(item);
    if (subscriber.closed) return;
  }
  subscriber.complete();
}

function followAsync<T>(items: AsyncIterable<T>, subscriber: Subscriber<T>): void {
  const pump = async (): Promise<void> => {
    for await (const item of items) {
      subscriber.next(item);
      if (subscriber.closed) return;
    }
    subscriber.complete();
  };
  pump().catch((error: unknown) => subscriber.error(error));
}

async function* readAll<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
