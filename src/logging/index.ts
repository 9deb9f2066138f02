export { getLogger, rootLogger, setRootLogger, onRootLoggerChange, type Logger } from './logger.js';
export { setupLogging, normalizeLevel, type LoggingOptions, type LogLevel } from './setup.js';
export { formatRecord, formatTime, levelName, servicePrefix, type FormatOptions, type LogRecord } from './format.js';
export { prettyDestination, type LineSink } from './pretty.js';
export {
  flightRecorder,
  FlightRecorder,
  type FlightRecorderOptions,
  type RecorderLevel,
  type RecorderLogger,
} from './flight-recorder.js';
