import { type Observable, map } from 'rxjs';
import { type ServiceState, canTransition } from '../service/state.js';

/** One letter per state, for marble diagrams of `state$`. */
export const STATE_LETTERS: Readonly<Record<ServiceState, string>> = {
  init: 'i',
  running: 'r',
  stopping: 's',
  shutdown: 'd',
  crashed: 'x',
};

/** The values argument for `expectObservable(...).toBe(marble, STATE_VALUES)`. */
export const STATE_VALUES: Readonly<Record<string, ServiceState>> = {
  i: 'init',
  r: 'running',
  s: 'stopping',
  d: 'shutdown',
  x: 'crashed',
};

/**
 * `state$` as letters, so a lifecycle reads as one marble string.
 *
 * @example
 * expectObservable(stateLetters(svc)).toBe('(ir) 26ms (sd)');
 */
export function stateLetters(service: { state$: Observable<ServiceState> }): Observable<string> {
  return service.state$.pipe(map((state) => STATE_LETTERS[state]));
}

/**
 * The first transition in `history` that the state machine does not have, or undefined
 * when every step is legal. For property tests over random lifecycles.
 *
 * @example
 * expect(illegalTransition(['init', 'running', 'stopping', 'shutdown'])).toBeUndefined();
 */
export function illegalTransition(history: readonly ServiceState[]): [ServiceState, ServiceState] | undefined {
  for (let i = 1; i < history.length; i++) {
    if (!canTransition(history[i - 1]!, history[i]!)) return [history[i - 1]!, history[i]!];
  }
  return undefined;
}
