import type { Service } from '../service/service.js';
import type { RestartPlan } from './supervisor-loop.js';
import { SupervisorStrategy } from './supervisor-strategy.js';

/**
 * When one service crashes, stops them all (in reverse order) and starts them all again
 * in order: for services that only make sense together. One restart of the budget.
 *
 * @example
 * const supervisor = new OneForAllSupervisor({ services: [connection, consumer] });
 * await supervisor.start();
 * await connection.crash(new Error('reset')); // consumer is restarted with it
 */
export class OneForAllSupervisor extends SupervisorStrategy {
  protected override planRestart(_service: Service, services: readonly Service[]): RestartPlan {
    return { stop: [...services], restart: [...services] };
  }
}
