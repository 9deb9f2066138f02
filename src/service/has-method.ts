/**
 * Whether `value` is an object or a function with a method `key`: how a context (a
 * `Disposable`) and a Service's scheduler, logger and beacon options are recognised.
 *
 * @example
 * hasMethod(asyncScheduler, 'schedule'); // true
 * hasMethod({ now: 5 }, 'now');          // false
 * hasMethod(null, Symbol.dispose);       // false
 */
export function hasMethod(value: unknown, key: string | symbol): boolean {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as Record<string | symbol, unknown>)[key] === 'function';
}
