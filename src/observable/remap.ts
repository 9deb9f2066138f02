import { Observable, type OperatorFunction } from 'rxjs';
import { subscriberOf } from './subscriber-of.js';

/**
 * rxjs's `map(project)` (without the index): passes on `project(value)` for each value; a
 * throw from `project` is the result's error, and the source is unsubscribed.
 *
 * Why not `map`: in a bundle of `import { Service }`, `waiting.ts` and `service.ts` were
 * the last users of rxjs's operators, whose OperatorSubscriber and lift came with them
 * (see `src/observable/value-from.ts` for the figure).
 *
 * @example
 * longTimer('1s').pipe(remap(() => 'timeout')).subscribe(console.log); // timeout
 */
export function remap<T, R>(project: (value: T) => R): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const mapper = subscriberOf<T>({
        next: (value) => {
          let result: R;
          try {
            result = project(value);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(result);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      subscriber.add(mapper);
      source.subscribe(mapper);
    });
}
