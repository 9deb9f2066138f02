import { Observable, type Subscription } from 'rxjs';

/** A lifecycle written as a generator: each yielded Observable is a step to wait for. */
export type Steps = Generator<Observable<unknown>, void, unknown>;

/**
 * Runs the Observables a generator yields one after another, each subscribed when the
 * one before it completes, and completes when the generator returns. A step's error is
 * thrown into the generator at its `yield`, so a lifecycle handles failures with plain
 * try/catch; an error the generator does not catch ends the Observable with it.
 *
 * Steps that complete synchronously run in one synchronous pass (no recursion, no
 * scheduling), and a generator may `yield*` another (a child's start inside its
 * parent's), so a tree whose hooks are all synchronous starts without one Observable per
 * service, and every transition happens inside one virtual frame.
 *
 * @example
 * inOrder(function* () {
 *   try {
 *     yield timer(10);          // the next step is made only once this one completed
 *   } catch (error) {
 *     console.log('the step failed', error);
 *   }
 * }());
 */
export function inOrder(steps: Steps): Observable<void> {
  return new Observable<void>((subscriber) => {
    let current: Subscription | undefined;
    let closed = false;

    // `failed`/`error` say how the previous step ended: resumed with next() or throw().
    const advance = (failed: boolean, error: unknown): void => {
      while (!closed) {
        let result: IteratorResult<Observable<unknown>>;
        try {
          result = failed ? steps.throw(error) : steps.next();
        } catch (thrown) {
          subscriber.error(thrown);
          return;
        }
        if (result.done) {
          subscriber.complete();
          return;
        }
        let synchronous = true;
        let ended = false;
        failed = false;
        error = undefined;
        current = result.value.subscribe({
          error: (stepError: unknown) => {
            if (synchronous) {
              ended = true;
              failed = true;
              error = stepError;
            } else advance(true, stepError);
          },
          complete: () => {
            if (synchronous) ended = true;
            else advance(false, undefined);
          },
        });
        synchronous = false;
        if (!ended) return;
      }
    };

    advance(false, undefined);
    return () => {
      closed = true;
      current?.unsubscribe();
    };
  });
}
