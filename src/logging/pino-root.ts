import { pino } from 'pino';
import { setDefaultRootLogger } from './logger.js';

// Imported by the Node flavour of the entry points (package.json's "node" condition):
// in Node the default root logger is pino's, writing JSON lines on stdout, warnings and
// errors only. Browsers leave it out, and with it pino.
setDefaultRootLogger(() => pino({ level: 'warn', base: undefined }));
