import type { Service } from '../service/service.js';
import type { RestartPlan } from './supervisor-loop.js';
import { SupervisorStrategy } from './supervisor-strategy.js';

/**
 * When one service crashes, stops them all and restarts none. The forfeit is logged once.
 *
 * @example
 * const supervisor = new ForfeitOneForAllSupervisor({ services: [reader, writer] });
 * await supervisor.start();
 * await reader.crash(new Error('eof')); // reader and writer both stopped for good
 */
export class ForfeitOneForAllSupervisor extends SupervisorStrategy {
  protected override planRestart(_service: Service, services: readonly Service[]): RestartPlan {
    return { stop: [...services], restart: [] };
  }
}
