import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The root logger every service logger descends from. Until `setupLogging` replaces it,
 * it writes warnings and errors only, like Python's logging with no handler configured,
 * so an unconfigured program still hears about crashes.
 */
let root: Logger = pino({ level: 'warn', base: undefined });
const listeners = new Set<(root: Logger) => void>();

/** The current root logger. */
export function rootLogger(): Logger {
  return root;
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

/** Calls `listener` whenever the root logger is replaced; returns the unsubscribe. */
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
  return root.child({ name });
}
