/**
 * Raised when a service or an observable failed more often than its restart budget
 * allows. Its `cause` is the last failure, the one that was not restarted.
 *
 * @example
 * source$.pipe(supervise({ maxRestarts: 3, over: '1m' })).subscribe({
 *   error: (err) => {
 *     if (err instanceof MaxRestartsExceeded) console.error('gave up after', err.cause);
 *   },
 * });
 */
export class MaxRestartsExceeded extends Error {
  constructor(message = 'max restarts exceeded', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MaxRestartsExceeded';
  }
}
