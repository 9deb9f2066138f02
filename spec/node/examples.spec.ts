// The examples other than the tutorial (spec/node/tutorial.spec.ts), each run as its
// comment says and stopped as a user stops it: each must start, do what it is for, and
// stop in order with exit code 0. Nothing else runs them (the README's 20-line example is
// compiled and run by check:package; these are the files `npm run example:*` and the
// guides point to).
import { type Child, childProcessSuite, logRecords, serviceLines } from './support/child.js';

let runNode: (script: string, args?: string[], env?: Record<string, string>) => Child;

/** The `label: from -> to` lines an example prints from `events$`. */
function transitions(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^\w+: \w+ -> \w+$/.test(line));
}

/** The `label: msg` of each JSON log line (pino's, as the Worker writes without --log-format). */
function jsonLines(stdout: string): string[] {
  return logRecords(stdout).map(({ label, msg }) => `${label ?? '-'}: ${msg}`);
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const reply = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: reply.status, body: (await reply.json()) as T };
}

describe('the examples (examples/*.ts, each in a child process)', () => {
  runNode = childProcessSuite();

  it('hello.ts (npm run example:hello) logs its states and stops children first on SIGINT', async () => {
    const child = runNode('examples/hello.js');
    await child.waitFor(/\[\^-Cache\]: Starting\.\.\./);
    expect(transitions(child.stdout)).toEqual(['App: init -> running', 'Cache: init -> running']);
    child.kill('SIGINT');
    expect((await child.exited()).code).toBe(0);
    expect(transitions(child.stdout).slice(2)).toEqual([
      'App: running -> stopping',
      'Cache: running -> stopping',
      'Cache: stopping -> shutdown',
      'App: stopping -> shutdown',
    ]);
    expect(serviceLines(child.stdout).slice(-2)).toEqual(['Cache: -Stopped!', 'App: -Stopped!']);
  });

  it('main.ts (npm run example:tree) beats, and stops its children in reverse order on SIGINT', async () => {
    const child = runNode('examples/main.js');
    await child.waitFor(/Heartbeat: beat 1\b/);
    child.kill('SIGINT');
    expect((await child.exited()).code).toBe(0);
    expect(child.stdout).toContain('Stopping on signal received...');
    const stops = transitions(child.stdout).filter((line) => !line.includes('init ->'));
    expect(stops).toEqual([
      'App: running -> stopping',
      'Heartbeat: running -> stopping',
      'Heartbeat: stopping -> shutdown',
      'Cache: running -> stopping',
      'Cache: stopping -> shutdown',
      'App: stopping -> shutdown',
    ]);
  });

  it('live-view.ts serves the live page and the tree it says, and stops on SIGTERM', async () => {
    const child = runNode('examples/live-view.js', ['--health-port', '0']);
    const [, port] = await child.waitFor(/Health probes on http:\/\/127\.0\.0\.1:(\d+) /);
    await child.waitFor(/"label":"PoolWorker","depth":4,"msg":"Starting\.\.\."/);
    const page = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    await page.text();
    interface Node {
      path: string;
      children?: Node[];
    }
    const { status, body } = await getJson<{ tree: Node }>(`http://127.0.0.1:${port}/status`);
    expect(status).toBe(200);
    const paths: string[] = [];
    const walk = (node: Node): void => {
      paths.push(node.path);
      node.children?.forEach(walk);
    };
    walk(body.tree);
    // Its comment's tree: two fetchers under a supervisor, a cache, a pool of four alike.
    expect(paths).toEqual(
      jasmine.arrayContaining([
        'Worker/App/Fetchers/Prices',
        'Worker/App/Fetchers/Rates',
        'Worker/App/Cache',
        'Worker/App/Pool/PoolWorker',
        'Worker/App/Pool/PoolWorker#4',
      ]),
    );
    expect(paths.length).toBe(1 + 1 + 3 + 1 + 4 + 1);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    expect(jsonLines(child.stdout).slice(-3)).toEqual(['Fetchers: -Stopped!', 'App: -Stopped!', 'Worker: -Stopped!']);
  });

  it('kubernetes/app.ts answers its probes, and drains and stops on SIGTERM as deployment.yaml expects', async () => {
    const child = runNode('examples/kubernetes/app.js', ['--health-port', '0']);
    const [, port] = await child.waitFor(/Health probes on http:\/\/127\.0\.0\.1:(\d+) /);
    await child.waitFor(/"label":"Api","depth":3,"msg":"Starting\.\.\."/);
    const live = await fetch(`http://127.0.0.1:${port}/livez`, { signal: AbortSignal.timeout(5_000) });
    expect(live.status).toBe(200);
    await live.text();
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
    expect(jsonLines(child.stdout).filter((line) => /Stopp/.test(line))).toEqual([
      'Worker: Stopping on signal received...',
      'Worker: Stopping...',
      'App: Stopping...',
      'Api: Stopping...',
      'Api: -Stopped!',
      'App: -Stopped!',
      'Worker: -Stopped!',
    ]);
  });
});
