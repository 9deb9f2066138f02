import { get } from 'node:http';
import { connect } from 'node:net';
import { Service } from '../../src/service/service.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { HealthServer, startHealthServer, type HealthOptions } from '../../src/node/health.js';
import { Worker } from '../../src/node/worker.js';
import { restartNotes$ } from '../../src/supervisors/restart-notes.js';
import { beaconChanges$ } from '../../src/tree/changes.js';
import type { LiveStatus, RestartEvent, StatsEvent, TransitionEvent, TreeEvent } from '../../src/node/live/protocol.js';
import { freePort } from './support/ports.js';
import { openEvents, type SseConnection, type SseMessage } from './support/sse.js';

class Leaf extends Service {}

/** App → Sup (one-for-one) → Web, Web (the second is `Web#2`). */
class App extends Service {
  readonly web = new Leaf({ name: 'Web' });
  readonly web2 = new Leaf({ name: 'Web' });
  readonly sup = new OneForOneSupervisor({ name: 'Sup', services: [this.web, this.web2], maxRestarts: 50, over: '1m' });
  override onInitDependencies() {
    return [this.sup];
  }
}

const data = <T>(message: SseMessage): T => JSON.parse(message.data) as T;
const idOf = (message: SseMessage): number => Number(message.id);
const ofType = (type: string) => (message: SseMessage) => message.type === type;

/** Waits until `condition` holds, checking every 10 ms, for at most `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('GET /events (Server-Sent Events, real HTTP)', () => {
  let app: App;
  let health: HealthServer;
  const open: SseConnection[] = [];

  async function serve(options: HealthOptions = {}): Promise<void> {
    health = await startHealthServer(app, options);
  }

  async function events(headers: Record<string, string> = {}, query = ''): Promise<SseConnection> {
    const connection = await openEvents(`${health.url}/events${query}`, headers);
    open.push(connection);
    return connection;
  }

  beforeEach(() => {
    app = new App();
  });
  afterEach(async () => {
    for (const connection of open.splice(0)) connection.close();
    await health?.close();
    if (app.state === 'running') await app.stop();
  });

  it('is text/event-stream, and starts with a snapshot that is the /status JSON', async () => {
    await serve();
    await app.start();
    const stream = await events();
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers['cache-control']).toBe('no-store');
    const snapshot = await stream.waitFor(() => true);
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.id).toMatch(/^\d+$/);
    const status = (await (await fetch(`${health.url}/status`)).json()) as LiveStatus;
    expect(data<LiveStatus>(snapshot)).toEqual(status);
    expect(status.tree.path).toBe('App');
    const sup = status.tree.children[0]!;
    expect(sup.path).toBe('App/Sup');
    expect(sup.budget).toEqual({ used: 0, maxRestarts: 50, overMs: 60_000 });
    expect(sup.children.map((c) => [c.path, c.label, c.state, c.ready])).toEqual([
      ['App/Sup/Web', 'Web', 'running', true],
      ['App/Sup/Web#2', 'Web', 'running', true],
    ]);
  });

  it('then sends every transition in order, each with a larger id', async () => {
    await serve();
    const stream = await events();
    const snapshot = await stream.waitFor(ofType('snapshot'));
    await app.start();
    await app.stop();
    await stream.waitFor((m) => m.type === 'transition' && data<TransitionEvent>(m).path === 'App' && data<TransitionEvent>(m).to === 'shutdown');
    const transitions = stream.events().filter(ofType('transition')).map((m) => data<TransitionEvent>(m));
    expect(transitions.map((t) => `${t.path} ${t.from}>${t.to}`)).toEqual([
      'App init>running',
      'App/Sup init>running',
      'App/Sup/Web init>running',
      'App/Sup/Web#2 init>running',
      'App running>stopping',
      'App/Sup running>stopping',
      'App/Sup/Web#2 running>stopping',
      'App/Sup/Web#2 stopping>shutdown',
      'App/Sup/Web running>stopping',
      'App/Sup/Web stopping>shutdown',
      'App/Sup stopping>shutdown',
      'App stopping>shutdown',
    ]);
    expect(transitions.every((t) => t.label === t.path.split('/').pop()!.replace(/#\d+$/, '') && typeof t.at === 'number')).toBeTrue();
    const ids = stream.events().map(idOf);
    expect(ids[0]).toBe(idOf(snapshot));
    for (let i = 2; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
  });

  it('stats: readiness after a start, every service that turned ready in one event', async () => {
    await serve();
    const stream = await events();
    await stream.waitFor(ofType('snapshot'));
    await app.start();
    const stats = await stream.waitFor(ofType('stats'));
    expect(data<StatsEvent>(stats).services).toEqual(
      ['App', 'App/Sup', 'App/Sup/Web', 'App/Sup/Web#2'].map((path) => jasmine.objectContaining({ path, ready: true })),
    );
    // The stats come after the transitions that made them.
    const transitions = stream.events().filter(ofType('transition'));
    expect(idOf(stats)).toBeGreaterThan(idOf(transitions.at(-1)!));
  });

  it('a crash: the transition with its reason, the supervisor\'s restart with its budget, the way back', async () => {
    await serve();
    await app.start();
    const stream = await events();
    await stream.waitFor(ofType('snapshot'));
    await app.web.crash(new Error('disk full'));
    await stream.waitFor((m) => m.type === 'transition' && data<TransitionEvent>(m).path === 'App/Sup/Web' && data<TransitionEvent>(m).to === 'running');
    const seen = stream.events().filter((m) => m.type === 'transition' || m.type === 'restart');
    expect(seen.map((m) => (m.type === 'restart' ? `restart ${data<RestartEvent>(m).action}` : `${data<TransitionEvent>(m).from}>${data<TransitionEvent>(m).to}`)))
      .toEqual(['running>crashed', 'restart restarted', 'crashed>init', 'init>running']);
    expect(data<TransitionEvent>(seen[0]!).reason).toBe('Error: disk full');
    expect(data<RestartEvent>(seen[1]!)).toEqual({
      path: 'App/Sup/Web',
      supervisor: 'App/Sup',
      action: 'restarted',
      reason: 'Error: disk full',
      budget: { used: 1, maxRestarts: 50, overMs: 60_000 },
    });
  });

  it('tree changes: added (with the subtree and paths) and removed; a newcomer takes the freed #n', async () => {
    await serve();
    await app.start();
    const stream = await events();
    await stream.waitFor(ofType('snapshot'));
    await app.sup.removeDependency(app.web);
    const extra = new Leaf({ name: 'Web' });
    extra.addDependency(new Leaf({ name: 'Logger' }));
    await app.sup.addRuntimeDependency(extra);
    await stream.waitFor((m) => m.type === 'transition' && data<TransitionEvent>(m).path === 'App/Sup/Web/Logger');
    const tree = stream.events().filter(ofType('tree')).map((m) => data<TreeEvent>(m));
    expect(tree.map((t) => `${t.change} ${t.path}`)).toEqual(['removed App/Sup/Web', 'added App/Sup/Web']);
    expect(tree[1]!.parent).toBe('App/Sup');
    expect(tree[1]!.node!.state).toBe('init');
    expect(tree[1]!.node!.children.map((c) => c.path)).toEqual(['App/Sup/Web/Logger']);
    // Web#2 kept its path all along.
    const status = (await (await fetch(`${health.url}/status`)).json()) as LiveStatus;
    expect(status.tree.children[0]!.children.map((c) => c.path)).toEqual(['App/Sup/Web#2', 'App/Sup/Web']);
  });

  it('resumes after Last-Event-ID (header, or ?lastEventId=) with exactly what was missed', async () => {
    await serve();
    await app.start();
    const first = await events();
    await first.waitFor(ofType('snapshot'));
    await app.web.restart();
    const lastSeen = await first.waitFor((m) => m.type === 'transition' && data<TransitionEvent>(m).to === 'running');
    first.close();
    await until(() => health.eventClients === 0, 'the first client to be gone');
    await app.web2.restart();
    const missedTo = ['stopping', 'shutdown', 'init', 'running'];
    for (const [headers, query] of [[{ 'Last-Event-ID': lastSeen.id! }, ''], [{}, `?lastEventId=${lastSeen.id}`]] as const) {
      const again = await events(headers, query);
      await again.waitFor((m) => m.type === 'transition' && data<TransitionEvent>(m).to === 'running');
      const got = again.events();
      expect(got.some(ofType('snapshot'))).withContext(query || 'header').toBeFalse();
      const transitions = got.filter(ofType('transition')).map((m) => data<TransitionEvent>(m));
      expect(transitions.map((t) => `${t.path} ${t.to}`)).toEqual(missedTo.map((to) => `App/Sup/Web#2 ${to}`));
      expect(idOf(got[0]!)).toBe(idOf(lastSeen) + 1);
      for (let i = 1; i < got.length; i++) expect(idOf(got[i]!)).toBe(idOf(got[i - 1]!) + 1);
    }
  });

  it('gets a fresh snapshot when the id is older than the history, unknown, or not a number', async () => {
    await serve({ historySize: 5 });
    await app.start();
    const first = await events();
    const snapshot = await first.waitFor(ofType('snapshot'));
    await app.web.restart();
    await app.web.restart(); // 8 transitions: more than the 5 kept
    await first.waitFor((m) => first.events().filter(ofType('transition')).length >= 8);
    for (const id of [snapshot.id!, String(idOf(snapshot) + 1_000_000), 'yesterday']) {
      const again = await events({ 'Last-Event-ID': id });
      const head = await again.waitFor(() => true);
      expect(head.type).withContext(id).toBe('snapshot');
      expect(data<LiveStatus>(head).tree.children[0]!.children[0]!.restartCount).toBe(2);
    }
    // Within the history it still resumes.
    const recent = first.events().filter(ofType('transition')).at(-3)!;
    const resumed = await events({ 'Last-Event-ID': recent.id! });
    expect((await resumed.waitFor(() => true)).id).toBe(String(idOf(recent) + 1));
  });

  it('sends a comment every keepAlive so proxies keep the stream open', async () => {
    await serve({ keepAlive: '40ms' });
    const stream = await events();
    const comment = await stream.waitFor(ofType('comment'));
    expect(comment.data).toBe('keep-alive');
  });

  it('turns a blocked event loop into a blocked event naming the service', async () => {
    await serve();
    await app.start();
    const stream = await events();
    await stream.waitFor(ofType('snapshot'));
    health.noteBlocked({
      blockedMs: 1_500,
      service: 'Sup',
      task: 'Sup.superviseServices',
      frames: [{ functionName: 'spin', file: 'app.js', line: 3, column: 7 }],
    });
    const blocked = await stream.waitFor(ofType('blocked'));
    expect(data(blocked)).toEqual({ blockedMs: 1_500, path: 'App/Sup', task: 'Sup.superviseServices', frames: ['spin (app.js:3)'] });
  });

  it('HEAD /events answers the headers and opens no stream', async () => {
    await serve();
    const response = await fetch(`${health.url}/events`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await response.text()).toBe('');
    expect(health.eventClients).toBe(0);
  });

  it('drops a client that never reads, and neither the program nor the other clients wait for it', async () => {
    // Big labels make big events (about 40 KB each), so that the stalled reader's socket
    // buffers (the kernel takes a few MB on loopback) fill up within a few hundred.
    const name = `Slow${'x'.repeat(20_000)}`;
    const busy = new Leaf({ name });
    app.sup.add(busy);
    await serve({ maxClientBuffer: 1 << 20, historySize: 10 });
    await app.start();
    const reader = await events();
    await reader.waitFor(ofType('snapshot'));
    // A client that sends its request and never reads a byte of the answer.
    const port = health.port;
    const stalled = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.pause();
    stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await until(() => health.eventClients === 2, 'both clients to be connected');
    const restarts = 150;
    // A turn of the event loop between restarts, as a real program has: the reading client
    // (in this process) reads then.
    for (let i = 0; i < restarts; i++) {
      await busy.restart();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(busy.restartCount).toBe(restarts);
    await until(() => health.eventClients === 1, 'the stalled client to be dropped');
    // The reading client got every one of them, in order.
    await reader.waitFor(() => reader.events().filter((m) => m.type === 'transition' && data<TransitionEvent>(m).path.endsWith(name)).length === restarts * 4, 20_000);
    const seen = reader.events().filter((m) => m.type === 'transition' && data<TransitionEvent>(m).path.endsWith(name)).map((m) => data<TransitionEvent>(m).to);
    expect(seen).toEqual(Array.from({ length: restarts }, () => ['stopping', 'shutdown', 'init', 'running']).flat());
    stalled.destroy();
  }, 30_000);

  it('closing ends the streams and lets go of the tree; started again, it streams again', async () => {
    await serve();
    await app.start();
    const stream = await events();
    await stream.waitFor(ofType('snapshot'));
    await health.close();
    await stream.ended;
    expect(beaconChanges$.observed).toBeFalse();
    await health.start();
    const again = await events();
    await app.web.restart();
    await again.waitFor((m) => m.type === 'transition' && data<TransitionEvent>(m).to === 'running');
    expect(again.events()[0]!.type).toBe('snapshot');
  });

  it('is not followed while nobody listens: no subscription to the tree, beacons or supervisors', async () => {
    const events$ = spyOnProperty(app, 'events$', 'get').and.callThrough();
    await serve();
    await app.start();
    await app.web.restart();
    expect(events$).not.toHaveBeenCalled();
    expect(beaconChanges$.observed).toBeFalse();
    expect(restartNotes$.observed).toBeFalse();
    const stream = await events();
    await stream.waitFor(ofType('snapshot'));
    expect(events$).toHaveBeenCalledTimes(1);
    expect(beaconChanges$.observed).toBeTrue();
    expect(restartNotes$.observed).toBeTrue();
    await health.close();
    expect(beaconChanges$.observed).toBeFalse();
    expect(restartNotes$.observed).toBeFalse();
  });
});

describe('GET /events with a Worker', () => {
  function resources(): Record<string, number> {
    const counts: Record<string, number> = { Timeout: 0, Immediate: 0, TCPServerWrap: 0, TCPSocketWrap: 0 };
    for (const kind of (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo()) {
      if (kind in counts) counts[kind]!++;
    }
    return counts;
  }

  it('ends the streams when the Worker stops, and leaves no socket, interval or timer behind', async () => {
    const sink = { write: () => true };
    const before = resources();
    const port = await freePort();
    const worker = new Worker(new App(), {
      overrideLogging: false, stdout: sink as never, stderr: sink as never, blockingTimeout: false,
      health: { port, keepAlive: '50ms' },
    });
    const code = worker.execute();
    await until(() => worker.state === 'running', 'the worker to run');
    const stream = await openEvents(`http://127.0.0.1:${port}/events`);
    await stream.waitFor((m) => m.type === 'comment'); // the keep-alive interval runs
    await worker.stop();
    expect(await code).toBe(0);
    await stream.ended;
    await expectAsync(new Promise((resolve, reject) => get(`http://127.0.0.1:${port}/livez`, resolve).once('error', reject))).toBeRejected();
    const settled = () => Object.keys(before).every((kind) => resources()[kind]! <= before[kind]!);
    for (let i = 0; i < 50 && !settled(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const after = resources();
    for (const kind of Object.keys(after)) expect(after[kind]).withContext(kind).toBeLessThanOrEqual(before[kind]!);
  });
});
