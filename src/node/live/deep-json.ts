/**
 * JSON text of plain data that may nest deeper than `JSON.stringify` can follow.
 *
 * `JSON.stringify` recurses, and V8 throws `RangeError: Maximum call stack size exceeded`
 * past about 4,000 levels; a chain of 20,000 services is 20,000 nested `children` arrays
 * in `/status`. This walks with a stack of its own, so any depth is fine. It writes what
 * `JSON.stringify(value)` writes (no indentation): members that are `undefined`,
 * functions or symbols are left out of objects and written as `null` in arrays, and a
 * value with `toJSON` (a `Date`) is written by `JSON.stringify` itself.
 *
 * @example
 * deepJson({ path: 'App', children: [{ path: 'App/Db', children: [] }] });
 * // '{"path":"App","children":[{"path":"App/Db","children":[]}]}'
 */
export function deepJson(value: unknown): string {
  try {
    // The native walk first: on a tree of usual depth it is about 3x faster than the loop
    // below (9 MB of /status for a 3,000-deep chain: 0.35 s against 1 s).
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return iterativeJson(value);
  }
}

/**
 * What `deepJson` writes when `JSON.stringify` runs out of stack: the same text, walked
 * with a stack of its own.
 *
 * @example
 * iterativeJson([1, { a: undefined }]); // '[1,{}]'
 */
export function iterativeJson(value: unknown): string {
  const out: string[] = [];
  const open = new Open();
  write(value, out, open);
  while (open.stack.length > 0) {
    const top = open.stack[open.stack.length - 1]!;
    if (top.keys === undefined) nextItem(top, out, open);
    else nextMember(top, top.keys, out, open);
  }
  return out.join('');
}

/**
 * The containers being written, innermost last, and the same as a set: a container met
 * again inside itself is a cycle, refused as JSON.stringify refuses it (the loop would
 * otherwise write until memory ran out).
 */
class Open {
  readonly stack: Container[] = [];
  readonly #inside = new Set<object>();

  push(container: Container): void {
    if (this.#inside.has(container.source)) throw new TypeError('Converting circular structure to JSON');
    this.#inside.add(container.source);
    this.stack.push(container);
  }

  pop(): void {
    this.#inside.delete(this.stack.pop()!.source);
  }
}

/** An array or object being written: its members so far, and (objects) its keys. */
interface Container {
  readonly source: Record<string, unknown> & unknown[];
  readonly keys: string[] | undefined;
  index: number;
  wrote: boolean;
}

function nextItem(top: Container, out: string[], open: Open): void {
  if (top.index === top.source.length) {
    out.push(']');
    open.pop();
    return;
  }
  if (top.index > 0) out.push(',');
  const item = top.source[top.index++];
  write(skipped(item) ? null : item, out, open);
}

function nextMember(top: Container, keys: string[], out: string[], open: Open): void {
  while (top.index < keys.length) {
    const key = keys[top.index++]!;
    const member = top.source[key];
    if (skipped(member)) continue;
    out.push(`${top.wrote ? ',' : ''}${JSON.stringify(key)}:`);
    top.wrote = true;
    write(member, out, open);
    return;
  }
  out.push('}');
  open.pop();
}

/** Writes a leaf at once, or opens a container for the loop to fill. */
function write(value: unknown, out: string[], open: Open): void {
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  const source = value as Container['source'];
  if (Array.isArray(value)) {
    out.push('[');
    open.push({ source, keys: undefined, index: 0, wrote: false });
  } else {
    out.push('{');
    open.push({ source, keys: Object.keys(value), index: 0, wrote: false });
  }
}

function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
