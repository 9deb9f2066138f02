import { LEVEL_VALUES } from './levels.js';

/**
 * One log record as pino writes it (a parsed JSON line): `level` is pino's number
 * (10 trace … 60 fatal), `time` epoch milliseconds; services bind `label` and `depth`.
 */
export interface LogRecord {
  level: number | string;
  time?: number | string;
  msg?: string;
  label?: string;
  depth?: number;
  name?: string;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

/** How {@link formatRecord} renders a record. */
export interface FormatOptions {
  /** Render times in UTC instead of local time (local is what mode does). */
  utc?: boolean;
  /** Colour the level name with ANSI escapes (for terminals). */
  colors?: boolean;
}

// Python's level names, so the lines read like mode's (`WARNING`, not `WARN`). Exported
// for the console logger, whose levels are always pino's numbers: read here rather than
// through levelName, 43 bytes gzipped less of a Service bundle (measured).
export const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};
const COLORS: Record<string, string> = {
  TRACE: '\x1b[90m',
  DEBUG: '\x1b[34m',
  WARNING: '\x1b[33m',
  ERROR: '\x1b[31m',
  CRITICAL: '\x1b[1;31m',
};
// Fields that the line already shows, or that only make sense in JSON.
const SHOWN = new Set(['level', 'time', 'msg', 'label', 'depth', 'name', 'err', 'pid', 'hostname', 'v']);

/**
 * The Python-style name of a pino level (a number or a label such as `'warn'`).
 *
 * @example
 * levelName(40);      // 'WARNING'
 * levelName('fatal'); // 'CRITICAL'
 */
export function levelName(level: number | string): string {
  const value = typeof level === 'number' ? level : LEVEL_VALUES[level];
  if (value !== undefined && LEVEL_NAMES[value]) return LEVEL_NAMES[value]!;
  return String(level).toUpperCase();
}

/**
 * mode's timestamp: `2026-11-21 12:00:00,000` (Python's `asctime`, comma before the ms).
 *
 * @example
 * formatTime(Date.UTC(2026, 10, 21, 12), { utc: true }); // '2026-11-21 12:00:00,000'
 */
export function formatTime(ms: number, options: { utc?: boolean } = {}): string {
  // The ISO string of the wall-clock time (shifted by the zone's offset at that moment),
  // cut to mode's shape, rather than seven getters read in two flavours: 61 bytes gzipped
  // less of a Service bundle (measured). The same text as the getters give for the years
  // 0 to 9999 in zones whose offset is whole minutes (every zone since 1972; a few kept
  // local mean time, with seconds, before). A time no Date can hold reads as NaN, as before.
  const at = ms - (options.utc === true ? 0 : new Date(ms).getTimezoneOffset() * 60_000);
  if (!(Math.abs(at) <= 8.64e15)) return '0NaN-NaN-NaN NaN:NaN:NaN,NaN';
  return asctime(at);
}

/**
 * {@link formatTime} in local time, of a time any Date can hold (the console logger's
 * `Date.now()`): without the utc option and the NaN text, 47 bytes gzipped less of a
 * Service bundle (measured).
 *
 * @example
 * localTime(Date.now()); // '2026-12-01 09:30:00,000' in the local zone
 */
export function localTime(ms: number): string {
  return asctime(ms - new Date(ms).getTimezoneOffset() * 60_000);
}

function asctime(at: number): string {
  return new Date(at).toISOString().slice(0, 23).replace('T', ' ').replace('.', ',');
}

/**
 * The prefix mode puts before a service's messages: `^` and one `-` per level below the
 * root (`depth` 1 is the root).
 *
 * @example
 * servicePrefix('Webserver', 3); // '[^--Webserver]'
 */
export function servicePrefix(label: string, depth: number | undefined): string {
  const dashes = Math.max(0, Math.floor(Number(depth ?? 1)) - 1);
  return `[^${'-'.repeat(Number.isFinite(dashes) ? dashes : 0)}${label}]`;
}

/**
 * Renders a record as one of mode's log lines (plus the error's stack on the lines after).
 *
 * @example
 * formatRecord({ level: 30, time: Date.UTC(2026, 10, 21, 12), label: 'Webserver', depth: 3, msg: 'Starting...' }, { utc: true });
 * // '[2026-11-21 12:00:00,000: INFO]: [^--Webserver]: Starting...'
 */
export function formatRecord(record: LogRecord, options: FormatOptions = {}): string {
  const time = formatTime(toEpochMs(record.time), options);
  let level = levelName(record.level);
  if (options.colors && COLORS[level]) level = `${COLORS[level]}${level}\x1b[0m`;
  let line = `[${time}: ${level}]: `;
  if (typeof record.label === 'string') line += `${servicePrefix(record.label, record.depth)}: `;
  else if (typeof record.name === 'string') line += `[${record.name}]: `;
  // An `err` that is no object (`log.error({ err: 'timed out' }, ...)`: pino passes it on as
  // it is) has no stack or message to show below: an extra field, unless the message shows
  // it already (a crash's `reason=...` does).
  const err = typeof record.err === 'object' ? record.err : undefined;
  const msg = record.msg ?? (err && err.message) ?? '';
  line += msg;
  const plainErr = !err && !String(msg).includes(String(record.err));
  const extra = Object.keys(record)
    .filter((key) => (!SHOWN.has(key) || (key === 'err' && plainErr)) && record[key] !== undefined)
    .map((key) => `${key}=${show(record[key])}`);
  if (extra.length > 0) line += ` ${extra.join(', ')}`;
  if (err) {
    // An error without frames (a deliberate one-line error) adds nothing the line lacks.
    const stack = typeof err.stack === 'string' ? err.stack : '';
    const framed = stack.includes('\n');
    if (framed || (stack.length > 0 && !line.includes(stack))) line += `\n${stack}`;
    else if (stack.length === 0 && err.message !== undefined && !line.includes(err.message)) {
      line += `\n${err.type ?? 'Error'}: ${err.message}`;
    }
  }
  return line;
}

function toEpochMs(time: unknown): number {
  if (typeof time === 'number') return time;
  if (typeof time === 'string') {
    const parsed = Date.parse(time);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return Date.now();
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
