export { getLogger, rootLogger, setRootLogger, type Logger, type LogFn } from './logger.js';
export { setupLogging, type LoggingOptions, type LogLevel } from './setup.js';
export type { LineSink } from './pretty.js';
export {
  flightRecorder,
  FlightRecorder,
  type FlightRecorderOptions,
  type RecorderLevel,
  type RecorderLogger,
} from './flight-recorder.js';
