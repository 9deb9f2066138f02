import type { LiveNode, LiveStatus } from '../../src/node/live/protocol.js';
import { TreeModel } from '../../src/node/live/page/model.js';
import { details, summarize } from '../../src/node/live/page/render.js';

const leaf = (path: string, state: string): LiveNode => ({ path, label: path.split('/').pop()!, state, children: [] });

describe("The live page's row texts", () => {
  it("details: a supervisor's budget, each timer's drift and overlaps, diag flags", () => {
    const model = new TreeModel();
    const tree: LiveNode = {
      ...leaf('App', 'running'),
      budget: { used: 2, maxRestarts: null, overMs: 60_000 },
      timers: [
        { name: 'poll', intervalMs: 1_500, iteration: 9, drifting: 1, overlaps: 3, lastDriftMs: 42 },
        { name: 'flush', intervalMs: 1_000, iteration: 9, drifting: 0, overlaps: 0, lastDriftMs: 0 },
      ],
      flags: ['WARMING'],
    };
    model.apply({ type: 'snapshot', id: '1', data: { label: 'App', state: 'running', live: true, ready: true, tree } satisfies LiveStatus }, 0);
    expect(details(model.root!)).toBe(
      'budget 2/∞ in 1m · poll every 1500ms: drift +42ms, 1 drifting, 3 overlaps · flush every 1s: drift 0, 0 drifting, 0 overlaps · WARMING',
    );
  });

  it("summarize: a collapsed subtree's services counted by state", () => {
    const model = new TreeModel();
    const tree: LiveNode = {
      ...leaf('App', 'running'),
      children: [{ ...leaf('App/Pool', 'running'), children: [leaf('App/Pool/W', 'running'), leaf('App/Pool/W#2', 'crashed'), leaf('App/Pool/W#3', 'running')] }],
    };
    model.apply({ type: 'snapshot', id: '1', data: { label: 'App', state: 'running', live: true, ready: true, tree } }, 0);
    expect(summarize(model, model.root!)).toBe('4 services below: 3 running, 1 crashed');
  });
});
