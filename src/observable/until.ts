import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * rxjs's `takeUntil` for an Observable notifier: mirrors the source until `notifier`
 * emits, then completes (an error of the notifier is the result's error; its completion
 * changes nothing). A notifier that emits at once means the source is never subscribed to.
 *
 * Why not `takeUntil`: it reaches rxjs's `innerFrom` and with it tslib's generator
 * helpers, 1.7 KB gzipped of every browser bundle that imports `Service` (see
 * `toObservable`).
 *
 * @example
 * interval(1000).pipe(until(service.stopped$)).subscribe(console.log);
 */
export function until<T>(notifier: Observable<unknown>): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      subscriber.add(
        notifier.subscribe({
          next: () => subscriber.complete(),
          error: (error: unknown) => subscriber.error(error),
        }),
      );
      if (!subscriber.closed) source.subscribe(subscriber);
    });
}
