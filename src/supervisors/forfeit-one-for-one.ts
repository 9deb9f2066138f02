import type { Service } from '../service/service.js';
import type { RestartPlan } from './supervisor-loop.js';
import { SupervisorStrategy } from './supervisor-strategy.js';

/**
 * Stops a service that crashed and never restarts it; its siblings keep running. The
 * forfeit is logged once.
 *
 * @example
 * const supervisor = new ForfeitOneForOneSupervisor({ services: [optionalMetrics, web] });
 * await supervisor.start();
 * await optionalMetrics.crash(new Error('no route')); // stopped for good; web is untouched
 */
export class ForfeitOneForOneSupervisor extends SupervisorStrategy {
  protected override planRestart(service: Service, _services: readonly Service[]): RestartPlan {
    return { stop: [service], restart: [] };
  }
}
