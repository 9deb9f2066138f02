import { asyncModelRun, asyncProperty, check } from 'fast-check';
import { consoleLogger } from '../../logging/console-logger.js';
import { rootLogger, setRootLogger } from '../../logging/logger.js';
import type { Service } from '../../service/index.js';
import { LifecycleFailure, describe } from './checks.js';
import { LifecycleRun } from './commands.js';
import { lifecycleCommands, usageErrors } from './lifecycle-commands.js';
import { type LifecycleOptions, checkOptions, show, wantCount } from './options.js';

/**
 * What `checkLifecycle` takes: the options of `lifecycleCommands`, and how to run.
 *
 * @example
 * await checkLifecycle(() => new Cache(), { numRuns: 500, handles: true });
 */
export interface CheckLifecycleOptions<S extends Service = Service> extends LifecycleOptions<S> {
  /** How many random sequences to try (default 100). */
  numRuns?: number;
  /** The seed of a failure to replay (with its `path`). */
  seed?: number;
  /** The path of a failure to replay: straight to its shrunk sequence. */
  path?: string;
  /** Keep rxmode's logs while it runs (default: silenced, since it crashes services on purpose). */
  logs?: boolean;
}

/**
 * Property-tests a service's lifecycle: fast-check drives random sequences of `start`,
 * `stop`, `restart` and `crash` on fresh services from `factory` and, after every step,
 * checks them against a model of the state machine: each call settles as predicted, every
 * state and restart count is the predicted one, every transition is legal, children stop
 * in reverse start order, and a stopped or crashed service holds nothing rxmode tracks
 * (`inspectService`); with `handles: true` (Node), nothing it opened is still open once all
 * is stopped. Every run ends with everything stopped and checked.
 *
 * Resolves when all runs pass. Otherwise rejects with an Error whose message holds the
 * shrunk sequence of calls (`start, restart`), what went wrong, the service's own error
 * when there is one (also its `cause`) and the seed and path to replay it. It only throws
 * and rejects, so it works in any test runner.
 *
 * @example
 * it('restarts cleanly', async () => {
 *   await checkLifecycle(() => new Database({ url }), { numRuns: 200 });
 * });
 * // Error: checkLifecycle: Database fails after start, restart
 * //   restart rejected with Error: already connected
 * //   replay: checkLifecycle(factory, { seed: 1043, path: "2:1:1" })
 */
export async function checkLifecycle<S extends Service>(factory: () => S, options: CheckLifecycleOptions<S> = {}): Promise<void> {
  checkOptions('checkLifecycle', factory, options);
  wantCount('checkLifecycle', 'numRuns', options.numRuns, 1);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new TypeError(`checkLifecycle: seed must be a whole number, got ${show(options.seed)}`);
  }
  if (options.path !== undefined && (typeof options.path !== 'string' || !/^\d+(:\d+)*$/.test(options.path))) {
    throw new TypeError(`checkLifecycle: path must read like "12:0:3", got ${show(options.path)}`);
  }
  const { commands, setup } = lifecycleCommands(factory, options);
  let label = 'the service';
  const labelled = () => {
    const made = setup();
    label = made.real.service.label;
    return made;
  };
  const restore = options.logs ? undefined : silenceLogs();
  try {
    const details = await check(
      asyncProperty(commands, (cmds) => asyncModelRun(labelled, cmds)),
      { numRuns: options.numRuns ?? 100, seed: options.seed, path: options.path },
    );
    if (!details.failed) return;
    const error = details.errorInstance;
    if (typeof error === 'object' && error !== null && usageErrors.has(error)) throw error;
    // A LifecycleFailure knows its calls; another error (a factory that throws in a later
    // run, a command's own check(model)) does not, but the counterexample, the run that
    // threw it, does.
    const run = details.counterexample?.[0];
    const calls = error instanceof LifecycleFailure ? error.calls : run instanceof LifecycleRun ? run.calls() : [];
    const what = error instanceof LifecycleFailure ? error.message : `it threw ${describe(error)}`;
    const cause = error instanceof LifecycleFailure ? (error.cause ?? error) : error;
    // The service's own error, unless the line above already quotes it.
    const own = cause !== error && !what.includes(describe(cause)) ? `\n  ${describe(cause)}` : '';
    const replay = `checkLifecycle(factory, { seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath)} })`;
    throw new Error(
      `checkLifecycle: ${label} fails ${calls.length > 0 ? `after ${calls.join(', ')}` : 'before any call'}\n  ${what}${own}\n  replay: ${replay}`,
      { cause },
    );
  } finally {
    restore?.();
  }
}

/** Silences rxmode's logs until the returned function is called. */
function silenceLogs(): () => void {
  const previous = rootLogger();
  setRootLogger(consoleLogger({ level: 'silent' }));
  return () => setRootLogger(previous);
}
