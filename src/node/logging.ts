import type { Logger } from '../logging/logger.js';
import { setupLogging as setupCoreLogging, type LoggingOptions } from '../logging/setup.js';

/** Options of {@link setupNodeLogging}: the core `setupLogging` options, plus the stream to write to. */
export interface NodeLoggingOptions extends LoggingOptions {
  /** Where lines go without `file` (default `process.stdout`); its `isTTY` picks the format. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * `setupLogging` for Node programs (what the Worker calls): like the core `setupLogging`, but when `pretty` is not given it
 * picks mode's human lines for a terminal and pino's JSON lines for anything else (a pipe,
 * a file, a log collector), and colours the level names on a terminal (unless `NO_COLOR`).
 *
 * @example
 * setupNodeLogging({ level: 'info' });                   // pretty on a TTY, JSON when piped
 * setupNodeLogging({ level: 'debug', file: 'app.log' }); // JSON lines appended to app.log
 */
export function setupNodeLogging(options: NodeLoggingOptions = {}): Logger {
  const { stream, ...rest } = options;
  const out = stream ?? process.stdout;
  const tty = rest.file === undefined && out.isTTY === true;
  const pretty = rest.pretty ?? tty;
  const colors = rest.colors ?? (pretty && tty && !process.env['NO_COLOR']);
  // process.stdout is left to pino's own synchronous fd writer.
  const destination = rest.destination ?? (stream && stream !== process.stdout ? { write: (text: string) => stream.write(text) } : undefined);
  return setupCoreLogging({ ...rest, pretty, colors, destination });
}
