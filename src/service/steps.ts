import { Observable, type Subscription } from 'rxjs';

/**
 * Runs the Observables a generator yields one after another, each subscribed when the
 * one before it completes, and completes after the last. Steps that complete
 * synchronously run in one synchronous pass (no recursion, no scheduling), which is what
 * lets a lifecycle of synchronous hooks make all its transitions inside one virtual frame.
 * The generator decides lazily what comes next, so a step may depend on the ones before
 * it (a child added by `onStart` is started), and may end early (a stop during start).
 *
 * @example
 * inOrder(function* () {
 *   yield timer(10);          // the next step is made only once this one completed
 *   if (svc.shouldStop) return;
 *   yield svc.stop$();
 * }());
 */
export function inOrder(steps: Iterator<Observable<unknown>>): Observable<void> {
  return new Observable<void>((subscriber) => {
    let current: Subscription | undefined;
    let closed = false;

    const advance = (): void => {
      while (!closed) {
        let next: IteratorResult<Observable<unknown>>;
        try {
          next = steps.next();
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (next.done) {
          subscriber.complete();
          return;
        }
        let synchronous = true;
        let completed = false;
        current = next.value.subscribe({
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            completed = true;
            if (!synchronous) advance();
          },
        });
        synchronous = false;
        if (!completed) return;
      }
    };

    advance();
    return () => {
      closed = true;
      current?.unsubscribe();
    };
  });
}
