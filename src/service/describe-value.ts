/**
 * A bad value as a TypeError names it, the one way every check of rxmode's core names
 * one (a service's options, a duration, a context, a dependency, what toObservable takes,
 * the Worker's options): a string quoted, a function by its name, an object by its label
 * if it has one and by its class (not as JSON: a value may be large, or refuse it),
 * anything else as `String()` writes it.
 *
 * @example
 * describeValue('soon');             // "'soon'"
 * describeValue(42);                 // '42'
 * describeValue(function tick() {}); // 'function tick'
 * describeValue([1]);                // 'an Array'
 * describeValue({ a: 1 });           // 'an object'
 * describeValue(new Map());          // 'a Map'
 * describeValue({ label: 'web' });   // 'web (an object)'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value !== 'object' || value === null) return String(value);
  const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
  const named = typeof kind === 'string' && kind !== 'Object' ? `a${/^[AEIOU]/.test(kind) ? 'n' : ''} ${kind}` : 'an object';
  const label = (value as { label?: unknown }).label;
  return typeof label === 'string' ? `${label} (${named})` : named;
}
