import { childProcessSuite } from './support/child.js';

const APP = 'spec/node/fixtures/shared-waits-app.js';

describe("asyncScheduler's waits due together", () => {
  const runNode = childProcessSuite();

  async function timersOf(entry: 'node' | 'core'): Promise<{ sleeping: number; afterStop: number }> {
    const child = runNode(APP, [], { ENTRY: entry });
    expect((await child.exited()).code).withContext(child.stderr).toBe(0);
    return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { sleeping: number; afterStop: number };
  }

  it('share native timers from the entry Node loads: 100 sleeps begun together hold a few, and none after the stop', async () => {
    const { sleeping, afterStop } = await timersOf('node');
    // One for each millisecond the 100 calls spanned: a few at most, even on a loaded machine.
    expect(sleeping).toBeGreaterThan(0);
    expect(sleeping).toBeLessThan(20);
    expect(afterStop).toBe(0);
  });

  it('are each their own timer from the entry browsers get, which leaves the groups out; none after the stop', async () => {
    const { sleeping, afterStop } = await timersOf('core');
    expect(sleeping).toBe(100);
    expect(afterStop).toBe(0);
  });
});
