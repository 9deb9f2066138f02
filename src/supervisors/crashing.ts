import { EMPTY, type Observable, combineLatest, defer, map } from 'rxjs';
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

  /**
   * @internal Nothing here is restarted and there is no supervision to keep count: settled
   * once every one of its services (those it has when it is ready) has stopped. A crash
   * spreads to this supervisor, which ends `runUntilComplete()` on its own.
   */
  protected override settled$(): Observable<boolean> {
    return defer(() => {
      const services = this.services;
      if (services.length === 0) return [true];
      return combineLatest(services.map((service) => service.state$)).pipe(
        map((states) => states.every((state) => state === 'shutdown')),
      );
    });
  }
}
