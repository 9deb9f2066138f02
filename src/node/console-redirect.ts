import { format } from 'node:util';
import type { Logger } from '../logging/logger.js';
import type { LogLevel } from '../logging/setup.js';

const METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const;

/**
 * Sends `console.log`, `info`, `debug`, `warn`, `error` and `trace` through `logger` at
 * `level` (mode's `redirect_stdouts`), so that what a library prints lands in the log
 * with a time and a level instead of between its lines. Returns the function that puts
 * the console back. Other writes to `process.stdout` are left alone: pino writes there.
 *
 * A call made while the logger itself is writing (a destination that prints with
 * `console`) goes to the console as before, never round again.
 *
 * @example
 * const restore = redirectConsole(getLogger('console'), 'warn');
 * console.log('hello'); // [...: WARNING]: [console]: hello
 * restore();
 */
export function redirectConsole(logger: Pick<Logger, Exclude<LogLevel, 'silent'>>, level: Exclude<LogLevel, 'silent'>): () => void {
  const originals = new Map<(typeof METHODS)[number], (...args: unknown[]) => void>();
  const installed = new Map<(typeof METHODS)[number], (...args: unknown[]) => void>();
  let active = true;
  let writing = false;
  for (const method of METHODS) {
    const original = console[method] as (...args: unknown[]) => void;
    const redirected = (...args: unknown[]): void => {
      // Someone may have wrapped us meanwhile: once restored, we only pass calls on.
      if (!active || writing) {
        original.apply(console, args);
        return;
      }
      writing = true;
      try {
        const text = format(...args);
        logger[level](method === 'trace' ? `Trace: ${text}\n${traceOfCaller()}` : text);
      } finally {
        writing = false;
      }
    };
    originals.set(method, original);
    installed.set(method, redirected);
    console[method] = redirected;
  }
  return () => {
    active = false;
    for (const method of METHODS) if (console[method] === installed.get(method)) console[method] = originals.get(method)!;
  };
}

function traceOfCaller(): string {
  return (new Error().stack ?? '').split('\n').slice(3).join('\n');
}
