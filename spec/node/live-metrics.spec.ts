import { register as globalRegistry } from 'prom-client';
import { Service } from '../../src/service/service.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { timer } from '../../src/time/decorators.js';
import { HealthServer, startHealthServer } from '../../src/node/health.js';
import { parseExposition, type Exposition } from './support/prometheus.js';

class Leaf extends Service {}

/** A timer whose second run outlasts two intervals: overlaps, and a late wake-up. */
class Ticker extends Service {
  runs = 0;
  @timer('20ms')
  async tick() {
    this.runs++;
    if (this.runs === 2) await new Promise((resolve) => setTimeout(resolve, 70));
  }
}

class App extends Service {
  readonly web = new Leaf({ name: 'Web' });
  readonly web2 = new Leaf({ name: 'Web' });
  readonly ticker = new Ticker();
  readonly sup = new OneForOneSupervisor({ name: 'Sup', services: [this.web, this.web2], maxRestarts: 10, over: '1m' });
  override onInitDependencies() {
    return [this.sup, this.ticker];
  }
}

const RXMODE: Record<string, string> = {
  rxmode_service_up: 'gauge',
  rxmode_service_state: 'gauge',
  rxmode_service_restarts_total: 'counter',
  rxmode_service_crashes_total: 'counter',
  rxmode_timer_drift_seconds: 'gauge',
  rxmode_timer_overlaps_total: 'counter',
  rxmode_event_loop_blocked_seconds_total: 'counter',
};

describe('GET /metrics (Prometheus text format, real HTTP)', () => {
  let app: App;
  let health: HealthServer;

  async function scrape(): Promise<{ metrics: Exposition; contentType: string | null }> {
    const response = await fetch(`${health.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    return { metrics: parseExposition(await response.text()), contentType: response.headers.get('content-type') };
  }

  beforeEach(async () => {
    app = new App();
    health = await startHealthServer(app);
  });
  afterEach(async () => {
    await health.close();
    if (app.state === 'running') await app.stop();
  });

  it("declares each rxmode metric with HELP and TYPE, and prom-client's process metrics", async () => {
    await app.start();
    const { metrics, contentType } = await scrape();
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const [name, type] of Object.entries(RXMODE)) {
      expect(metrics.types.get(name)).withContext(name).toBe(type);
      expect(metrics.help.get(name)).withContext(name).toBeTruthy();
    }
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'process_start_time_seconds']) {
      expect(metrics.types.has(name)).withContext(name).toBeTrue();
    }
  });

  it('labels each service by its path; up and the one-hot state follow the tree', async () => {
    let { metrics } = await scrape();
    expect(metrics.value('rxmode_service_up', { service: 'App' })).toBe(0);
    expect(metrics.value('rxmode_service_state', { service: 'App', state: 'init' })).toBe(1);
    await app.start();
    ({ metrics } = await scrape());
    for (const path of ['App', 'App/Sup', 'App/Sup/Web', 'App/Sup/Web#2', 'App/Ticker']) {
      expect(metrics.value('rxmode_service_up', { service: path })).withContext(path).toBe(1);
      const states = ['init', 'running', 'stopping', 'shutdown', 'crashed'].map((state) => metrics.value('rxmode_service_state', { service: path, state }));
      expect(states).withContext(path).toEqual([0, 1, 0, 0, 0]);
    }
    expect(metrics.samples.filter((s) => s.name === 'rxmode_service_up').length).toBe(5);
  });

  it('counts restarts and crashes per service', async () => {
    await app.start();
    await app.web2.crash(new Error('boom'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the supervisor restarts it
    await app.web2.restart();
    const { metrics } = await scrape();
    expect(metrics.value('rxmode_service_restarts_total', { service: 'App/Sup/Web#2' })).toBe(2);
    expect(metrics.value('rxmode_service_crashes_total', { service: 'App/Sup/Web#2' })).toBe(1);
    expect(metrics.value('rxmode_service_restarts_total', { service: 'App/Sup/Web' })).toBe(0);
    expect(metrics.value('rxmode_service_crashes_total', { service: 'App/Sup/Web' })).toBe(0);
  });

  it("reports each timer's last drift and its overlaps", async () => {
    await app.start();
    const timer = app.ticker.timers.get('tick')!;
    // The second run's 70 ms make ticks overlap about 100 ms after the start; a loaded
    // machine may take longer to get there, so the wait is for it (up to 5 s), not 200 ms.
    for (const until = Date.now() + 5_000; timer.overlaps === 0 && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await app.stop(); // the counters stay as they were, and stop moving
    const { metrics } = await scrape();
    const labels = { service: 'App/Ticker', timer: 'tick' };
    expect(timer.overlaps).toBeGreaterThan(0);
    expect(metrics.value('rxmode_timer_overlaps_total', labels)).toBe(timer.overlaps);
    const drift = metrics.value('rxmode_timer_drift_seconds', labels);
    expect(drift).toBe(timer.lastDrift / 1_000);
  });

  it('adds up blocked event loop time in seconds', async () => {
    health.noteUnblocked(1_500);
    health.noteUnblocked(250);
    const { metrics } = await scrape();
    expect(metrics.value('rxmode_event_loop_blocked_seconds_total')).toBe(1.75);
  });

  it("uses a registry of its own: prom-client's global registry stays the program's", async () => {
    await scrape();
    const names = (await globalRegistry.getMetricsAsJSON()).map((m) => m.name);
    expect(names.filter((name) => name.startsWith('rxmode_') || name.startsWith('process_'))).toEqual([]);
  });

  it('two servers in one process each scrape their own tree, and the process metrics once', async () => {
    const other = await startHealthServer(new Leaf({ name: 'Other' }));
    try {
      const mine = (await scrape()).metrics;
      const theirs = parseExposition(await (await fetch(`${other.url}/metrics`)).text());
      expect(mine.value('rxmode_service_up', { service: 'Other' })).toBeUndefined();
      expect(theirs.value('rxmode_service_up', { service: 'Other' })).toBe(0);
      expect(theirs.samples.filter((s) => s.name === 'process_start_time_seconds').length).toBe(1);
    } finally {
      await other.close();
    }
  });
});
