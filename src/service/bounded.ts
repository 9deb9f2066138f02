import { Observable } from 'rxjs';
import { longTimer } from '../time/long-timer.js';
import type { ServiceCore } from './core.js';
import { StopTimeoutError } from './errors.js';
import { logAt } from './log.js';

/**
 * A step of a stop, bounded by the service's `stopTimeout`: past it, the step is logged
 * by name (like a pending task), left behind, and the Observable errors with a
 * {@link StopTimeoutError}, so the teardown goes on and `stop()` always settles. A step
 * that completes at once costs no timer.
 *
 * @example
 * yield boundedStep(core, callHookStep(svc, 'onStop'), `${svc.label}.onStop`, limit);
 */
export function boundedStep(core: ServiceCore, step: Observable<unknown>, name: string, limitMs: number): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    let finished = false;
    const subscription = step.subscribe({
      error: (error: unknown) => {
        finished = true;
        subscriber.error(error);
      },
      complete: () => {
        finished = true;
        subscriber.complete();
      },
    });
    if (finished) return subscription;
    // longTimer: a stopTimeout past setTimeout's 2^31-1 ms lasts its full time too.
    const deadline = longTimer(limitMs, core.scheduler).subscribe(() => {
      if (finished) return;
      subscription.unsubscribe();
      logAt(core.data, 'warn', 'Still pending after %d ms: %s', limitMs, name);
      subscriber.error(new StopTimeoutError(name, limitMs));
    });
    return () => {
      deadline.unsubscribe();
      subscription.unsubscribe();
    };
  });
}
