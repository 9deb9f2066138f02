import type { Arbitrary } from 'fast-check';
import type { Service } from '../../service/index.js';
import type { LifecycleCheck } from './checks.js';
import type { LifecycleCommand } from './commands.js';

/**
 * What `lifecycleCommands` takes (and `checkLifecycle`, with a few more).
 *
 * @example
 * lifecycleCommands(() => new App(), { targets: 'tree', maxCommands: 30, commands: [lookup] });
 */
export interface LifecycleOptions<S extends Service = Service> {
  /** The longest sequence of calls a run makes (default 20). */
  maxCommands?: number;
  /**
   * Node only: after everything stopped, no active handle (timer, socket, server) may be
   * open that was not open before the factory ran; the failure names what is left, e.g.
   * "1 Timeout". Throws in a runtime without `process.getActiveResourcesInfo()`.
   */
  handles?: boolean;
  /**
   * 'root' (default): the calls go to the service the factory made. 'tree': each call goes
   * to any service seen in the run (children included), e.g. a child started on its own
   * before its parent. The model of 'tree' knows no supervisors: use it on trees without.
   */
  targets?: 'root' | 'tree';
  /** Commands of your own, drawn among the lifecycle calls and checked after each the same way. */
  commands?: readonly Arbitrary<LifecycleCommand<S>>[];
  /** Your own invariants, checked after every step with the kit's (throw to fail). */
  check?: LifecycleCheck<S>;
}

/** `value` as it reads in a TypeError: strings quoted, objects by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return `a function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'null-prototype object'}`;
  return String(value);
}

/** Throws a TypeError naming the bad value unless `value` is a whole number of at least `min`, or undefined. */
export function wantCount(who: string, name: string, value: unknown, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min)) {
    throw new TypeError(`${who}: ${name} must be a whole number >= ${min}, got ${show(value)}`);
  }
}

/** Checks what both entry points take; throws a TypeError naming the first bad value. */
export function checkOptions(who: string, factory: unknown, options: unknown): void {
  if (typeof factory !== 'function') {
    throw new TypeError(`${who}: the first argument must be a function that makes a fresh Service, got ${show(factory)}`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError(`${who}: options must be an object, got ${show(options)}`);
  const o = options as LifecycleOptions;
  wantCount(who, 'maxCommands', o.maxCommands, 1);
  if (o.handles !== undefined && typeof o.handles !== 'boolean') throw new TypeError(`${who}: handles must be true or false, got ${show(o.handles)}`);
  if (o.targets !== undefined && o.targets !== 'root' && o.targets !== 'tree') {
    throw new TypeError(`${who}: targets must be 'root' or 'tree', got ${show(o.targets)}`);
  }
  if (o.commands !== undefined) {
    const bad = Array.isArray(o.commands) ? o.commands.find((c) => typeof (c as Partial<Arbitrary<unknown>>)?.generate !== 'function') : o.commands;
    if (!Array.isArray(o.commands) || bad !== undefined) {
      throw new TypeError(`${who}: commands must be an array of fast-check arbitraries of commands, got ${show(bad)}`);
    }
  }
  if (o.check !== undefined && typeof o.check !== 'function') throw new TypeError(`${who}: check must be a function, got ${show(o.check)}`);
}
