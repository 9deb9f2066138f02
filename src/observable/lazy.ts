import { Observable, type ObservableInput } from 'rxjs';
import { toObservable } from './to-observable.js';

/**
 * rxjs's `defer`: calls `factory` on each subscription and follows what it returns (see
 * {@link toObservable}); a throw from `factory` is the Observable's error.
 *
 * Why not `defer`: it reaches rxjs's `innerFrom` and with it tslib's generator helpers,
 * 1.7 KB gzipped of every browser bundle that imports `Service` (see `toObservable`).
 *
 * @example
 * lazy(() => fetch(url)).subscribe(); // fetches once per subscription
 */
export function lazy<T>(factory: () => ObservableInput<T>): Observable<T> {
  return new Observable<T>((subscriber) => toObservable(factory()).subscribe(subscriber));
}
