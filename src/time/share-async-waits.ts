import { asyncScheduler } from 'rxjs';
import { groupTimerWaitsOn } from './wait-groups.js';

// Imported by the Node flavour of the entry points (package.json's "node" condition, and
// `rxmode/node`): on `asyncScheduler`, Timers', itertimers' and sleeps' waits due at the
// same moment share one wake-up (wait-groups.ts). That is what lets a stop end a thousand
// sleeps by cancelling one timer (W6), and a thousand timers tick on one (W3). Browsers
// leave it out, which keeps 0.4 KB gzipped out of a bundle of `import { Service }`; there
// each wait is its own timer, as with RxJS's own.
groupTimerWaitsOn(asyncScheduler);
