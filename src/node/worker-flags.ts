import { normalizeLevel } from '../logging/setup.js';
import { toMs } from '../time/duration.js';
import { parsePort, type FlagSpecs, type FlagValues } from './flags.js';
import type { WorkerOptions } from './worker.js';

/** The Worker's command-line flags (see `Worker.executeFromCommandline`). */
export const WORKER_FLAGS = {
  'log-level': { metavar: 'LEVEL', parse: normalizeLevel, help: 'lowest level logged: trace, debug, info (default), warn, error, fatal, silent' },
  'log-file': { metavar: 'PATH', parse: nonEmpty('path'), help: 'write the log to this file (JSON lines) instead of stdout' },
  'log-format': { metavar: 'FORMAT', parse: logFormat, help: "auto (default: mode's lines on a terminal, JSON otherwise), pretty or json" },
  quiet: { boolean: true, help: 'print nothing but the log' },
  debug: { boolean: true, help: 'log at debug level (unless --log-level says otherwise)' },
  'blocking-timeout': { metavar: 'DURATION', parse: blockingTimeout, help: "report an event loop blocked longer than this (default 10s; 0 turns it off)" },
  'health-port': { metavar: 'PORT', parse: parsePort, help: 'serve /livez /readyz /status /graph.dot on this port' },
  'health-host': { metavar: 'HOST', parse: nonEmpty('host'), help: 'interface for the health server (default 127.0.0.1)' },
  'console-port': { metavar: 'PORT', parse: parsePort, help: 'open a REPL into the running program on 127.0.0.1:PORT (nc 127.0.0.1 PORT)' },
} satisfies FlagSpecs;

/** Turns parsed flag values into Worker options. */
export function workerOptionsFromFlags(values: FlagValues<typeof WORKER_FLAGS>): Partial<WorkerOptions> {
  const options: Partial<WorkerOptions> = {};
  if (values['log-level'] !== undefined) options.logLevel = values['log-level'];
  if (values['log-file'] !== undefined) options.logFile = values['log-file'];
  if (values['log-format'] !== undefined) options.logFormat = values['log-format'];
  if (values.quiet !== undefined) options.quiet = values.quiet;
  if (values.debug !== undefined) options.debug = values.debug;
  if (values['blocking-timeout'] !== undefined) options.blockingTimeout = values['blocking-timeout'];
  if (values['console-port'] !== undefined) options.consolePort = values['console-port'];
  if (values['health-port'] !== undefined || values['health-host'] !== undefined) {
    options.health = {
      port: values['health-port'] ?? 0,
      ...(values['health-host'] !== undefined ? { host: values['health-host'] } : {}),
    };
  }
  return options;
}

function nonEmpty(what: string): (text: string) => string {
  return (text) => {
    if (text.trim().length === 0) throw new TypeError(`empty ${what}`);
    return text;
  };
}

function logFormat(text: string): 'auto' | 'pretty' | 'json' {
  if (text === 'auto' || text === 'pretty' || text === 'json') return text;
  throw new TypeError(`invalid log format: '${text}' (expected auto, pretty or json)`);
}

// On the command line a duration needs its unit: a bare `10` would be 10 ms to the
// library but is meant as seconds by anyone used to mode.
function blockingTimeout(text: string): number {
  if (text.trim() === '0') return 0;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) throw new TypeError(`invalid duration: '${text}' (give a unit, e.g. '10s' or '500ms')`);
  return toMs(text);
}
