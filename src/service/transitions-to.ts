import { finalize, isObservable } from 'rxjs';
import { lazy } from '../observable/lazy.js';
import { isPromiseLike } from './hook-result.js';
import type { Service } from './service.js';

/**
 * Sets the diag flag `flag` while the decorated method runs: until it returns, until its
 * Promise settles, or while its Observable is subscribed.
 *
 * @example
 * class Db extends Service {
 *   @transitionsTo('FLUSHING') async flush() { await this.write(); }
 * }
 */
export function transitionsTo(flag: string) {
  return function <This extends Service, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => R,
    _context: ClassMethodDecoratorContext<This>,
  ): (this: This, ...args: Args) => R {
    return function (this: This, ...args: Args): R {
      const diag = this.diag;
      diag.setFlag(flag);
      let result: R;
      try {
        result = method.apply(this, args);
      } catch (error) {
        diag.unsetFlag(flag);
        throw error;
      }
      if (isObservable(result)) {
        // An Observable runs while subscribed, not while it is being made.
        diag.unsetFlag(flag);
        const observable = result;
        return lazy(() => {
          diag.setFlag(flag);
          return observable.pipe(finalize(() => diag.unsetFlag(flag)));
        }) as R;
      }
      if (isPromiseLike(result)) {
        return Promise.resolve(result).finally(() => diag.unsetFlag(flag)) as R;
      }
      diag.unsetFlag(flag);
      return result;
    };
  };
}
