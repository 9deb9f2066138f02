export { Service, type ServiceOptions } from './service.js';
export { ServiceProxy } from './proxy.js';
export { ServiceStateError, StopTimeoutError } from './errors.js';
export { type ServiceState, type ServiceEvent } from './state.js';
export { Diag } from './diag.js';
export { task } from './task.js';
export { transitionsTo } from './transitions-to.js';
export { type HookResult } from './hook-result.js';
export { type WaitResult, type WaitFirstResult, type WaitArgs } from './waiting.js';
