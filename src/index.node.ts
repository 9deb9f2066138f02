// The core entry as Node loads it (the "node" condition of package.json's exports): the
// same exports, and pino as the default root logger, writing JSON lines on stdout as
// every Node program of rxmode always has; on Node 24, tasks followed across their awaits
// (async-local-scope.ts); and asyncScheduler's waits due at the same moment sharing one
// native timer (share-async-waits.ts). The plain entry leaves all three out of browsers.
import './logging/pino-root.js';
import './service/async-local-scope.js';
import './time/share-async-waits.js';
export * from './index.js';
