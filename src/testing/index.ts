/**
 * `rxmode/testing`: helpers for marble and fast-check tests of your own services.
 *
 * @module rxmode/testing
 */
export { offsetScheduler } from './virtual-clock.js';
export { inspectService, type ServiceInspection } from './inspect.js';
export { STATE_LETTERS, STATE_VALUES, stateLetters, illegalTransition } from './states.js';
export * from './lifecycle/index.js';
