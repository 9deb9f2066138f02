import { LEVEL_VALUES } from '../logging/levels.js';
import { rootLogger } from '../logging/logger.js';
import { CORE } from './core.js';
import type { Service } from './service.js';

type Level = 'debug' | 'info' | 'warn' | 'error';


/**
 * Logs through the service's logger only when the level is enabled, so that a service
 * which never logs never makes its pino child logger (which costs a few µs and a few
 * hundred bytes: real money in a tree of thousands).
 *
 * @example
 * logAt(svc, 'debug', 'Started.');
 */
export function logAt(svc: Service, level: Level, message: string, first?: unknown, second?: unknown): void {
  if (!enabled(svc, level)) return;
  // Fixed arguments, no rest array: this runs a few times for every service started or stopped.
  const log = svc.log;
  const write = log[level] as (this: unknown, msg: string, ...args: unknown[]) => void;
  if (second !== undefined) write.call(log, message, first, second);
  else if (first !== undefined) write.call(log, message, first);
  else write.call(log, message);
}

/** Whether the service's logger would write at `level`, asked without making the logger. */
function enabled(svc: Service, level: Level): boolean {
  // Comparing with `levelVal` is a few times cheaper than isLevelEnabled(), and a stop of
  // a large tree asks three times a service.
  return (svc[CORE].logParent ?? rootLogger()).levelVal <= LEVEL_VALUES[level]!;
}

/** Logs `message` at the service's `mundaneLevel` (Starting..., Stopping..., -Stopped!). */
export function logMundane(svc: Service, message: string): void {
  logAt(svc, svc.mundaneLevel === 'debug' ? 'debug' : 'info', message);
}

/**
 * Logs a crash at error, with the reason both as `err` and in the message; `what` names
 * the failure otherwise (a teardown that failed after the crash, say).
 */
export function logCrash(svc: Service, reason: unknown, what = 'Crashed'): void {
  if (!enabled(svc, 'error')) return;
  svc.log.error({ err: reason }, `${what} reason=%s`, describeReason(reason));
}

/** A reason as one line: `Name: message` for errors, JSON for the rest. */
export function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  try {
    return typeof reason === 'string' ? reason : JSON.stringify(reason);
  } catch {
    return String(reason);
  }
}
