/**
 * `rxmode`: services, tasks, timers, cron jobs, signals, supervisors and logging. Runs in
 * Node and in browsers.
 *
 * @module rxmode
 */
// The core entry: runs unchanged in Node and in browsers, so nothing here imports `node:`.
export * from './time/index.js';
export * from './tree/index.js';
export * from './service/index.js';
export * from './signals/index.js';
export * from './supervisors/index.js';
export * from './logging/index.js';
