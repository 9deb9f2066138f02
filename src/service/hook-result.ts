import { type Observable, isObservable } from 'rxjs';
import { toObservable } from '../observable/to-observable.js';

/** What a hook or decorated method may return: nothing, a Promise, or an Observable. */
export type HookResult = void | PromiseLike<unknown> | Observable<unknown> | undefined;

/**
 * Turns a hook's return value into an Observable that completes when the hook is done:
 * nothing completes at once (synchronously, so virtual time sees no gap), a Promise when
 * it settles, an Observable when it completes.
 *
 * @example
 * fromHookResult(undefined).subscribe({ complete: () => console.log('done at once') });
 */
export function fromHookResult(result: unknown): Observable<unknown> {
  if (isObservable(result)) return result;
  if (isPromiseLike(result)) return toObservable(result);
  // Any other value is done already: it goes out once, as `of(result)` would send it.
  return toObservable([result ?? undefined]);
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
