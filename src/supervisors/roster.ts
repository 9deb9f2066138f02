import { CORE } from '../service/core.js';
import type { Service } from '../service/service.js';
import { RestartHistory } from './restart-history.js';
import type { RestartType } from './restart-type.js';

/**
 * The services a supervisor looks after, in order, with each one's restart type and
 * history. Bookkeeping only: claiming (the `supervisor` field, the tree) is the
 * supervisor's, and so is telling its supervision who joined.
 */
export class Roster {
  readonly #services: Service[] = [];
  readonly #types = new Map<Service, RestartType>();
  readonly #histories = new Map<Service, RestartHistory>();

  constructor(readonly historyLimit: number) {}

  get services(): readonly Service[] {
    return this.#services;
  }

  has(service: Service): boolean {
    return this.#types.has(service);
  }

  /** `service` as the roster knows it: itself, or the proxy of it that joined (they share a core). */
  member(service: Service): Service | undefined {
    if (this.#types.has(service)) return service;
    const core = service[CORE];
    return this.#services.find((s) => s[CORE] === core);
  }

  indexOf(service: Service): number {
    return this.#services.indexOf(service);
  }

  typeOf(service: Service): RestartType {
    return this.#types.get(service) ?? 'permanent';
  }

  setType(service: Service, type: RestartType): void {
    if (this.has(service)) this.#types.set(service, type);
  }

  history(service: Service): RestartHistory {
    let history = this.#histories.get(service);
    if (!history) this.#histories.set(service, (history = new RestartHistory(this.historyLimit)));
    return history;
  }

  /** Adds `service` at `index` (default: the end). */
  join(service: Service, type: RestartType, index = this.#services.length): void {
    this.#services.splice(index, 0, service);
    this.#types.set(service, type);
  }

  /** Removes `service`; its history goes with it. Returns its index, or -1. */
  leave(service: Service): number {
    const index = this.#services.indexOf(service);
    if (index < 0) return -1;
    this.#services.splice(index, 1);
    this.#types.delete(service);
    return index;
  }

  /** Hands the history of `from` on to `to` (a replacement carries on its predecessor's). */
  inherit(to: Service, from: Service): void {
    const history = this.#histories.get(from);
    if (history) this.#histories.set(to, history);
    this.#histories.delete(from);
  }

  forget(service: Service): void {
    this.#histories.delete(service);
  }
}
