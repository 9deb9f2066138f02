// A deep tree in the live view: /status, the /events snapshot and a tree event carry a
// chain deeper than JSON.stringify follows (it throws at about 2,500 nested services).
// Not 20,000 as in spec/service/deep-tree.spec.ts: each node carries its full path, so
// the document grows with the square of a chain's depth (docs/live-view.md says so).
import fc from 'fast-check';
import { Service } from '../../src/service/service.js';
import { startHealthServer, type HealthServer } from '../../src/node/health.js';
import { deepJson, iterativeJson } from '../../src/node/live/deep-json.js';
import type { LiveNode, LiveStatus, TreeEvent } from '../../src/node/live/protocol.js';
import { openEvents, type SseConnection } from './support/sse.js';

const DEPTH = 3_000;

/** A chain root → link 1 → ... → link depth-1; returns every link, root first. */
function chain(depth: number, top: Service = new Service({ name: 'L' })): Service[] {
  const links = [top];
  for (let i = 1; i < depth; i++) links.push(links[i - 1]!.addDependency(new Service({ name: i === depth - 1 ? 'End' : 'L' })));
  return links;
}

/** The node's depth and its deepest node, walked without recursion. */
function deepest(node: LiveNode): { depth: number; node: LiveNode } {
  let depth = 1;
  while (node.children.length > 0) {
    expect(node.children.length).toBe(1);
    node = node.children[0]!;
    depth++;
  }
  return { depth, node };
}

describe('deepJson', () => {
  it('walks without recursion to the text JSON.stringify writes, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => iterativeJson(value) === JSON.stringify(value)));
  });

  it('leaves out undefined, function and symbol members, writes them as null in arrays, and uses toJSON', () => {
    const value = { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('s'), 1], e: new Date(0), f: 'x' };
    expect(iterativeJson(value)).toBe('{"d":[null,null,null,1],"e":"1970-01-01T00:00:00.000Z","f":"x"}');
    expect(deepJson(value)).toBe(iterativeJson(value));
    expect(iterativeJson(undefined)).toBe('null');
  });

  it('refuses a cycle with the TypeError JSON.stringify gives, also one deeper than JSON.stringify follows', () => {
    const shallow: { self?: unknown } = {};
    shallow.self = [shallow];
    expect(() => deepJson(shallow)).toThrowError(TypeError, /circular/);
    expect(() => iterativeJson(shallow)).toThrowError(TypeError, 'Converting circular structure to JSON');
    const top: { children: unknown[] } = { children: [] };
    let deepest = top;
    for (let i = 0; i < 50_000; i++) deepest.children.push((deepest = { children: [] }));
    deepest.children.push(top);
    expect(() => deepJson(top)).toThrowError(TypeError, 'Converting circular structure to JSON');
    // The same object twice side by side is no cycle.
    const leaf = { a: 1 };
    expect(iterativeJson([leaf, { b: leaf }])).toBe('[{"a":1},{"b":{"a":1}}]');
  });

  it('writes data nested deeper than JSON.stringify follows', () => {
    let value: unknown = [];
    for (let i = 0; i < 50_000; i++) value = { children: [value] };
    expect(() => JSON.stringify(value)).toThrowError(RangeError);
    const text = deepJson(value);
    expect(text).toBe(iterativeJson(value));
    expect(text.length).toBe(50_000 * '{"children":[]}'.length + 2);
    expect(text.startsWith('{"children":[{"children":[')).toBeTrue();
  });
});

describe(`The live view of a chain of ${DEPTH.toLocaleString('en')} nested services (real HTTP)`, () => {
  let health: HealthServer | undefined;
  let stream: SseConnection | undefined;
  let links: Service[];

  afterEach(async () => {
    stream?.close();
    await health?.close();
    if (links[0]!.state === 'running') await links[0]!.stop();
    stream = health = undefined;
  });

  it('/status and the /events snapshot hold every link', async () => {
    links = chain(DEPTH);
    await links[0]!.start();
    health = await startHealthServer(links[0]!, { port: 0 });
    const response = await fetch(`${health.url}/status`);
    expect(response.status).toBe(200);
    const status = (await response.json()) as LiveStatus;
    const { depth, node } = deepest(status.tree);
    expect(depth).toBe(DEPTH);
    expect(node.label).toBe('End');
    expect(() => JSON.stringify(status)).toThrowError(RangeError);
    expect(node.state).toBe('running');

    stream = await openEvents(`${health.url}/events`);
    const snapshot = await stream.waitFor(() => true, 25_000);
    expect(snapshot.type).toBe('snapshot');
    expect(deepest((JSON.parse(snapshot.data) as LiveStatus).tree).depth).toBe(DEPTH);
  }, 30_000);

  it('a chain that joins the running tree comes as one tree event with its whole subtree', async () => {
    links = chain(1);
    await links[0]!.start();
    health = await startHealthServer(links[0]!, { port: 0 });
    stream = await openEvents(`${health.url}/events`);
    await stream.waitFor((m) => m.type === 'snapshot', 25_000);
    const branch = chain(DEPTH, new Service({ name: 'B' }));
    links[0]!.addDependency(branch[0]!);
    const joined = await stream.waitFor((m) => m.type === 'tree', 25_000);
    const event = JSON.parse(joined.data) as TreeEvent;
    expect(event.change).toBe('added');
    expect(event.path).toBe('L/B');
    expect(deepest(event.node!).depth).toBe(DEPTH);
  }, 30_000);
});
