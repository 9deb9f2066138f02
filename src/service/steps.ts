import { Observable, type Subscription } from 'rxjs';

/**
 * One step of a lifecycle: an Observable to wait for, or the steps of another lifecycle
 * to run right here (a child's start inside its parent's), like `yield*` but without
 * growing the call stack.
 */
export type Step = Observable<unknown> | Steps;

/** A lifecycle written as a generator of steps. */
export type Steps = Generator<Step, void, unknown>;

/**
 * Runs the steps a generator yields one after another, each begun when the one before it
 * completed, and completes when the generator returns. A step's error is thrown into the
 * generator at its `yield`, so a lifecycle handles failures with plain try/catch; an error
 * the generator does not catch ends the Observable with it.
 *
 * A yielded generator runs inline, as `yield*` would, but on an explicit stack: its
 * return resumes the one that yielded it, its uncaught error is thrown into it. So a chain
 * of 20,000 nested services starts and stops with a call stack as deep as for one (with
 * `yield*`, each level of nesting is a frame on every resume, and a chain of a few
 * thousand overflows it).
 *
 * Steps that complete synchronously run in one synchronous pass (no recursion, no
 * scheduling): a tree whose hooks are all synchronous starts without one Observable per
 * service, and every transition happens inside one virtual frame.
 *
 * Unsubscribing cuts the step under way and returns every generator on the stack
 * (innermost first), so their `finally` blocks run.
 *
 * @example
 * inOrder(function* () {
 *   try {
 *     yield timer(10);          // the next step is made only once this one completed
 *     yield childSteps();       // another generator's steps, run inline
 *   } catch (error) {
 *     console.log('a step failed', error);
 *   }
 * }());
 */
export function inOrder(steps: Steps): Observable<void> {
  return new Observable<void>((subscriber) => {
    const stack: Steps[] = [steps];
    let current: Subscription | undefined;
    let closed = false;

    // `failed`/`error` say how the previous step ended: resumed with next() or throw().
    const advance = (failed: boolean, error: unknown): void => {
      while (!closed) {
        const top = stack[stack.length - 1]!;
        let result: IteratorResult<Step>;
        try {
          result = failed ? top.throw(error) : top.next();
        } catch (thrown) {
          stack.pop();
          if (stack.length === 0) {
            closed = true;
            subscriber.error(thrown);
            return;
          }
          failed = true;
          error = thrown;
          continue;
        }
        failed = false;
        error = undefined;
        if (result.done) {
          stack.pop();
          if (stack.length === 0) {
            closed = true;
            subscriber.complete();
            return;
          }
          continue;
        }
        const step = result.value;
        if (!(step instanceof Observable)) {
          stack.push(step);
          continue;
        }
        let synchronous = true;
        let ended = false;
        current = step.subscribe({
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
      if (closed) return;
      closed = true;
      current?.unsubscribe();
      for (let i = stack.length - 1; i >= 0; i--) {
        try {
          stack[i]!.return();
        } catch {
          // A generator still running (it unsubscribed its own runner) cannot be returned.
        }
      }
    };
  });
}
