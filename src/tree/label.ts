/**
 * The name of anything, for people (mode's `label()`): what graphs and reports show.
 * A string is itself; a number, bigint, boolean, `null` or `undefined` is its text; for
 * anything else the first non-empty string of its `label` (a class's own static one), its
 * `name` (a class's or function's name too), its class's name; `'Object'` when it has none.
 *
 * @example
 * label(new Webserver());                 // 'Webserver' (a service's label: its name, or its class)
 * label(app.connected);                   // 'App.connected' (a signal: owner and name)
 * label(Webserver);                       // 'Webserver' (a class)
 * label(() => 1);                         // 'Function' (an anonymous function)
 * label({ name: 'cache' });               // 'cache'
 * label(42);                              // '42'
 */
export function label(x: unknown): string {
  return labelBy('label', x);
}

/**
 * The short name of anything, for log lines (mode's `shortlabel()`): as {@link label},
 * but reading `shortlabel` first instead of `label`. A service's shortlabel is its label;
 * a signal has none, so it is its own name (`connected`, not `App.connected`).
 *
 * @example
 * shortlabel(new Webserver());            // 'Webserver'
 * shortlabel(app.connected);              // 'connected'
 * shortlabel('as is');                    // 'as is'
 */
export function shortlabel(x: unknown): string {
  return labelBy('shortlabel', x);
}

function labelBy(own: 'label' | 'shortlabel', x: unknown): string {
  if (typeof x === 'string') return x;
  if ((typeof x !== 'object' && typeof x !== 'function') || x === null) return String(x);
  const named = x as Record<string, unknown>;
  // A class's own static label only, as a service reads it: a subclass is not its parent.
  const first = typeof x === 'function' && !Object.hasOwn(x, own) ? undefined : named[own];
  if (typeof first === 'string' && first) return first;
  const name = named['name'];
  if (typeof name === 'string' && name) return name;
  const ctor = (x as { constructor?: unknown }).constructor;
  const ctorName = typeof ctor === 'function' ? ctor.name : undefined;
  return ctorName || 'Object';
}
