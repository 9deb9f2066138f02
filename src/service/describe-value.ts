/**
 * A bad value as a TypeError names it, the one way every check of rxmode's core names
 * one (a service's options, a duration, a context, a dependency, what toObservable takes,
 * a signal's name and receiver, the Worker's options, a ServiceThread's export): a string
 * quoted, a function by its name, an object by its label if it has one, else by its class,
 * or for a plain object by its first three keys (not as JSON: a value may be large, or
 * refuse it), anything else as `String()` writes it.
 *
 * @example
 * describeValue('soon');             // "'soon'"
 * describeValue(42);                 // '42'
 * describeValue(function tick() {}); // 'function tick'
 * describeValue([1]);                // 'an Array'
 * describeValue({ timout: '1s' });   // 'an object {timout}'
 * describeValue({ a, b, c, d });     // 'an object {a,b,c,…}'
 * describeValue(new Map());          // 'a Map'
 * describeValue({ label: 'web' });   // 'web (an object)'
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value !== 'object' || value === null) return String(value);
  const kind = (value as { constructor?: { name?: unknown } }).constructor?.name;
  const classed = typeof kind === 'string' && kind !== 'Object';
  const named = classed ? `a${/^[AEIOU]/.test(kind) ? 'n' : ''} ${kind}` : 'an object';
  const label = (value as { label?: unknown }).label;
  if (typeof label === 'string') return `${label} (${named})`;
  if (classed) return named;
  // A plain object's keys are what tell a misspelt option, or a look-alike (a
  // `{ dispose() {} }` for a Disposable), from what was meant: its first three.
  const keys = Object.keys(value);
  return `${named} {${keys.slice(0, 3)}${keys.length > 3 ? ',…' : ''}}`;
}
