import { SupervisorStrategy } from './supervisor-strategy.js';

/**
 * Restarts the service that crashed, and only it; its siblings keep running.
 *
 * @example
 * const supervisor = new OneForOneSupervisor({ services: [fetcher, cache], maxRestarts: 10, over: '1m' });
 * await supervisor.start();
 * await cache.crash(new Error('oops')); // cache is restarted; fetcher is untouched
 */
export class OneForOneSupervisor extends SupervisorStrategy {}
