export { getLogger, rootLogger, setRootLogger, type Logger } from './logger.js';
