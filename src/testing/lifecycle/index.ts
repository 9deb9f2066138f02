export { checkLifecycle, type CheckLifecycleOptions } from './check-lifecycle.js';
export { lifecycleCommands, type LifecycleCommands } from './lifecycle-commands.js';
export type { LifecycleCommand } from './commands.js';
export type { LifecycleOptions } from './options.js';
export type { LifecycleModel, LifecycleCallName } from './model.js';
export type { LifecycleReal } from './world.js';
export { LifecycleFailure, type LifecycleCheck } from './checks.js';
