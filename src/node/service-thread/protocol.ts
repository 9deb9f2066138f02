import type { ServiceState } from '../../service/state.js';

/** What the parent hands the thread (its `workerData`). */
export interface ThreadData {
  /** The module's URL (`file:` and `data:` URLs both import). */
  readonly module: string;
  readonly exportName: string;
  readonly args: unknown;
  /** The level of the parent's logger: the thread logs nothing below it. */
  readonly logLevel: string;
}

/** A crash reason or an error as it crosses the thread boundary. */
export type WireReason =
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly stack?: string; readonly code?: unknown; readonly cause?: WireReason; readonly errors?: WireReason[] }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string };

/** Messages from the thread to the parent, in the order the thread made them. */
export type FromThread =
  | { readonly type: 'event'; readonly self: boolean; readonly label: string; readonly from: ServiceState; readonly to: ServiceState; readonly at: number; readonly reason?: WireReason }
  | { readonly type: 'started' }
  | { readonly type: 'start-failed'; readonly reason: WireReason }
  | { readonly type: 'stopped'; readonly reason?: WireReason }
  | { readonly type: 'log'; readonly line: string };

/** Messages from the parent to the thread. */
export type ToThread = { readonly type: 'stop' };

const ERRORS: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Turns a reason into something `postMessage` carries without losing what matters: an
 * Error keeps its name, message, stack, `code`, `cause` and, for an AggregateError, its
 * errors (structured clone alone drops the name of a subclass and any own fields); other
 * values go as they are when they clone, as text when they do not.
 *
 * @example
 * toWire(new TypeError('bad port')); // { kind: 'error', name: 'TypeError', message: 'bad port', stack: '...' }
 */
export function toWire(reason: unknown, depth = 0): WireReason {
  if (reason instanceof Error) {
    const out: { -readonly [K in keyof Extract<WireReason, { kind: 'error' }>]: Extract<WireReason, { kind: 'error' }>[K] } = {
      kind: 'error',
      name: reason.name,
      message: reason.message,
    };
    if (typeof reason.stack === 'string') out.stack = reason.stack;
    const code = (reason as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    // A cause chain can loop; a few levels say enough.
    if (depth < 4 && reason.cause !== undefined) out.cause = toWire(reason.cause, depth + 1);
    if (depth < 4 && reason instanceof AggregateError) out.errors = [...reason.errors].map((e) => toWire(e, depth + 1));
    return out;
  }
  try {
    return { kind: 'value', value: structuredClone(reason) };
  } catch {
    return { kind: 'text', text: String(reason) };
  }
}

/**
 * Rebuilds a reason sent with {@link toWire}: an Error of the same built-in class (or an
 * Error carrying the subclass's name), with the thread's message and stack.
 *
 * @example
 * fromWire(toWire(new RangeError('too big'))) instanceof RangeError; // true
 */
export function fromWire(wire: WireReason): unknown {
  if (wire.kind === 'value') return wire.value;
  if (wire.kind === 'text') return wire.text;
  const errors = wire.errors?.map(fromWire);
  const error: Error = errors ? new AggregateError(errors, wire.message) : new (ERRORS[wire.name] ?? Error)(wire.message);
  if (error.name !== wire.name) Object.defineProperty(error, 'name', { value: wire.name, configurable: true, writable: true });
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.code !== undefined) Object.defineProperty(error, 'code', { value: wire.code, configurable: true, writable: true, enumerable: true });
  if (wire.cause !== undefined) Object.defineProperty(error, 'cause', { value: fromWire(wire.cause), configurable: true, writable: true });
  return error;
}
