import { consoleLogger } from './console-logger.js';

/**
 * A log method, called as pino's are: a message with printf-style arguments
 * (`log.info('removed %d users', 2)`), or an object of fields first
 * (`log.error({ err }, 'Crashed reason=%s', reason)`).
 */
export interface LogFn {
  (msg: string, ...args: unknown[]): void;
  (obj: object, msg?: string, ...args: unknown[]): void;
}

/**
 * What rxmode asks of a logger. pino's loggers have all of it (rxmode makes pino loggers
 * unless you give it another), so any pino logger can be passed where a `Logger` is
 * wanted. This interface, rather than pino's own type, is what the core's types name,
 * so they compile without Node's types.
 *
 * @example
 * import { pino } from 'pino';
 * const logger: Logger = pino({ level: 'debug' });
 * const svc = new Service({ logger });
 */
export interface Logger {
  /** The lowest level written: `'trace'` … `'fatal'`, or `'silent'`. */
  level: string;
  /** pino's number for `level` (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal, Infinity silent). */
  readonly levelVal: number;
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger that adds `bindings` (such as `{ label, depth }`) to every record. */
  child(bindings: Record<string, unknown>): Logger;
}

let root: Logger | undefined;
// Made on first use, so a program that sets its own root never builds the default one.
let makeDefaultRoot: () => Logger = () => consoleLogger({ level: 'warn' });
const listeners = new Set<(root: Logger) => void>();

/**
 * The current root logger. Until `setupLogging` (or {@link setRootLogger}) replaces it,
 * it writes warnings and errors only, like Python's logging with no handler configured,
 * so an unconfigured program still hears about crashes: in Node as pino's JSON lines on
 * stdout, elsewhere as lines on the console.
 *
 * @example
 * rootLogger().warn('disk almost full');
 */
export function rootLogger(): Logger {
  return (root ??= makeDefaultRoot());
}

/**
 * Sets how the default root logger is made, when nothing has replaced it yet. The Node
 * flavour of the entry points makes it a pino logger; browsers keep the console one, so
 * their bundles carry no pino unless they call `setupLogging`.
 *
 * @internal
 */
export function setDefaultRootLogger(make: () => Logger): void {
  makeDefaultRoot = make;
}

/**
 * Replaces the root logger; loggers made by {@link getLogger} afterwards descend from it.
 * Used by `setupLogging` and by tests that want silence or capture.
 *
 * @example
 * setRootLogger(pino({ level: 'silent' }));
 */
export function setRootLogger(logger: Logger): void {
  root = logger;
  for (const listener of listeners) listener(logger);
}

/**
 * Calls `listener` whenever the root logger is replaced; returns the unsubscribe.
 *
 * @example
 * const off = onRootLoggerChange((root) => console.log('logging now at', root.level));
 */
export function onRootLoggerChange(listener: (root: Logger) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A named child of the root logger (mode's `get_logger`).
 *
 * @example
 * const log = getLogger('app.cache');
 * log.info('warming up');
 */
export function getLogger(name: string): Logger {
  return rootLogger().child({ name });
}
