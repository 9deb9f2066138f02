// The Node-only entry `rxmode/node`: the Worker and everything that needs `node:` modules.
import '../logging/pino-root.js';
export { Worker, type WorkerOptions } from './worker.js';
export { setupLogging, type NodeLoggingOptions } from './logging.js';
export { BlockingDetector, type BlockingDetectorOptions } from './blocking.js';
export { setCurrentWork, currentWork, withCurrentWork } from './current-work.js';
export { HealthServer, startHealthServer, type HealthOptions, type HealthTarget } from './health.js';
export { listenOn, ListenError } from './listen.js';
export { parseFlags, flagsHelp, parsePort, UsageError, type FlagSpec, type FlagSpecs, type ParsedFlags } from './flags.js';
export { WORKER_FLAGS } from './worker-flags.js';
export { describeTree } from './tree-dump.js';
export { ServiceThread, type ServiceThreadOptions, type RemoteServiceEvent } from './service-thread.js';
