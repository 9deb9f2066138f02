import { Service, type ServiceOptions } from '../../src/service/service.js';
import { timer } from '../../src/time/decorators.js';
import { toMs, type Duration } from '../../src/time/duration.js';

export interface User {
  id: string;
  name: string;
  fetchedAt: string;
}

/**
 * mode's tutorial UserCache: users looked up once and kept for `ttl`; a timer removes the
 * expired ones every 10 seconds.
 */
export class UserCache extends Service {
  readonly ttl: number;
  readonly #cache = new Map<string, { user: User; expires: number }>();

  constructor(options: ServiceOptions & { ttl?: Duration } = {}) {
    super(options);
    this.ttl = toMs(options.ttl ?? '30s');
  }

  get size(): number {
    return this.#cache.size;
  }

  /** The cached user, or a freshly "fetched" one (this tutorial has no database). */
  lookup(id: string): User {
    const hit = this.#cache.get(id);
    if (hit && hit.expires > this.scheduler.now()) return hit.user;
    const user = { id, name: `User ${id}`, fetchedAt: new Date(this.scheduler.now()).toISOString() };
    this.#cache.set(id, { user, expires: this.scheduler.now() + this.ttl });
    return user;
  }

  @timer('10s')
  removeExpired(): void {
    const now = this.scheduler.now();
    let removed = 0;
    for (const [id, entry] of this.#cache) {
      if (entry.expires <= now) {
        this.#cache.delete(id);
        removed++;
      }
    }
    this.log.info('Removed %d expired users (%d cached)', removed, this.#cache.size);
  }
}
