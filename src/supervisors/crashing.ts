import { EMPTY, type Observable } from 'rxjs';
import type { Service } from '../service/service.js';
import { SupervisorStrategy } from './supervisor-strategy.js';

/**
 * Starts and stops its services but does not claim them: their `supervisor` stays null,
 * so a crash spreads as if unsupervised, through the tree (this supervisor included) to
 * its root, or to the nearest supervised service above. "Crash the whole program."
 *
 * @example
 * const app = new App();
 * app.addDependency(new CrashingSupervisor({ services: [mustNotFail] }));
 * await app.start();
 * await mustNotFail.crash(new Error('fatal')); // app and everything under it: crashed
 */
export class CrashingSupervisor extends SupervisorStrategy {
  protected override claim(service: Service): void {
    this.addDependency(service);
  }

  protected override superviseServices(): Observable<never> {
    return EMPTY;
  }
}
