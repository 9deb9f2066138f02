import { Beacon } from '../../src/tree/beacon.js';
import { beaconGraph, dotString } from '../../src/tree/graph.js';
import { svc, tutorialTree } from './tutorial-tree.js';

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
  });

  it('writes { nodes, edges } as JSON, copies of its own', () => {
    const graph = beaconGraph(tutorialTree());
    const json = graph.toJSON();
    expect(json).toEqual({ nodes: [...graph.nodes], edges: [...graph.edges] });
    expect(JSON.parse(JSON.stringify(graph))).toEqual(json);
    json.nodes[0]!.label = 'changed';
    json.edges[0]!.to = 'n9';
    expect(graph.nodes[0]!.label).toBe('Worker');
    expect(graph.edges[0]!.to).toBe('n1');
  });

  it('draws a beacon reached twice (a cycle or a shared child in a hand-made tree) once, and walks it once', () => {
    interface Hand {
      data: unknown;
      children: Hand[];
    }
    const root: Hand = { data: 'root', children: [] };
    const shared: Hand = { data: 'shared', children: [] };
    const a: Hand = { data: 'a', children: [shared, root] };
    const b: Hand = { data: 'b', children: [shared] };
    root.children.push(a, b);
    shared.children.push(a);
    const graph = beaconGraph(root);
    expect(graph.nodes.map((n) => `${n.id} ${n.label} ${n.depth}`)).toEqual(['n0 root 1', 'n1 a 2', 'n2 b 2', 'n3 shared 3']);
    expect(graph.edges).toEqual([
      { from: 'n0', to: 'n1' },
      { from: 'n0', to: 'n2' },
      { from: 'n1', to: 'n3' },
    ]);
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
    expect(dot).toContain('"n4" [label="Webserver\\ncrashed\\nrestarts: 2", fillcolor="#fa8072", color="#cd0000"];');
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
    expect(graph.toDot()).toContain('label="Consumer\\nrunning\\nrestarts: 0\\nFLUSHING, WAITING"');
  });

  it('writes DOT whole: the graph\'s name (mode\'s by default), its styles, a line a node and a line an edge', () => {
    const root = new Beacon<unknown>(svc('Root'));
    root.new({ label: 'Odd', state: 'paused' });
    expect(beaconGraph(root).toDot()).toBe(
      [
        'digraph "dependencies" {',
        '    graph [bgcolor="mintcream", fontname="Helvetica"];',
        '    node [shape="box", style="filled,rounded", fontname="Helvetica"];',
        '    edge [color="darkseagreen4", arrowhead="vee", arrowsize="0.7"];',
        '    "n0" [label="Root\\nrunning\\nrestarts: 0", fillcolor="#7ccd7c", color="#548b54"];',
        '    "n1" [label="Odd\\npaused", fillcolor="#ffffff", color="#000000"];',
        '    "n0" -> "n1";',
        '}',
        '',
      ].join('\n'),
    );
    expect(beaconGraph(root).toDot({ id: 'tree' })).toMatch(/^digraph "tree" \{\n/);
  });

  it('writes Mermaid whole: a class only for the states it colours, each defined once, in the order first met', () => {
    const root = new Beacon<unknown>(svc('Root', 'stopping'));
    root.new({ label: 'Odd', state: 'paused' });
    root.new(svc('A', 'crashed', 1));
    root.new(svc('B', 'stopping'));
    root.new('plain');
    expect(beaconGraph(root).toMermaid()).toBe(
      [
        'flowchart TD',
        '    n0["Root<br/>stopping<br/>restarts: 0"]:::stopping',
        '    n1["Odd<br/>paused"]',
        '    n2["A<br/>crashed<br/>restarts: 1"]:::crashed',
        '    n3["B<br/>stopping<br/>restarts: 0"]:::stopping',
        '    n4["plain"]',
        '    n0 --> n1',
        '    n0 --> n2',
        '    n0 --> n3',
        '    n0 --> n4',
        '    classDef stopping fill:#f0e68c,stroke:#8b864e',
        '    classDef crashed fill:#fa8072,stroke:#cd0000',
        '',
      ].join('\n'),
    );
  });

  it('escapes what would end a Mermaid label: &, #, < and > as entity codes', () => {
    const text = beaconGraph(new Beacon('a & b #1 <x>')).toMermaid();
    expect(text).toContain('    n0["a #amp; b #35;1 #lt;x#gt;"]\n');
  });

  it('names a node by its label, else its short label, else its class, else its string', () => {
    class Named {
      readonly shortlabel = '';
    }
    const root = new Beacon<unknown>({ label: '', shortlabel: 'short' });
    for (const data of [{ label: 5, shortlabel: 'five' }, { shortlabel: 7 }, new Named(), new (class {})(), null, undefined]) root.new(data);
    expect(beaconGraph(root).nodes.map((n) => n.label)).toEqual(['short', 'five', 'Object', 'Named', '[object Object]', 'null', 'undefined']);
  });

  it('takes from data only a string state, a number restart count and iterable flags, and only what is there', () => {
    const root = new Beacon<unknown>({ label: 'Odd', state: 3, restartCount: '2', diag: { flags: 5 } });
    root.new({ label: 'Empty', diag: { flags: new Set() } });
    root.new({ label: 'Typed', state: 'running', restartCount: 0, diag: { flags: ['A', 1] } });
    expect(beaconGraph(root).nodes.map((n) => Object.keys(n))).toEqual([
      ['id', 'label', 'depth'],
      ['id', 'label', 'depth'],
      ['id', 'label', 'depth', 'state', 'restartCount', 'flags'],
    ]);
    expect(beaconGraph(root).nodes[2]!.flags).toEqual(['A', '1']);
  });

  it('draws plain data (no service) by its string', () => {
    const root = new Beacon<unknown>('root');
    root.new(42);
    const graph = beaconGraph(root);
    expect(graph.nodes.map((n) => n.label)).toEqual(['root', '42']);
    expect(graph.nodes[0]!.state).toBeUndefined();
    expect(graph.toDot()).toContain('"n1" [label="42", fillcolor="#ffffff", color="#000000"];');
  });
});
