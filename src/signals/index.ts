export { BaseSignal, type ConnectOptions, type SignalEvent, type SignalOptions } from './base-signal.js';
export { type Receiver, Signal } from './signal.js';
export { type SyncReceiver, SyncSignal } from './sync-signal.js';
