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

/** Options of {@link ServiceGraph.toDot}. */
export interface DotOptions {
  /** The graph's name (default `'dependencies'`, as mode's). */
  id?: string;
}

// Per state: the fill and line colours, in hex, which DOT and Mermaid both read (one table
// for both: 57 bytes gzipped less of a Service bundle than X11 names for DOT beside hex for
// Mermaid, measured). Arrays, not { fill, line } objects: 19 bytes less (measured).
const STATE_COLORS: Record<string, readonly string[]> = {
  init: ['#d3d3d3', '#7f7f7f'],
  running: ['#7ccd7c', '#548b54'],
  stopping: ['#f0e68c', '#8b864e'],
  shutdown: ['#d9d9d9', '#7f7f7f'],
  crashed: ['#fa8072', '#cd0000'],
};
const UNKNOWN_COLORS = ['#ffffff', '#000000'];

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
  ) {}

  /**
   * Graphviz DOT; each node shows its label, state and restart count, coloured by state.
   *
   * @example
   * writeFileSync('tree.dot', service.beacon.asGraph().toDot()); // dot -Tsvg tree.dot
   */
  toDot(options: DotOptions = {}): string {
    // Node ids (n0, n1...) and hex colours need no escaping.
    let text =
      `digraph ${dotString(options.id ?? 'dependencies')} {\n` +
      '    graph [bgcolor="mintcream", fontname="Helvetica"];\n' +
      '    node [shape="box", style="filled,rounded", fontname="Helvetica"];\n' +
      '    edge [color="darkseagreen4", arrowhead="vee", arrowsize="0.7"];\n';
    for (const node of this.nodes) {
      const [fill, line] = (node.state !== undefined && STATE_COLORS[node.state]) || UNKNOWN_COLORS;
      text += `    "${node.id}" [label=${dotString(describe(node).join('\n'))}, fillcolor="${fill}", color="${line}"];\n`;
    }
    for (const edge of this.edges) text += `    "${edge.from}" -> "${edge.to}";\n`;
    return `${text}}\n`;
  }

  /**
   * A Mermaid flowchart (for Markdown that renders Mermaid, e.g. GitHub).
   *
   * @example
   * console.log('```mermaid\n' + service.beacon.asGraph().toMermaid() + '```');
   */
  toMermaid(): string {
    let text = 'flowchart TD\n';
    const states = new Set<string>();
    for (const node of this.nodes) {
      const known = node.state !== undefined && STATE_COLORS[node.state] !== undefined;
      if (known) states.add(node.state!);
      text += `    ${node.id}["${describe(node).map(mermaidText).join('<br/>')}"]${known ? `:::${node.state}` : ''}\n`;
    }
    for (const edge of this.edges) text += `    ${edge.from} --> ${edge.to}\n`;
    for (const state of states) {
      const colors = STATE_COLORS[state]!;
      text += `    classDef ${state} fill:${colors[0]},stroke:${colors[1]}\n`;
    }
    return text;
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
  const visit = (beacon: BeaconLike, depth: number): string => {
    const id = `n${ids.size}`;
    ids.set(beacon, id);
    const node: GraphNode = { id, label: labelOf(beacon.data), depth, ...statusOf(beacon.data) };
    nodes.push(node);
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
      queue.push([child, depth + 1]);
    }
  }
  return new ServiceGraph(nodes, edges);
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
