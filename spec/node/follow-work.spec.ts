import { childProcessSuite } from './support/child.js';

const APP = 'spec/node/fixtures/follow-work-app.js';
// Node 24's AsyncLocalStorage runs on AsyncContextFrame; before it, on promise hooks.
const followsHere = Number(process.versions.node.split('.')[0]) >= 24;

describe('tasks followed across awaits in Node', () => {
  const runNode = childProcessSuite();

  async function followed(entry: string): Promise<{ before: boolean; after: boolean }> {
    const child = runNode(APP, [], { ENTRY: entry });
    expect((await child.exited()).code).toBe(0);
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as { before: boolean; after: boolean };
  }

  it(`are ${followsHere ? '' : 'not '}followed once the core entry is loaded as Node loads it`, async () => {
    expect(await followed('node')).toEqual({ before: false, after: followsHere });
  });

  it(`are ${followsHere ? '' : 'not '}followed once rxmode/node is loaded`, async () => {
    expect(await followed('node-only')).toEqual({ before: false, after: followsHere });
  });

  it('are not followed from the plain entry that browsers get', async () => {
    expect(await followed('core')).toEqual({ before: false, after: false });
  });
});
