import type { Service } from '../service/service.js';
import type { RestartPlan } from './supervisor-loop.js';
import { SupervisorStrategy } from './supervisor-strategy.js';

/**
 * When one service crashes, restarts it and every service added after it (Erlang/OTP's
 * `rest_for_one`): later services may depend on earlier ones, never the other way round.
 * Those are stopped in reverse order, then started in order. One restart of the budget.
 *
 * @example
 * const supervisor = new RestForOneSupervisor({ services: [db, cache, web] });
 * await supervisor.start();
 * await cache.crash(new Error('stale')); // cache and web restart; db keeps running
 */
export class RestForOneSupervisor extends SupervisorStrategy {
  protected override planRestart(service: Service, services: readonly Service[]): RestartPlan {
    const rest = services.slice(Math.max(0, services.indexOf(service)));
    return { stop: rest, restart: rest };
  }
}
