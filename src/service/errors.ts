/**
 * Raised when a lifecycle call does not fit the service's state, such as `start()` on
 * a service that is not in `init`.
 *
 * @example
 * await svc.start();
 * await svc.start(); // rejects: ServiceStateError: cannot start Web: it is running (start needs init)
 */
export class ServiceStateError extends Error {
  override name = 'ServiceStateError';

  constructor(
    message: string,
    readonly state?: string,
  ) {
    super(message);
  }
}

/**
 * A step of a stop (`onStop`, `onShutdown`, a context's exit, or the start hook a stop
 * waited for) that did not finish within the service's `stopTimeout`. The teardown goes
 * on without it; the service ends `crashed` with this error, and `stop()` rejects with it.
 *
 * @example
 * class Stuck extends Service {
 *   static override stopTimeout = '1s';
 *   override onStop() { return new Promise(() => {}); }
 * }
 * await stuck.stop(); // rejects after 1 s: StopTimeoutError: Stuck.onStop did not finish within 1000 ms
 */
export class StopTimeoutError extends Error {
  override name = 'StopTimeoutError';

  constructor(
    /** The step that did not finish, e.g. `Web.onStop`. */
    readonly step: string,
    /** How long it was given, in ms. */
    readonly timeoutMs: number,
  ) {
    super(`${step} did not finish within ${timeoutMs} ms`);
  }
}
