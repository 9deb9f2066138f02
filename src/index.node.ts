// The core entry as Node loads it (the "node" condition of package.json's exports): the
// same exports, and pino as the default root logger, writing JSON lines on stdout as
// every Node program of rxmode always has. The plain entry leaves pino out of browsers.
import './logging/pino-root.js';
export * from './index.js';
