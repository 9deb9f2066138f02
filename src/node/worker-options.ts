import { normalizeLevel } from '../logging/setup.js';
import { describeValue } from '../service/describe-value.js';
import { toMs } from '../time/duration.js';
import { toIntervalMs } from '../time/interval.js';
import type { WorkerOptions } from './worker.js';

/**
 * Checks a Worker's options when it is made, not when each is first used (a bad health
 * port used to show only once the services ran): a TypeError naming the option and the
 * value. Returns the options, for `super(checkWorkerOptions(options))`. The options it
 * shares with every Service are checked by the Service.
 *
 * @example
 * checkWorkerOptions({ health: { port: 9000 }, exitGrace: '5s' }); // fine
 * checkWorkerOptions({ health: { port: 99999 } }); // TypeError: Worker: invalid health.port: 99999 (expected an integer 0-65535)
 */
export function checkWorkerOptions<O extends WorkerOptions>(options: O): O {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`Worker: invalid options: ${describeValue(options)} (expected an object such as { logLevel })`);
  }
  const o = options as Record<keyof WorkerOptions, unknown>;
  const bad = (name: string, value: unknown, expected: string): TypeError =>
    new TypeError(`Worker: invalid ${name}: ${describeValue(value)} (expected ${expected})`);
  const rethrow = (name: string, value: unknown, expected: string, check: () => unknown): void => {
    try {
      check();
    } catch {
      throw bad(name, value, expected);
    }
  };

  if (o.logLevel !== undefined) rethrow('logLevel', o.logLevel, 'trace, debug, info, warn, error, fatal or silent', () => normalizeLevel(o.logLevel));
  if (o.logFile !== undefined && (typeof o.logFile !== 'string' || o.logFile.trim() === '')) throw bad('logFile', o.logFile, 'a path');
  if (o.logFormat !== undefined && o.logFormat !== 'auto' && o.logFormat !== 'pretty' && o.logFormat !== 'json') {
    throw bad('logFormat', o.logFormat, "'auto', 'pretty' or 'json'");
  }
  for (const flag of ['overrideLogging', 'quiet', 'debug'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw bad(flag, o[flag], 'true or false');
  }
  const blocking = o.blockingTimeout;
  if (blocking !== undefined && blocking !== false && blocking !== 0) {
    rethrow('blockingTimeout', blocking, "a duration of at least 1 ms, or 0 or false for none", () => toIntervalMs(blocking as never, 'blocking timeout'));
  }
  if (o.health !== undefined && o.health !== false) checkHealth(o.health, bad);
  if (o.exitGrace !== undefined) rethrow('exitGrace', o.exitGrace, "a duration such as '3s'", () => toMs(o.exitGrace as never));
  if (o.flags !== undefined && (typeof o.flags !== 'object' || o.flags === null || Array.isArray(o.flags))) {
    throw bad('flags', o.flags, 'an object of flag specs');
  }
  if (o.help !== undefined && typeof o.help !== 'string') throw bad('help', o.help, 'a string');
  for (const stream of ['stdout', 'stderr'] as const) {
    const value = o[stream];
    if (value !== undefined && typeof (value as { write?: unknown } | null)?.write !== 'function') {
      throw bad(stream, value, 'a writable stream');
    }
  }
  return options;
}

function checkHealth(health: unknown, bad: (name: string, value: unknown, expected: string) => TypeError): void {
  if (typeof health !== 'object' || health === null || Array.isArray(health)) throw bad('health', health, '{ port?, host? } or false');
  const { port, host } = health as { port?: unknown; host?: unknown };
  if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65_535)) {
    throw bad('health.port', port, 'an integer 0-65535');
  }
  if (host !== undefined && (typeof host !== 'string' || host.length === 0)) throw bad('health.host', host, 'a host name or address');
}
