import { isObservable, type Observable } from 'rxjs';

/** What a receiver returns that a send must wait for. */
export type AsyncResult = PromiseLike<unknown> | Observable<unknown>;

/**
 * True when a receiver's return value is something to wait for: a Promise (any thenable)
 * or an Observable. Other values, `undefined` above all, mean the receiver is done.
 */
export function isAsyncResult(result: unknown): result is AsyncResult {
  if (result === undefined || result === null) return false;
  if (typeof result !== 'object' && typeof result !== 'function') return false;
  return typeof (result as { then?: unknown }).then === 'function' || isObservable(result);
}

/** 'a Promise' or 'an Observable', for error messages. */
export function describeAsyncResult(result: AsyncResult): string {
  return isObservable(result) ? 'an Observable' : 'a Promise';
}

/**
 * Marks a thenable's rejection as handled (nobody will await it), so that it never
 * becomes an unhandled rejection. A `then` that throws is ignored too.
 */
export function ignoreRejection(result: PromiseLike<unknown>): void {
  try {
    result.then(undefined, () => undefined);
  } catch {
    // A broken thenable has nothing left to reject.
  }
}

/**
 * What a send fails with once every receiver has run: the one error as it was thrown,
 * or an `AggregateError` holding each in receiver order.
 *
 * @example
 * receiverFailure('Webserver.connected', [new Error('a'), new Error('b')]);
 * // AggregateError: 2 receivers of Webserver.connected failed
 */
export function receiverFailure(label: string, errors: readonly unknown[]): unknown {
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors, `${errors.length} receivers of ${label} failed`);
}
