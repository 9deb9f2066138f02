export { MaxRestartsExceeded } from './max-restarts-exceeded.js';
export { RestartWindow } from './restart-window.js';
export { backoffDelay, resolveBackoff, type Backoff, type ResolvedBackoff } from './backoff.js';
export { supervise, type SuperviseOptions } from './supervise.js';
