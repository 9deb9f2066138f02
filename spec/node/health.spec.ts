import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
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

/** A GET with a Host header of our choosing (fetch sets its own); '' sends none. */
function rawGet(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = host === '' ? {} : { Host: host };
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: false, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (text: string) => (body += text));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
      // A stream (/events, when allowed) would not end: the status is all we need then.
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      }
    });
    req.once('error', reject);
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
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
        path: 'Root',
        label: 'Root',
        state: 'running',
        restartCount: 0,
        ready: true,
        children: [{ path: 'Root/Leaf "quoted"', label: 'Leaf "quoted"', state: 'running', restartCount: 0, ready: true, children: [] }],
      },
    });
  });

  it('/graph.dot is DOT that Graphviz accepts, / is one HTML page with its script inline and the label escaped', async () => {
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
    expect(page.body).toContain('<title>Root</title>');
    // Everything inline: no script, style or image from anywhere, and the browser told so.
    expect(page.body).not.toMatch(/<script[^>]*\ssrc=|<link\s|<img\s|https?:\/\//);
    expect(page.body).toMatch(/<script>.{1000,}<\/script>/s);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/);
    const other = await startHealthServer(new Leaf({ name: '<b>"x" & y</b>' }));
    try {
      const escaped = await get(`${other.url}/`);
      expect(escaped.body).toContain('<title>&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;</title>');
      expect(escaped.body).not.toContain('<b>"x"');
    } finally {
      await other.close();
    }
  });

  it('answers 404 for unknown paths and 405 for anything but GET and HEAD', async () => {
    const missing = await get(`${health.url}/nowhere`);
    expect(missing.status).toBe(404);
    const posted = await get(`${health.url}/livez`, { method: 'POST', body: 'x' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    expect((await get(`${health.url}/status`, { method: 'DELETE' })).status).toBe(405);
    expect((await get(`${health.url}/livez?verbose=1`)).status).toBe(200);
  });

  it('answers HEAD like GET, without a body', async () => {
    for (const path of ['/readyz', '/livez', '/status', '/graph.dot', '/', '/metrics']) {
      const full = await get(`${health.url}${path}`);
      const head = await get(`${health.url}${path}`, { method: 'HEAD' });
      expect(head.status).withContext(path).toBe(full.status);
      expect(head.headers.get('content-type')).withContext(path).toBe(full.headers.get('content-type'));
      expect(head.body).withContext(path).toBe('');
      if (path !== '/metrics') {
        // /metrics reads the process at each request: its length may differ by a digit.
        expect(head.headers.get('content-length')).withContext(path).toBe(String(Buffer.byteLength(full.body)));
      }
    }
  });

  it('refuses with 403 a Host that is neither the bound address nor localhost (DNS rebinding)', async () => {
    for (const host of [`127.0.0.1:${health.port}`, `localhost:${health.port}`, 'LOCALHOST', 'localhost.']) {
      expect((await rawGet(health.port, '/livez', host)).status).withContext(host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${health.port}`, '127.0.0.2', `[::1]:${health.port}`]) {
      const refused = await rawGet(health.port, '/status', host);
      expect(refused.status).withContext(host).toBe(403);
      expect(refused.body).not.toContain('Root');
    }
    // No Host at all: Node's HTTP/1.1 server refuses it before we see it.
    expect((await rawGet(health.port, '/status', '')).status).toBe(400);
    expect((await rawGet(health.port, '/events', 'evil.example')).status).toBe(403);
  });

  it('answers the hosts listed in allowedHosts', async () => {
    const other = await startHealthServer(root, { allowedHosts: ['app.internal', 'Metrics.Example.'] });
    try {
      expect((await rawGet(other.port, '/livez', 'app.internal:80')).status).toBe(200);
      expect((await rawGet(other.port, '/livez', 'metrics.example')).status).toBe(200);
      expect((await rawGet(other.port, '/livez', 'app.internal.evil')).status).toBe(403);
    } finally {
      await other.close();
    }
    expect(() => new HealthServer(root, { allowedHosts: ['ok', ''] })).toThrowError(TypeError, /allowedHosts entry: ""/);
    expect(() => new HealthServer(root, { allowedHosts: 'app.internal' as never })).toThrowError(TypeError, /invalid allowedHosts: app\.internal/);
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
