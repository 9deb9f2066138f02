import { Observable, type OperatorFunction } from 'rxjs';
import { subscriberOf } from './subscriber-of.js';

/**
 * rxjs's `take(1)` then `defaultIfEmpty(fallback)`: the source's first value, or
 * `fallback` if it completes without one; the source is unsubscribed after its first value.
 *
 * Why not `take` and `defaultIfEmpty`: in a bundle of `import { Service }`, `waiting.ts`
 * was their only user, and with rxjs's other operators they brought OperatorSubscriber
 * and lift (see `src/observable/value-from.ts` for the figure).
 *
 * @example
 * of(1, 2, 3).pipe(firstOr(undefined)).subscribe(console.log); // 1
 */
export function firstOr<T, D>(fallback: D): OperatorFunction<T, T | D> {
  return (source) =>
    new Observable<T | D>((subscriber) => {
      let taken = false;
      const taker = subscriberOf<T>({
        next: (value) => {
          // A value the source gives while the first one is still being passed on.
          if (taken) return;
          taken = true;
          subscriber.next(value);
          subscriber.complete();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.next(fallback);
          subscriber.complete();
        },
      });
      subscriber.add(taker);
      source.subscribe(taker);
    });
}
