import { pino } from 'pino';
import { formatRecord, type LogRecord } from './format.js';
import { setRootLogger, type Logger } from './logger.js';
import { prettyDestination, type LineSink } from './pretty.js';

/** The levels `setupLogging` accepts (pino's, plus `'silent'`). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Options of {@link setupLogging}. */
export interface LoggingOptions {
  /** The lowest level written (default `'info'`). `'warning'` and upper case are accepted too. */
  level?: LogLevel | string;
  /** Write to this file (appending, directories created) instead of stdout. Node only. */
  file?: string;
  /** mode's human lines instead of pino's JSON lines (default false here; rxmode/node's `setupLogging` turns it on for terminals). */
  pretty?: boolean;
  /** Colour the level names (pretty lines only). */
  colors?: boolean;
  /** Pretty timestamps in UTC instead of local time. */
  utc?: boolean;
  /** Where lines go instead of stdout (Node) or the console (browsers). Ignored with `file`. */
  destination?: LineSink;
}

/**
 * Replaces the root logger that every service and {@link getLogger} logger descends from
 * (mode's `setup_logging`), and returns it. Service loggers carry `label` and `depth`
 * fields; pretty output turns them into mode's `[^--Webserver]: ...` prefix, JSON output
 * keeps them as fields.
 *
 * Works in browsers too (pino's browser build writes to the console); `file` needs Node.
 *
 * @example
 * setupLogging({ level: 'debug', pretty: true });
 * // [2026-11-21 12:00:00,000: INFO]: [^Worker]: Starting...
 *
 * @example
 * setupLogging({ level: 'info', file: '/var/log/app.log' }); // JSON lines, appended
 */
export function setupLogging(options: LoggingOptions = {}): Logger {
  const level = normalizeLevel(options.level ?? 'info');
  const pretty = options.pretty ?? false;
  const format = { utc: options.utc, colors: options.colors };
  const destination = options.destination;
  const writeObject = (record: LogRecord): void => {
    if (pretty) {
      const line = formatRecord(record, format);
      if (destination) destination.write(`${line}\n`);
      else consoleFor(record.level)(line);
    } else if (destination) {
      destination.write(`${JSON.stringify(record)}\n`);
    } else {
      consoleFor(record.level)(record);
    }
  };
  const loggerOptions = {
    level,
    base: undefined,
    // Only read by pino's browser build: there pino hands us the record as an object.
    browser: pretty || destination ? { asObject: true, write: writeObject as (o: object) => void } : {},
  };
  // pino's Node build has `destination` (sonic-boom); its browser build does not.
  const nodeDestination = (pino as unknown as { destination?: typeof pino.destination }).destination;
  let logger: Logger;
  if (nodeDestination === undefined) {
    if (options.file !== undefined) {
      throw new TypeError(`cannot log to file ${JSON.stringify(options.file)}: file logging needs Node`);
    }
    logger = pino(loggerOptions);
  } else {
    let sink: LineSink;
    if (options.file !== undefined) {
      if (typeof options.file !== 'string' || options.file.length === 0) {
        throw new TypeError(`invalid log file: ${JSON.stringify(options.file)} (expected a path)`);
      }
      sink = nodeDestination({ dest: options.file, sync: true, mkdir: true, append: true });
    } else {
      sink = destination ?? nodeDestination({ dest: 1, sync: true });
    }
    logger = pino(loggerOptions, pretty ? prettyDestination(sink, format) : (sink as { write(s: string): void }));
  }
  setRootLogger(logger);
  return logger;
}

/**
 * Checks and normalizes a level name (`'WARNING'` → `'warn'`), or throws a TypeError naming it.
 *
 * @example
 * normalizeLevel('Warning'); // 'warn'
 */
export function normalizeLevel(level: unknown): LogLevel {
  if (typeof level === 'string') {
    let name = level.trim().toLowerCase();
    if (name === 'warning') name = 'warn';
    if (name === 'critical') name = 'fatal';
    if (LEVELS.includes(name)) return name as LogLevel;
  }
  throw new TypeError(
    `invalid log level: ${typeof level === 'string' ? `'${level}'` : String(level)} (expected one of ${LEVELS.join(', ')})`,
  );
}

function consoleFor(level: unknown): (...args: unknown[]) => void {
  const value = typeof level === 'number' ? level : 30;
  if (value >= 50) return console.error.bind(console);
  if (value >= 40) return console.warn.bind(console);
  return console.log.bind(console);
}
