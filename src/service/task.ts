import { declareWork } from './declare.js';
import type { Service } from './service.js';
import { invokeWork } from './work.js';

/**
 * Declares a method as a background task of its service, started after `onStart` and
 * ended by the stop. It may return an Observable (unsubscribed on stop), a Promise (it
 * gets the service's AbortSignal, and stop waits for it up to `stopTimeout`), or nothing.
 * Its error crashes the service; the AbortError of a stop is the normal way out.
 *
 * @example
 * ```ts
 * class Poller extends Service {
 *   @task poll() { return interval(1000).pipe(tap(() => this.log.info('tick'))); }
 *   @task async drain(signal: AbortSignal) { while (!signal.aborted) await this.sleep('1s'); }
 * }
 * ```
 */
export function task<This extends Service>(
  _method: (this: This, signal: AbortSignal) => unknown,
  context: ClassMethodDecoratorContext<This>,
): void {
  const name = String(context.name);
  // invokeWork takes the stack where the task began: inside start(), below its caller.
  declareWork(context, (service) =>
    invokeWork(service, `${service.label}.${name}`, 'task', () => {
      const method = (service as unknown as Record<string, (signal: AbortSignal) => unknown>)[name]!;
      return method.call(service, service.signal);
    }),
  );
}
