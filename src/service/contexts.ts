/// <reference lib="esnext.disposable" preserve="true" />
// This file's types name Disposable or Symbol.(async)dispose: why the reference, see service.ts.
import type { Observable } from 'rxjs';
import { lazy } from '../observable/lazy.js';
import { describeValue } from './describe-value.js';
import { hasMethod } from './has-method.js';
import { inOrder } from './steps.js';

const dispose: symbol = Symbol.dispose ?? Symbol.for('Symbol.dispose');
const asyncDispose: symbol = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/**
 * Checks that `ctx` is a TC39 `Disposable` (it has `[Symbol.dispose]`), with an error that
 * says what to do instead when it is not.
 */
export function assertDisposable(ctx: unknown, owner: string): asserts ctx is Disposable {
  if (hasMethod(ctx, dispose)) return;
  if (hasMethod(ctx, asyncDispose)) {
    throw new TypeError(`${owner}.addContext: ${describeValue(ctx)} is an AsyncDisposable; use await addAsyncContext(ctx)`);
  }
  throw new TypeError(`${owner}.addContext: ${describeValue(ctx)} is not a Disposable (no [Symbol.dispose]())`);
}

/** Checks that `ctx` is a TC39 `AsyncDisposable` (it has `[Symbol.asyncDispose]`). */
export function assertAsyncDisposable(ctx: unknown, owner: string): asserts ctx is AsyncDisposable {
  if (hasMethod(ctx, asyncDispose)) return;
  if (hasMethod(ctx, dispose)) {
    throw new TypeError(`${owner}.addAsyncContext: ${describeValue(ctx)} is a plain Disposable; use addContext(ctx)`);
  }
  throw new TypeError(`${owner}.addAsyncContext: ${describeValue(ctx)} is not an AsyncDisposable (no [Symbol.asyncDispose]())`);
}

/**
 * Exits the contexts in reverse order of entry, each awaited when async (through
 * `bound`, which limits how long one may take). A failing exit is handed to `onError`
 * and the others still exit.
 */
export function exitContexts(
  contexts: (Disposable | AsyncDisposable)[],
  onError: (error: unknown) => void,
  bound: (exit: Observable<unknown>, name: string) => Observable<unknown>,
): Observable<void> {
  const entered = contexts.splice(0).reverse();
  return inOrder(
    (function* () {
      for (const ctx of entered) {
        if (!hasMethod(ctx, asyncDispose)) {
          try {
            (ctx as Disposable)[Symbol.dispose]();
          } catch (error) {
            onError(error);
          }
          continue;
        }
        try {
          yield bound(lazy(() => (ctx as AsyncDisposable)[Symbol.asyncDispose]()), `the context ${describeValue(ctx)}`);
        } catch (error) {
          onError(error);
        }
      }
    })(),
  );
}
