import { spawnSync } from 'node:child_process';
import { Service } from '../../src/service/service.js';
import { HealthServer, startHealthServer } from '../../src/node/health.js';

class Leaf extends Service {
  gate: Promise<void> | undefined;
  override onStop() {
    return this.gate;
  }
}

class Root extends Service {
  readonly leaf = new Leaf({ name: 'Leaf "quoted"' });
  override onInitDependencies() {
    return [this.leaf];
  }
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('HealthServer (real HTTP on 127.0.0.1)', () => {
  let root: Root;
  let health: HealthServer;

  beforeEach(async () => {
    root = new Root();
    health = await startHealthServer(root, { port: 0 });
  });
  afterEach(async () => {
    await health.close();
    if (root.state === 'running') await root.stop();
  });

  it('listens on 127.0.0.1 by default, on the port it was given or a free one', () => {
    expect(health.port).toBeGreaterThan(0);
    expect(health.url).toBe(`http://127.0.0.1:${health.port}`);
  });

  it('/readyz follows ready$: 503 before start, 200 once started', async () => {
    expect((await get(`${health.url}/readyz`)).status).toBe(503);
    expect((await get(`${health.url}/livez`)).status).toBe(200);
    await root.start();
    const ready = await get(`${health.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toBe('ready\n');
  });

  it('/readyz answers 503 from the moment a shutdown begins, while /livez stays 200', async () => {
    await root.start();
    let open!: () => void;
    root.leaf.gate = new Promise<void>((resolve) => (open = resolve));
    const stopping = root.stop();
    expect(root.state).toBe('stopping');
    expect((await get(`${health.url}/readyz`)).status).toBe(503);
    expect((await get(`${health.url}/livez`)).status).toBe(200);
    open();
    await stopping;
    expect(root.state).toBe('shutdown');
    expect((await get(`${health.url}/readyz`)).status).toBe(503);
  });

  it('markShuttingDown() makes /readyz 503 before the tree stops', async () => {
    await root.start();
    health.markShuttingDown();
    expect((await get(`${health.url}/readyz`)).status).toBe(503);
    expect(root.state).toBe('running');
  });

  it('/livez is 503 once the tree crashed', async () => {
    await root.start();
    await root.leaf.crash(new Error('disk full'));
    expect(root.state).toBe('crashed');
    const live = await get(`${health.url}/livez`);
    expect(live.status).toBe(503);
    expect(live.body).toBe('crashed\n');
    expect((await get(`${health.url}/readyz`)).status).toBe(503);
  });

  it('/status is the tree as JSON', async () => {
    await root.start();
    const status = await get(`${health.url}/status`);
    expect(status.status).toBe(200);
    expect(status.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(status.body)).toEqual({
      label: 'Root',
      state: 'running',
      live: true,
      ready: true,
      tree: {
        label: 'Root',
        state: 'running',
        restartCount: 0,
        children: [{ label: 'Leaf "quoted"', state: 'running', restartCount: 0, children: [] }],
      },
    });
  });

  it('/graph.dot is DOT that Graphviz accepts, / is an HTML page with escaped labels', async () => {
    await root.start();
    const dot = await get(`${health.url}/graph.dot`);
    expect(dot.status).toBe(200);
    expect(dot.body).toContain('"n0" -> "n1";');
    if (spawnSync('dot', ['-V']).status === 0) {
      expect(spawnSync('dot', ['-Tsvg'], { input: dot.body, timeout: 10_000 }).status).toBe(0);
    }
    const page = await get(`${health.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('<b>Leaf &quot;quoted&quot;</b>');
  });

  it('answers 404 for unknown paths and 405 for anything but GET', async () => {
    const missing = await get(`${health.url}/metrics`);
    expect(missing.status).toBe(404);
    const posted = await get(`${health.url}/livez`, { method: 'POST', body: 'x' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET');
    expect((await get(`${health.url}/readyz`, { method: 'HEAD' })).status).toBe(405);
    expect((await get(`${health.url}/livez?verbose=1`)).status).toBe(200);
  });

  it('a taken port is an error naming it', async () => {
    const other = new HealthServer(new Root(), { port: health.port });
    await expectAsync(other.start()).toBeRejectedWithError(`health server: port ${health.port} on 127.0.0.1 is already in use`);
    await other.close();
  });

  it('closes: nothing listens afterwards', async () => {
    const url = health.url;
    await health.close();
    await expectAsync(get(`${url}/livez`)).toBeRejected();
  });

  it('refuses a bad port, naming it', () => {
    expect(() => new HealthServer(root, { port: 70_000 })).toThrowError(RangeError, /70000/);
    expect(() => new HealthServer(root, { port: 1.5 })).toThrowError(RangeError, /1\.5/);
  });
});
