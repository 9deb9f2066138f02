import { type Observable, type ObservableInput, defer, isObservable } from 'rxjs';

/** What a hook or decorated method may return: nothing, a Promise, or an Observable. */
export type HookResult = void | PromiseLike<unknown> | Observable<unknown> | undefined;

/**
 * `input` as an Observable, as `from(input)` makes it. What a Service reaches makes its
 * Observables with `defer` and `new Observable`, never with `from`, `of`, `concat` or
 * `merge`: their scheduler overload brings rxjs's `scheduled*` helpers into every bundle
 * that imports `Service` (0.7 KB gzipped of its 18.9 KB, `npm run size`, November 2026).
 *
 * @example
 * toObservable(fetch(url)).subscribe((response) => console.log(response.status));
 */
export function toObservable<T>(input: ObservableInput<T>): Observable<T> {
  return defer(() => input);
}

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
