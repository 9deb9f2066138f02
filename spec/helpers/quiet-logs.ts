// Specs crash services on purpose; keep their error lines out of the test output.
import { pino } from 'pino';
import { setRootLogger } from '../../src/logging/logger.js';

setRootLogger(pino({ level: 'silent' }));
