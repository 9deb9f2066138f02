import { describeValue } from './describe-value.js';
import { hasMethod } from './has-method.js';
import type { ServiceOptions } from './service.js';

/**
 * Checks the options given to a Service's constructor by type, so that a mistake shows
 * where the service is made rather than at its first log line or wait: a TypeError
 * naming the option and the value it got.
 *
 * @example
 * checkServiceOptions({ name: 'web' });  // fine
 * checkServiceOptions({ name: 42 });     // TypeError: Service: invalid name: 42 (expected a string)
 * checkServiceOptions({ scheduler: 5 }); // TypeError: Service: invalid scheduler: 5 (expected a SchedulerLike ...)
 */
export function checkServiceOptions(options: ServiceOptions): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Service: invalid options: ${describeValue(options)} (expected an object such as { name })`);
  }
  const { name, scheduler, logger, beacon } = options as Record<keyof ServiceOptions, unknown>;
  if (name !== undefined && (typeof name !== 'string' || name.length === 0)) {
    throw new TypeError(`Service: invalid name: ${describeValue(name)} (expected a non-empty string)`);
  }
  if (scheduler !== undefined && !(hasMethod(scheduler, 'now') && hasMethod(scheduler, 'schedule'))) {
    throw new TypeError(`Service: invalid scheduler: ${describeValue(scheduler)} (expected a SchedulerLike, with now() and schedule())`);
  }
  if (logger !== undefined && !(hasMethod(logger, 'child') && hasMethod(logger, 'info'))) {
    throw new TypeError(`Service: invalid logger: ${describeValue(logger)} (expected a pino Logger)`);
  }
  if (beacon !== undefined && !hasMethod(beacon, 'new')) {
    throw new TypeError(`Service: invalid beacon: ${describeValue(beacon)} (expected a Beacon)`);
  }
}
