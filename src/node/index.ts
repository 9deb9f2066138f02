/**
 * `rxmode/node`: the Worker, ServiceThread, the blocking detector, the health server and
 * command-line flags. Node only.
 *
 * @module rxmode/node
 */
// The Node-only entry `rxmode/node`: the Worker and everything that needs `node:` modules.
// In Node the default root logger is pino's, on Node 24 tasks are followed across awaits,
// and asyncScheduler's waits due together share a native timer, also for a program that
// imports this first.
import '../logging/pino-root.js';
import '../service/async-local-scope.js';
import '../time/share-async-waits.js';
export { Worker, type WorkerOptions } from './worker.js';
export type { DiagnosticsOptions } from './worker-diagnostics.js';
export { setupNodeLogging, type NodeLoggingOptions } from './logging.js';
export { BlockingDetector, type BlockingDetectorOptions, type BlockingReport, type BlockedFrame } from './blocking.js';
export { setWorkLabel, workLabel, withWorkLabel } from './work-label.js';
export { HealthServer, startHealthServer, type HealthOptions, type HealthTarget } from './health.js';
// What /status and /events carry, for programs that follow them.
export type {
  LiveStatus, LiveNode, LiveTimer, LiveBudget, LiveEvents, LiveEventType, TransitionEvent, RestartEvent, TreeEvent,
  BlockedEvent, StatsEvent, ServiceStats,
} from './live/protocol.js';
export { listenOn, ListenError } from './listen.js';
export {
  parseFlags,
  flagsHelp,
  parsePort,
  UsageError,
  type FlagSpec,
  type FlagSpecs,
  type FlagValue,
  type FlagValues,
  type ParsedFlags,
} from './flags.js';
export { ServiceThread, type ServiceThreadOptions, type RemoteServiceEvent } from './service-thread.js';
