import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceCore } from '../../service/core.js';
import type { ServiceState } from '../../service/state.js';
import type { Beacon } from '../../tree/beacon.js';
import type { PathNames } from './path-names.js';
import { coreOf, timersOf } from './snapshot.js';

const STATES: readonly ServiceState[] = ['init', 'running', 'stopping', 'shutdown', 'crashed'];

interface Row {
  readonly path: string;
  readonly core: ServiceCore | undefined;
  readonly beacon: Beacon;
}

let processMetrics: Registry | undefined;

/**
 * prom-client's default process metrics (CPU, memory, handles, GC, event loop delay), in a
 * registry of our own, made on the first scrape: once per process, since they watch the
 * process (a GC observer and an event-loop-delay histogram that hold nothing open), and
 * registering them twice would count everything twice.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * The `/metrics` of a tree, in Prometheus' text format, through prom-client with a
 * Registry of its own (never the global one, which the program may use for itself):
 *
 * - `rxmode_service_up{service}`: 1 while running
 * - `rxmode_service_state{service,state}`: 1 for the current state, 0 for the others
 * - `rxmode_service_restarts_total{service}`, `rxmode_service_crashes_total{service}`
 * - `rxmode_timer_drift_seconds{service,timer}` (the last wake-up's),
 *   `rxmode_timer_overlaps_total{service,timer}`
 * - `rxmode_event_loop_blocked_seconds_total`
 * - prom-client's default process metrics
 *
 * `service` is the service's path. The tree is read when scraped, not followed: nothing
 * runs between scrapes.
 *
 * @example
 * const metrics = new LiveMetrics(() => new PathNames(app.beacon));
 * res.setHeader('Content-Type', metrics.contentType).end(await metrics.text());
 */
export class LiveMetrics {
  readonly registry = new Registry();
  #rows: Row[] = [];
  readonly #blocked: Counter;
  readonly #names: () => PathNames;

  constructor(names: () => PathNames) {
    this.#names = names;
    const registers = [this.registry];
    const rows = () => this.#rows;
    new Gauge({
      name: 'rxmode_service_up',
      help: 'Whether the service is running (1) or not (0).',
      labelNames: ['service'],
      registers,
      collect() {
        this.reset();
        for (const row of rows()) if (row.core) this.set({ service: row.path }, row.core.state === 'running' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'rxmode_service_state',
      help: "The service's state: 1 for the current one.",
      labelNames: ['service', 'state'],
      registers,
      collect() {
        this.reset();
        for (const row of rows()) {
          if (!row.core) continue;
          for (const state of STATES) this.set({ service: row.path, state }, row.core.state === state ? 1 : 0);
        }
      },
    });
    new Counter({
      name: 'rxmode_service_restarts_total',
      help: 'Restarts of the service (resets, as restartCount).',
      labelNames: ['service'],
      registers,
      collect() {
        this.reset();
        for (const row of rows()) if (row.core) this.inc({ service: row.path }, row.core.restartCount);
      },
    });
    new Counter({
      name: 'rxmode_service_crashes_total',
      help: 'Crashes of the service.',
      labelNames: ['service'],
      registers,
      collect() {
        this.reset();
        for (const row of rows()) if (row.core) this.inc({ service: row.path }, row.core.crashes);
      },
    });
    new Gauge({
      name: 'rxmode_timer_drift_seconds',
      help: "How far off its slot the timer's last wake-up was (positive: late).",
      labelNames: ['service', 'timer'],
      registers,
      collect() {
        this.reset();
        for (const row of rows()) {
          for (const timer of timersOf(row.beacon) ?? []) this.set({ service: row.path, timer: timer.name }, timer.lastDriftMs / 1_000);
        }
      },
    });
    new Counter({
      name: 'rxmode_timer_overlaps_total',
      help: 'Ticks the timer dropped because its body was still running.',
      labelNames: ['service', 'timer'],
      registers,
      collect() {
        this.reset();
        for (const row of rows()) {
          for (const timer of timersOf(row.beacon) ?? []) this.inc({ service: row.path, timer: timer.name }, timer.overlaps);
        }
      },
    });
    this.#blocked = new Counter({
      name: 'rxmode_event_loop_blocked_seconds_total',
      help: "Seconds the event loop spent in blocks longer than the blocking detector's timeout.",
      registers,
    });
  }

  /** The Content-Type of {@link text}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Counts a blocked event loop. */
  blocked(blockedMs: number): void {
    if (Number.isFinite(blockedMs) && blockedMs > 0) this.#blocked.inc(blockedMs / 1_000);
  }

  /** Every metric, the tree read now. */
  async text(): Promise<string> {
    const names = this.#names();
    const rows: Row[] = [];
    for (const beacon of names.beacons()) rows.push(rowOf(beacon, names));
    this.#rows = rows;
    try {
      return (await this.registry.metrics()) + (await processRegistry().metrics());
    } finally {
      this.#rows = [];
    }
  }
}

function rowOf(beacon: Beacon, names: PathNames): Row {
  return { path: names.pathOf(beacon)!, core: coreOf(beacon), beacon };
}
