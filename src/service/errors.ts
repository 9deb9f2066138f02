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
