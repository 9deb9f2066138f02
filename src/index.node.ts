// The core entry as Node loads it (the "node" condition of package.json's exports): the
// same exports, and pino as the default root logger, writing JSON lines on stdout as
// every Node program of rxmode always has; and on Node 24, tasks followed across their
// awaits (async-local-scope.ts). The plain entry leaves both out of browsers.
import './logging/pino-root.js';
import './service/async-local-scope.js';
export * from './index.js';
