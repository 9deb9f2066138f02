export { Beacon } from './beacon.js';
