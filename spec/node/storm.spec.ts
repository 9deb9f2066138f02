import { type Child, childProcessSuite } from './support/child.js';

const APP = 'spec/node/fixtures/storm-app.js';
let runNode: (script: string, args?: string[], env?: Record<string, string>) => Child;

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.text() };
}

/** The restart count of the service labelled `label` in the /status tree. */
function restartsOf(status: string, label: string): number {
  const find = (node: { label?: string; restartCount?: number; children?: unknown[] }): number | undefined => {
    if (node.label === label) return node.restartCount;
    for (const child of node.children ?? []) {
      const found = find(child as typeof node);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find((JSON.parse(status) as { tree: { children?: unknown[] } }).tree) ?? -1;
}

describe('a Worker under a restart storm (in a child process)', () => {
  runNode = childProcessSuite();

  it('keeps answering /livez while a service crashes in a loop with maxRestarts: Infinity, and stops on SIGTERM', async () => {
    const child = runNode(APP, ['--log-level=info', '--log-format=json']);
    const [, url] = (await child.waitFor(/Health probes on (http:\/\/[\d.]+:\d+)/)) as RegExpMatchArray;
    for (let i = 0; i < 5; i++) {
      expect((await get(`${url!}/livez`)).status).withContext(`probe ${i}`).toBe(200);
    }
    // The storm goes on meanwhile: the restart count keeps growing.
    const first = restartsOf((await get(`${url!}/status`)).body, 'Storm');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = restartsOf((await get(`${url!}/status`)).body, 'Storm');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    child.kill('SIGTERM');
    const { code, signal } = await child.exited();
    expect(signal).toBeNull();
    expect([0, 1]).toContain(code!);
  });
});
