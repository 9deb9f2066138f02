import { spawnSync } from 'node:child_process';
import { Beacon } from '../../src/tree/beacon.js';
import { beaconGraph, dotString } from '../../src/tree/graph.js';

interface FakeService {
  label: string;
  state: string;
  restartCount: number;
}

function svc(label: string, state = 'running', restartCount = 0): FakeService {
  return { label, state, restartCount };
}

// Worker → App → (Websockets, Webserver, UserCache), plus a tricky label.
function tutorialTree(): Beacon<FakeService> {
  const worker = new Beacon(svc('Worker'));
  const app = worker.new(svc('AppService'));
  app.new(svc('Websockets'));
  app.new(svc('Webserver', 'crashed', 2));
  app.new(svc('UserCache', 'stopping'));
  worker.new(svc('say "hi" \\ back\nslash', 'init'));
  return worker;
}

const hasDot = spawnSync('dot', ['-V']).status === 0;

describe('beaconGraph', () => {
  it('lists nodes breadth first with label, state, restart count and depth, and parent → child edges', () => {
    const graph = beaconGraph(tutorialTree());
    expect(graph.nodes.map((n) => [n.id, n.label, n.state, n.restartCount, n.depth])).toEqual([
      ['n0', 'Worker', 'running', 0, 1],
      ['n1', 'AppService', 'running', 0, 2],
      ['n2', 'say "hi" \\ back\nslash', 'init', 0, 2],
      ['n3', 'Websockets', 'running', 0, 3],
      ['n4', 'Webserver', 'crashed', 2, 3],
      ['n5', 'UserCache', 'stopping', 0, 3],
    ]);
    expect(graph.edges).toEqual([
      { from: 'n0', to: 'n1' },
      { from: 'n0', to: 'n2' },
      { from: 'n1', to: 'n3' },
      { from: 'n1', to: 'n4' },
      { from: 'n1', to: 'n5' },
    ]);
    expect(JSON.parse(JSON.stringify(graph))).toEqual(graph.toJSON());
    expect(graph.tree.children[0]!.children.map((c) => c.label)).toEqual(['Websockets', 'Webserver', 'UserCache']);
  });

  it('keeps two services with the same label apart (mode merges them)', () => {
    const root = new Beacon(svc('Root'));
    root.new(svc('C'));
    root.new(svc('C'));
    const dot = beaconGraph(root).toDot();
    expect(beaconGraph(root).nodes.length).toBe(3);
    expect(dot.match(/label="C\\nrunning\\nrestarts: 0"/g)!.length).toBe(2);
  });

  it('escapes quotes, backslashes and newlines in DOT strings', () => {
    expect(dotString('say "hi"')).toBe('"say \\"hi\\""');
    expect(dotString('a\\b')).toBe('"a\\\\b"');
    expect(dotString('two\nlines')).toBe('"two\\nlines"');
    const dot = beaconGraph(tutorialTree()).toDot();
    expect(dot).toContain('"n2" [label="say \\"hi\\" \\\\ back\\nslash\\ninit\\nrestarts: 0"');
    expect(dot).toContain('"n4" [label="Webserver\\ncrashed\\nrestarts: 2", fillcolor="salmon", color="red3"];');
    expect(dot).toContain('"n1" -> "n4";');
  });

  it('renders Mermaid with escaped labels and a class per state', () => {
    const text = beaconGraph(tutorialTree()).toMermaid();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('    n4["Webserver<br/>crashed<br/>restarts: 2"]:::crashed');
    expect(lines).toContain('    n2["say #quot;hi#quot; \\ back<br/>slash<br/>init<br/>restarts: 0"]:::init');
    expect(lines.length).toBe(1 + 6 + 5 + 4); // header, nodes, edges, one classDef per state: no stray line
    expect(lines).toContain('    n1 --> n5');
    expect(lines).toContain('    classDef crashed fill:#fa8072,stroke:#cd0000');
  });

  it('shows the diag flags set at the time of the snapshot', () => {
    const root = new Beacon<unknown>({ ...svc('Consumer'), diag: { flags: new Set(['FLUSHING', 'WAITING']) } });
    const graph = beaconGraph(root);
    expect(graph.nodes[0]!.flags).toEqual(['FLUSHING', 'WAITING']);
    expect(graph.tree.flags).toEqual(['FLUSHING', 'WAITING']);
    expect(graph.toDot()).toContain('label="Consumer\\nrunning\\nrestarts: 0\\nFLUSHING, WAITING"');
  });

  it('draws plain data (no service) by its string', () => {
    const root = new Beacon<unknown>('root');
    root.new(42);
    const graph = beaconGraph(root);
    expect(graph.nodes.map((n) => n.label)).toEqual(['root', '42']);
    expect(graph.nodes[0]!.state).toBeUndefined();
    expect(graph.toDot()).toContain('"n1" [label="42", fillcolor="white", color="black"];');
  });

  (hasDot ? it : xit)('produces DOT that Graphviz accepts (dot -Tsvg)', () => {
    const dot = beaconGraph(tutorialTree()).toDot({ id: 'tutorial "graph"' });
    const result = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8', timeout: 10_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('<svg');
    for (const label of ['Worker', 'AppService', 'Websockets', 'Webserver', 'UserCache']) {
      expect(result.stdout).toContain(`>${label}</text>`);
    }
    expect(result.stdout).toContain('say &quot;hi&quot; \\ back');
  });
});
