export { toMs, wantSeconds, type Duration } from './duration.js';
