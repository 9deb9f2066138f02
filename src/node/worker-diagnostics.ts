import { getLogger } from '../logging/logger.js';
import { normalizeLevel } from '../logging/setup.js';
import { redirectConsole } from './console-redirect.js';
import { type ConsoleTarget, DebugConsole } from './debug-console.js';
import { openInspectorOnSignal } from './inspector-signal.js';

/** The Worker's options for looking inside a running program. */
export interface DiagnosticsOptions {
  /** Open a REPL on 127.0.0.1 on this port (mode's `console_port`; 0: any free port). Off unless given. */
  consolePort?: number | false;
  /**
   * Send `console.log`/`info`/`debug`/`warn`/`error`/`trace` through the logger while the
   * Worker runs (mode's `redirect_stdouts`; default true). Only when the Worker sets up
   * logging (`overrideLogging`).
   */
  redirectStdouts?: boolean;
  /** The level of those lines (default `'warn'`, as mode's). */
  redirectStdoutsLevel?: string;
  /** The port SIGUSR2 opens the inspector on, on 127.0.0.1 (default 0: any free port). */
  inspectPort?: number;
}

/** Throws a TypeError naming the first bad diagnostics option. */
export function checkDiagnosticsOptions(options: DiagnosticsOptions): void {
  const { consolePort, redirectStdouts, redirectStdoutsLevel, inspectPort } = options;
  if (consolePort !== undefined && consolePort !== false && !isPort(consolePort)) {
    throw new TypeError(`invalid consolePort: ${show(consolePort)} (expected a port 0-65535, or false)`);
  }
  if (redirectStdouts !== undefined && typeof redirectStdouts !== 'boolean') {
    throw new TypeError(`invalid redirectStdouts: ${show(redirectStdouts)} (expected true or false)`);
  }
  if (redirectStdoutsLevel !== undefined) {
    let level: string;
    try {
      level = normalizeLevel(redirectStdoutsLevel);
    } catch (error) {
      throw new TypeError(`invalid redirectStdoutsLevel: ${(error as Error).message}`);
    }
    if (level === 'silent') throw new TypeError(`invalid redirectStdoutsLevel: 'silent' (turn redirectStdouts off instead)`);
  }
  if (inspectPort !== undefined && !isPort(inspectPort)) {
    throw new TypeError(`invalid inspectPort: ${show(inspectPort)} (expected a port 0-65535)`);
  }
}

/**
 * Starts what the Worker offers for looking inside the program while it runs: `console.*`
 * through the logger, the inspector on SIGUSR2, and the console's REPL if a port is given.
 * Resolves to the function that undoes all of it; rejects (having undone what it did)
 * when the console cannot listen.
 *
 * @example
 * const stop = await startDiagnostics(worker, { consolePort: 50101 }, true);
 * // ... the Worker runs ...
 * await stop();
 */
export async function startDiagnostics(
  worker: ConsoleTarget,
  options: DiagnosticsOptions,
  loggingSetUp: boolean,
): Promise<() => Promise<void>> {
  const undo: Array<() => unknown> = [];
  const stop = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  if (loggingSetUp && options.redirectStdouts !== false) {
    const level = normalizeLevel(options.redirectStdoutsLevel ?? 'warn') as Exclude<ReturnType<typeof normalizeLevel>, 'silent'>;
    undo.push(redirectConsole(getLogger('console'), level));
  }
  undo.push(openInspectorOnSignal(worker.log, options.inspectPort ?? 0));
  if (options.consolePort !== undefined && options.consolePort !== false) {
    try {
      const opened = await DebugConsole.open(worker, options.consolePort);
      undo.push(() => opened.close());
      worker.log.info('Console on 127.0.0.1:%d (nc 127.0.0.1 %d)', opened.port, opened.port);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return stop;
}

function isPort(port: unknown): boolean {
  return Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65_535;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
