/**
 * When a supervisor restarts a child (as in Erlang/OTP):
 * - `permanent`: always, after a crash and after a clean stop (the default);
 * - `transient`: only after a crash, not after a clean stop;
 * - `temporary`: never; a crashed temporary child is torn down and left alone.
 *
 * A child stopped because a sibling crashed (OneForAll, RestForOne) is started again
 * unless it is temporary.
 *
 * @example
 * supervisor.add(worker, { restart: 'transient' });
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** Options of `SupervisorStrategy.add(service, options)`. */
export interface AddOptions {
  restart?: RestartType;
}

const RESTART_TYPES: readonly RestartType[] = ['permanent', 'transient', 'temporary'];

/**
 * Checks a restart type given by a caller, naming it if it is none.
 *
 * @example
 * toRestartType(undefined);   // 'permanent'
 * toRestartType('sometimes'); // TypeError: invalid restart type: 'sometimes' ...
 */
export function toRestartType(value: unknown): RestartType {
  if (value === undefined) return 'permanent';
  if (RESTART_TYPES.includes(value as RestartType)) return value as RestartType;
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  throw new TypeError(`invalid restart type: ${shown} (expected 'permanent', 'transient' or 'temporary')`);
}
