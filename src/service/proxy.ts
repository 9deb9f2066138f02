import type { Observable } from 'rxjs';
import type { ServiceCore } from './core.js';
import { CORE } from './core.js';
import { Service } from './service.js';

/**
 * A service that hands its whole lifecycle to another one, which its subclass makes
 * (lazily, once) in `protected get service()`. The proxy shares the target's core (its
 * state, tree place, scheduler, timers, supervisor), so everything a Service reads from
 * its core is the target's, with nothing forwarded by hand. Its label stays its own
 * class name; the lifecycle runs the target's hooks (and its `start$`/`stop$`, if it
 * overrides them).
 *
 * @example
 * class Database extends ServiceProxy {
 *   protected get service() { return new PostgresPool({ url: this.url }); }
 *   constructor(private url: string) { super(); }
 * }
 */
export abstract class ServiceProxy extends Service {
  #target: Service | undefined;

  protected abstract get service(): Service;

  /** The service behind the proxy, made on first use. */
  get target(): Service {
    return (this.#target ??= this.service);
  }

  /** @internal The target's core: the proxy is the target, seen under another label. */
  override get [CORE](): ServiceCore {
    return this.target[CORE];
  }

  override start$(): Observable<void> {
    return this.target.start$();
  }
  override stop$(): Observable<void> {
    return this.target.stop$();
  }
}
