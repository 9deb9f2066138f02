/**
 * Renders a tree of services (a Beacon and its subtree) as Graphviz DOT, Mermaid or JSON.
 * Written over a structural shape so it needs neither Beacon nor Service at import time.
 */

/** What the graph reads from a service; any of it may be missing for non-service data. */
export interface GraphData {
  label?: string;
  shortlabel?: string;
  state?: string;
  restartCount?: number;
  diag?: { flags?: Iterable<string> };
}

/** The shape of a Beacon that the graph walks. */
export interface BeaconLike {
  readonly data: unknown;
  readonly children: Iterable<BeaconLike>;
}

/** One service in the graph. `id` is unique even when two services share a label. */
export interface GraphNode {
  id: string;
  label: string;
  state?: string;
  restartCount?: number;
  /** The service's diag flags set at the time of the snapshot. */
  flags?: string[];
  depth: number;
}

/** A parent → child edge, by node id. */
export interface GraphEdge {
  from: string;
  to: string;
}

/** The nested form: one object per service with its children, for `/status` and people. */
export interface TreeNode {
  label: string;
  state?: string;
  restartCount?: number;
  flags?: string[];
  children: TreeNode[];
}

/** Options of {@link ServiceGraph.toDot}. */
export interface DotOptions {
  /** The graph's name (default `'dependencies'`, as mode's). */
  id?: string;
}

const STATE_COLORS: Record<string, { fill: string; line: string; mermaid: string }> = {
  init: { fill: 'lightgrey', line: 'grey50', mermaid: 'fill:#d3d3d3,stroke:#7f7f7f' },
  running: { fill: 'palegreen3', line: 'palegreen4', mermaid: 'fill:#7ccd7c,stroke:#548b54' },
  stopping: { fill: 'khaki', line: 'khaki4', mermaid: 'fill:#f0e68c,stroke:#8b864e' },
  shutdown: { fill: 'grey85', line: 'grey50', mermaid: 'fill:#d9d9d9,stroke:#7f7f7f' },
  crashed: { fill: 'salmon', line: 'red3', mermaid: 'fill:#fa8072,stroke:#cd0000' },
};
const UNKNOWN_COLORS = { fill: 'white', line: 'black', mermaid: 'fill:#ffffff,stroke:#000000' };

/**
 * A snapshot of a service tree: its nodes (breadth first, the root first) and edges,
 * renderable as DOT, Mermaid or JSON. Made by `beacon.asGraph()`.
 *
 * Unlike mode's, two services with the same label stay two nodes (mode merges them).
 */
export class ServiceGraph {
  constructor(
    readonly nodes: readonly GraphNode[],
    readonly edges: readonly GraphEdge[],
    readonly tree: TreeNode,
  ) {}

  /**
   * Graphviz DOT; each node shows its label, state and restart count, coloured by state.
   *
   * @example
   * writeFileSync('tree.dot', service.beacon.asGraph().toDot()); // dot -Tsvg tree.dot
   */
  toDot(options: DotOptions = {}): string {
    const lines = [
      `digraph ${dotString(options.id ?? 'dependencies')} {`,
      '    graph [bgcolor="mintcream", fontname="Helvetica"];',
      '    node [shape="box", style="filled,rounded", fontname="Helvetica"];',
      '    edge [color="darkseagreen4", arrowhead="vee", arrowsize="0.7"];',
    ];
    for (const node of this.nodes) {
      const colors = colorsOf(node.state);
      lines.push(
        `    ${dotString(node.id)} [label=${dotString(describe(node).join('\n'))}, ` +
          `fillcolor=${dotString(colors.fill)}, color=${dotString(colors.line)}];`,
      );
    }
    for (const edge of this.edges) lines.push(`    ${dotString(edge.from)} -> ${dotString(edge.to)};`);
    lines.push('}');
    return `${lines.join('\n')}\n`;
  }

  /**
   * A Mermaid flowchart (for Markdown that renders Mermaid, e.g. GitHub).
   *
   * @example
   * console.log('```mermaid\n' + service.beacon.asGraph().toMermaid() + '```');
   */
  toMermaid(): string {
    const lines = ['flowchart TD'];
    const states = new Set<string>();
    for (const node of this.nodes) {
      const text = describe(node).map(mermaidText).join('<br/>');
      const cls = node.state && STATE_COLORS[node.state] ? `:::${node.state}` : '';
      if (cls) states.add(node.state!);
      lines.push(`    ${node.id}["${text}"]${cls}`);
    }
    for (const edge of this.edges) lines.push(`    ${edge.from} --> ${edge.to}`);
    for (const state of states) lines.push(`    classDef ${state} ${STATE_COLORS[state]!.mermaid}`);
    return `${lines.join('\n')}\n`;
  }

  /** `{ nodes, edges }`, plain data (what `JSON.stringify(graph)` writes). */
  toJSON(): { nodes: GraphNode[]; edges: GraphEdge[] } {
    return { nodes: this.nodes.map((n) => ({ ...n })), edges: this.edges.map((e) => ({ ...e })) };
  }
}

/**
 * The graph of `root` and everything below it (breadth first). A beacon seen twice (a
 * cycle in a hand-made tree) is drawn once, never walked again.
 *
 * @example
 * const graph = beaconGraph(worker.beacon);
 * graph.nodes.map((n) => `${n.label}: ${n.state}`); // ['Worker: running', 'App: running', ...]
 */
export function beaconGraph(root: BeaconLike): ServiceGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new Map<BeaconLike, string>();
  const trees = new Map<BeaconLike, TreeNode>();
  const visit = (beacon: BeaconLike, depth: number): string => {
    const id = `n${ids.size}`;
    ids.set(beacon, id);
    const node: GraphNode = { id, label: labelOf(beacon.data), depth, ...statusOf(beacon.data) };
    nodes.push(node);
    trees.set(beacon, { label: node.label, ...statusOf(beacon.data), children: [] });
    return id;
  };
  visit(root, 1);
  const queue: Array<[BeaconLike, number]> = [[root, 1]];
  for (let i = 0; i < queue.length; i++) {
    const [beacon, depth] = queue[i]!;
    for (const child of beacon.children) {
      if (ids.has(child)) continue;
      const id = visit(child, depth + 1);
      edges.push({ from: ids.get(beacon)!, to: id });
      trees.get(beacon)!.children.push(trees.get(child)!);
      queue.push([child, depth + 1]);
    }
  }
  return new ServiceGraph(nodes, edges, trees.get(root)!);
}

/**
 * Quotes `text` as a DOT string: backslashes and double quotes escaped, newlines as `\n`
 * (Graphviz's line break in labels).
 *
 * @example
 * dotString('say "hi"'); // '"say \\"hi\\""'
 */
export function dotString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n');
  return `"${escaped}"`;
}

// Mermaid ends a label at a double quote and a definition at a newline; entity codes
// and <br/> keep both inside the label.
function mermaidText(text: string): string {
  return text
    .replace(/[&"#<>]/g, (ch) => ({ '&': '#amp;', '"': '#quot;', '#': '#35;', '<': '#lt;', '>': '#gt;' })[ch]!)
    .replace(/\r\n|\r|\n/g, '<br/>');
}

function describe(node: GraphNode): string[] {
  const lines = [node.label];
  if (node.state !== undefined) lines.push(node.state);
  if (node.restartCount !== undefined) lines.push(`restarts: ${node.restartCount}`);
  if (node.flags && node.flags.length > 0) lines.push(node.flags.join(', '));
  return lines;
}

function colorsOf(state: string | undefined): { fill: string; line: string } {
  return (state !== undefined && STATE_COLORS[state]) || UNKNOWN_COLORS;
}

/** @internal A service's label in graphs and paths: its label, else its short label, else its class name. */
export function labelOf(data: unknown): string {
  if (typeof data === 'object' && data !== null) {
    const named = data as GraphData;
    if (typeof named.label === 'string' && named.label) return named.label;
    if (typeof named.shortlabel === 'string' && named.shortlabel) return named.shortlabel;
    const ctor = (data as { constructor?: { name?: string } }).constructor;
    if (ctor?.name) return ctor.name;
  }
  return String(data);
}

function statusOf(data: unknown): { state?: string; restartCount?: number; flags?: string[] } {
  if (typeof data !== 'object' || data === null) return {};
  const out: { state?: string; restartCount?: number; flags?: string[] } = {};
  const { state, restartCount, diag } = data as GraphData;
  if (typeof state === 'string') out.state = state;
  if (typeof restartCount === 'number') out.restartCount = restartCount;
  const flags = diag?.flags;
  if (flags && typeof (flags as Iterable<string>)[Symbol.iterator] === 'function') {
    const list = [...flags].map(String);
    if (list.length > 0) out.flags = list;
  }
  return out;
}
