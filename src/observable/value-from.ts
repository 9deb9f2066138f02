import { EmptyError, type Observable } from 'rxjs';
import { subscriberOf } from './subscriber-of.js';

/**
 * rxjs's `firstValueFrom(source)` (`which` = `'first'`) or `lastValueFrom(source)`
 * (`'last'`), with `{ defaultValue: fallback }` when `fallback` is given: a Promise of the
 * source's first or last value; if it completes without one, `fallback`, or without a
 * fallback an `EmptyError`; its error is the rejection. After the first value the source is
 * unsubscribed.
 *
 * Why not rxjs's: with `map`, `filter`, `take` and `defaultIfEmpty` (see {@link remap},
 * {@link firstOr}), they were the last of rxjs's operators in a bundle of
 * `import { Service }`, and brought OperatorSubscriber and lift: 227 bytes gzipped less with
 * these stand-ins in their place (17,799 -> 17,572, `npm run size`, 30 November 2026).
 *
 * @example
 * await valueFrom(service.start$(), 'last', undefined); // as service.start() does
 */
export function valueFrom<T, D = never>(source: Observable<T>, which: 'first' | 'last', ...fallback: [D] | []): Promise<T | D> {
  return new Promise<T | D>((resolve, reject) => {
    let seen = false;
    let last: T;
    const subscriber = subscriberOf<T>({
      next: (value) => {
        if (which === 'first') {
          resolve(value);
          subscriber.unsubscribe();
          return;
        }
        seen = true;
        last = value;
      },
      error: reject,
      complete: () => {
        if (seen) resolve(last);
        else if (fallback.length > 0) resolve(fallback[0] as D);
        else reject(new EmptyError());
      },
    });
    source.subscribe(subscriber);
  });
}
