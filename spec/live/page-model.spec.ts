import fc from 'fast-check';
import type { LiveNode, LiveStatus } from '../../src/node/live/protocol.js';
import { STATES, TreeModel, type LiveMessage } from '../../src/node/live/page/model.js';

function node(path: string, state: string, children: LiveNode[] = [], extra: Partial<LiveNode> = {}): LiveNode {
  return { path, label: path.split('/').pop()!.replace(/#\d+$/, ''), state, restartCount: 0, ready: state === 'running', ...extra, children };
}

function snapshot(tree: LiveNode): LiveMessage {
  const status: LiveStatus = { label: tree.label, state: tree.state!, live: true, ready: true, tree };
  return { type: 'snapshot', id: '1', data: status };
}

const transition = (path: string, from: string, to: string, reason?: string): LiveMessage => ({
  type: 'transition',
  id: '',
  data: { path, label: path, from, to, at: 0, ...(reason ? { reason } : {}) },
});

describe('TreeModel (the page\'s picture of the tree, kept from /events)', () => {
  const tree = () =>
    node('App', 'running', [
      node('App/Sup', 'running', [node('App/Sup/Web', 'running'), node('App/Sup/Web#2', 'running')], {
        budget: { used: 0, maxRestarts: 5, overMs: 1_000 },
      }),
    ]);

  it('takes a snapshot whole, depth and parents included, and marks everything new', () => {
    const model = new TreeModel();
    model.apply(snapshot(tree()), 0);
    expect(model.reset).toBeTrue();
    expect(model.size).toBe(4);
    expect(model.root!.path).toBe('App');
    const web2 = model.get('App/Sup/Web#2')!;
    expect([web2.label, web2.parent, web2.depth, web2.state, web2.ready]).toEqual(['Web', 'App/Sup', 3, 'running', true]);
    expect(model.get('App/Sup')!.children).toEqual(['App/Sup/Web', 'App/Sup/Web#2']);
    expect(model.counts['running']).toBe(4);
    model.clean();
    expect(model.reset).toBeFalse();
  });

  it('counts a restart when a service goes back to init, and is not ready outside running', () => {
    const model = new TreeModel();
    model.apply(snapshot(tree()), 0);
    model.clean();
    for (const [from, to] of [['running', 'crashed'], ['crashed', 'init'], ['init', 'running']] as const) {
      model.apply(transition('App/Sup/Web', from, to, to === 'crashed' ? 'Error: boom' : undefined), 10);
      if (to !== 'running') expect(model.get('App/Sup/Web')!.ready).toBeFalse();
    }
    const web = model.get('App/Sup/Web')!;
    expect(web.restarts).toBe(1);
    expect(web.state).toBe('running');
    expect(web.lastReason).toBe('Error: boom');
    expect(web.marbles.map((m) => m.to)).toEqual(['crashed', 'init', 'running']);
    expect([...model.dirty]).toEqual(['App/Sup/Web']);
    expect(model.counts).toEqual(jasmine.objectContaining({ running: 4, crashed: 0, init: 0 }));
  });

  it('keeps a bounded lane of marbles', () => {
    const model = new TreeModel({ laneLength: 4 });
    model.apply(snapshot(tree()), 0);
    for (let i = 0; i < 10; i++) model.apply(transition('App/Sup/Web', 'x', i % 2 ? 'running' : 'crashed'), i);
    expect(model.get('App/Sup/Web')!.marbles.map((m) => m.at)).toEqual([6, 7, 8, 9]);
  });

  it("takes a supervisor's budget from its restarts and stats, readiness and timers from stats", () => {
    const model = new TreeModel();
    model.apply(snapshot(tree()), 0);
    model.apply({ type: 'restart', id: '', data: { path: 'App/Sup/Web', supervisor: 'App/Sup', action: 'restarted', reason: 'Error: x', budget: { used: 1, maxRestarts: 5, overMs: 1_000 } } }, 0);
    expect(model.get('App/Sup')!.budget!.used).toBe(1);
    expect(model.get('App/Sup/Web')!.lastAction).toBe('restarted');
    const timers = [{ name: 'poll', intervalMs: 100, iteration: 3, drifting: 1, overlaps: 2, lastDriftMs: 40 }];
    model.apply({ type: 'stats', id: '', data: { services: [
      { path: 'App/Sup/Web#2', ready: false, timers },
      { path: 'App/Sup', budget: { used: 0, maxRestarts: 5, overMs: 1_000 } },
    ] } }, 0);
    expect(model.get('App/Sup/Web#2')!.ready).toBeFalse();
    expect(model.get('App/Sup/Web#2')!.timers).toEqual(timers);
    expect(model.get('App/Sup')!.budget!.used).toBe(0);
  });

  it('adds and removes whole subtrees on tree events', () => {
    const model = new TreeModel();
    model.apply(snapshot(tree()), 0);
    model.clean();
    model.apply({ type: 'tree', id: '', data: { path: 'App/Sup/Web', change: 'removed' } }, 0);
    expect(model.get('App/Sup/Web')).toBeUndefined();
    expect(model.get('App/Sup')!.children).toEqual(['App/Sup/Web#2']);
    const added = node('App/Sup/Web', 'init', [node('App/Sup/Web/Log', 'init')]);
    model.apply({ type: 'tree', id: '', data: { path: 'App/Sup/Web', change: 'added', parent: 'App/Sup', node: added } }, 0);
    expect(model.get('App/Sup')!.children).toEqual(['App/Sup/Web#2', 'App/Sup/Web']);
    expect(model.get('App/Sup/Web/Log')!.depth).toBe(4);
    expect([...model.reshaped]).toEqual(['App/Sup']);
    expect(model.counts['init']).toBe(2);
    expect(model.size).toBe(5);
  });

  it('ignores events about paths it does not know', () => {
    const model = new TreeModel();
    model.apply(transition('Nowhere', 'init', 'running'), 0);
    model.apply(snapshot(tree()), 0);
    model.clean();
    model.apply(transition('App/Ghost', 'init', 'running'), 0);
    model.apply({ type: 'tree', id: '', data: { path: 'Nope/X', change: 'added', parent: 'Nope', node: node('Nope/X', 'init') } }, 0);
    model.apply({ type: 'stats', id: '', data: { services: [{ path: 'App/Ghost', ready: true }] } }, 0);
    expect(model.size).toBe(4);
    expect(model.dirty.size + model.reshaped.size).toBe(0);
  });

  it('keeps the last blocked report with when it came', () => {
    const model = new TreeModel();
    model.apply({ type: 'blocked', id: '', data: { blockedMs: 1_200, path: 'App' } }, 55);
    expect(model.blocked).toEqual({ blockedMs: 1_200, path: 'App', at: 55 });
  });

  it('property: the counts by state always match the services', () => {
    const paths = ['App/Sup/Web', 'App/Sup/Web#2', 'App/Sup', 'App/Sup/Web/Log'];
    const event = fc.oneof(
      fc.record({ kind: fc.constant('t' as const), path: fc.constantFrom(...paths), to: fc.constantFrom(...STATES) }),
      fc.record({ kind: fc.constant('rm' as const), path: fc.constantFrom(...paths) }),
      fc.record({ kind: fc.constant('add' as const), path: fc.constantFrom(...paths), state: fc.constantFrom(...STATES) }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const model = new TreeModel();
        model.apply(snapshot(tree()), 0);
        for (const e of events) {
          if (e.kind === 't') model.apply(transition(e.path, model.get(e.path)?.state ?? 'init', e.to), 0);
          else if (e.kind === 'rm') model.apply({ type: 'tree', id: '', data: { path: e.path, change: 'removed' } }, 0);
          else model.apply({ type: 'tree', id: '', data: { path: e.path, change: 'added', node: node(e.path, e.state) } }, 0);
        }
        const recount: Record<string, number> = {};
        const queue = [model.root!.path];
        for (let i = 0; i < queue.length; i++) {
          const view = model.get(queue[i]!)!;
          recount[view.state] = (recount[view.state] ?? 0) + 1;
          queue.push(...view.children);
        }
        for (const state of STATES) expect(model.counts[state] ?? 0).withContext(state).toBe(recount[state] ?? 0);
        expect(queue.length).toBe(model.size);
      }),
      { numRuns: 300 },
    );
  });
});
