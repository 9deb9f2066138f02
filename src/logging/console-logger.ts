import { LEVEL_NAMES, localTime, servicePrefix } from './format.js';
import { LEVEL_VALUES } from './levels.js';
import type { Logger, LogFn } from './logger.js';

type Method = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
/**
 * The default root logger outside Node: mode's lines on the console, warnings and errors
 * only. It keeps pino out of browser bundles that never call `setupLogging`. The console
 * itself fills in printf-style arguments (`%s`, `%d`, `%o`...), and fields such as `err`
 * follow the line as an object the browser's console can unfold.
 *
 * @example
 * consoleLogger({ level: 'warn' }).child({ label: 'App', depth: 1 }).error({ err }, 'Crashed reason=%s', 'Error: boom');
 * // [2026-11-21 12:00:00,000: ERROR]: [^App]: Crashed reason=Error: boom { err: Error: boom ... }
 */
export function consoleLogger(options: { level: string }): Logger {
  return new ConsoleLogger(options.level, {});
}

class ConsoleLogger implements Logger {
  levelVal = Infinity;
  #level = 'silent';
  readonly trace = this.#method('trace');
  readonly debug = this.#method('debug');
  readonly info = this.#method('info');
  readonly warn = this.#method('warn');
  readonly error = this.#method('error');
  readonly fatal = this.#method('fatal');

  readonly #bindings: Record<string, unknown>;

  constructor(level: string, bindings: Record<string, unknown>) {
    this.#bindings = bindings;
    this.level = level;
  }

  get level(): string {
    return this.#level;
  }

  set level(level: string) {
    const value = LEVEL_VALUES[level];
    if (value === undefined) throw new TypeError(`invalid log level: '${level}'`);
    this.#level = level;
    this.levelVal = value;
  }

  child(bindings: Record<string, unknown>): Logger {
    return new ConsoleLogger(this.#level, { ...this.#bindings, ...bindings });
  }

  #method(name: Method): LogFn {
    const value = LEVEL_VALUES[name]!;
    return (first: unknown, ...rest: unknown[]): void => {
      if (value < this.levelVal) return;
      let fields: Record<string, unknown> | undefined;
      let msg: unknown = first;
      if (typeof first !== 'string') {
        fields = first instanceof Error ? { err: first } : (first as Record<string, unknown> | undefined);
        msg = rest.length > 0 ? rest.shift() : first instanceof Error ? first.message : '';
      }
      const { label, depth, name: logger, ...bound } = this.#bindings;
      let prefix = `[${localTime(Date.now())}: ${LEVEL_NAMES[value]}]: `;
      if (typeof label === 'string') prefix += `${servicePrefix(label, depth as number | undefined)}: `;
      else if (typeof logger === 'string') prefix += `[${logger}]: `;
      const extra = fields || Object.keys(bound).length > 0 ? [{ ...bound, ...fields }] : [];
      // The console has no trace or fatal: debug and error stand in (a table of the six
      // methods was 14 bytes gzipped more of a Service bundle, measured).
      const method = name === 'trace' ? 'debug' : name === 'fatal' ? 'error' : name;
      // `%` in a label is text, not a placeholder for the console.
      console[method](prefix.replace(/%/g, '%%') + String(msg), ...rest, ...extra);
    };
  }
}
