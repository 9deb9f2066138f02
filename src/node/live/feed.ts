import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import { getLogger } from '../../logging/logger.js';
import { describeReason } from '../../service/log.js';
import type { ServiceEvent } from '../../service/state.js';
import { restartNotes$, type RestartNote } from '../../supervisors/restart-notes.js';
import type { Beacon } from '../../tree/beacon.js';
import { beaconChanges$, type BeaconChange } from '../../tree/changes.js';
import { labelOf } from '../../tree/graph.js';
import type { BlockingReport } from '../blocking.js';
import { deepJson } from './deep-json.js';
import { EventLog } from './event-log.js';
import { PathNames } from './path-names.js';
import type { LiveEvents, LiveStatus, ServiceStats } from './protocol.js';
import { budgetOf, liveNode, readyOf, timersOf } from './snapshot.js';
import { SseClient } from './sse-client.js';
import { jsonFrame, sseComment } from './sse-frame.js';

/** What the feed watches: the root of the tree (the Worker, usually). */
export interface FeedTarget {
  readonly label: string;
  readonly state: string;
  readonly beacon: Beacon;
  readonly events$: Observable<ServiceEvent>;
}

/** Options of {@link LiveFeed}. */
export interface LiveFeedOptions {
  /** Events kept for `Last-Event-ID` resumes (default 1,000). */
  historySize?: number;
  /** How far behind (about bytes) a client may fall before it is dropped (default 4 MiB). */
  maxClientBuffer?: number;
  /** How long the tree stays followed after the last client left, so it can resume (default 30 s). */
  lingerMs?: number;
  /** A comment this often keeps proxies from closing an idle stream (default 15 s). */
  keepAliveMs?: number;
  /** How often readiness, timers' counters and budgets are looked at for `stats` (default 1 s). */
  statsMs?: number;
  /** What `/status` says of the whole tree besides the nodes. */
  health: () => { live: boolean; ready: boolean };
}

// A readiness change follows a transition (onStarted finishes after `running`); services
// that just moved are looked at again this soon, well within the page's 100 ms.
const SOON_MS = 30;

interface Seen {
  ready?: boolean;
  timers?: string;
  budget?: string;
}

/**
 * The `/events` stream of one tree: a snapshot, then every transition, restart, tree
 * change, blocked loop and stats change, in order, with ids, kept in an {@link EventLog}
 * for resumes and sent to each connected {@link SseClient}.
 *
 * It follows the tree only while someone listens: the first client makes it subscribe
 * (the root's `events$`, beacon changes, supervisors' notes) and name the tree; once the
 * last has gone it stays `lingerMs` for a reconnect, then lets go (the log marks a gap).
 * With no client nothing of it runs: services, beacons and supervisors check one
 * `observed` flag and move on.
 *
 * @example
 * const feed = new LiveFeed(worker, { health: () => ({ live: true, ready: true }) });
 * feed.connect(req, res, new URL(req.url!, 'http://localhost').searchParams); // for GET /events
 * feed.close();
 */
export class LiveFeed {
  readonly log: EventLog;
  readonly #clients = new Set<SseClient>();
  readonly #options: Required<Omit<LiveFeedOptions, 'health'>> & Pick<LiveFeedOptions, 'health'>;
  #names: PathNames | undefined;
  #subscription: Subscription | undefined;
  #seen = new Map<Beacon, Seen>();
  #moved = new Set<Beacon>();
  #linger: NodeJS.Timeout | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #stats: NodeJS.Timeout | undefined;
  #soon: NodeJS.Timeout | undefined;
  #failed = false;

  constructor(
    readonly target: FeedTarget,
    options: LiveFeedOptions,
  ) {
    const defaults = { historySize: 1_000, maxClientBuffer: 4 << 20, lingerMs: 30_000, keepAliveMs: 15_000, statsMs: 1_000 };
    this.#options = { ...defaults, health: options.health };
    for (const key of Object.keys(defaults) as (keyof typeof defaults)[]) {
      const value = options[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
        throw new TypeError(`invalid ${key}: ${String(value)} (expected a number > 0)`);
      }
      this.#options[key] = value;
    }
    // Ids from the clock, in microseconds: a later process starts above any id an earlier
    // one gave out, so a client coming back after a restart is never "resumed" by mistake.
    this.log = new EventLog(this.#options.historySize, Date.now() * 1_000);
  }

  /** How many clients are connected. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Whether the tree is followed now (a client is connected, or left less than `lingerMs` ago). */
  get following(): boolean {
    return this.#names !== undefined;
  }

  /** The names in use while following (undefined otherwise). */
  get names(): PathNames | undefined {
    return this.#names;
  }

  /** The `/status` document: the tree with each service's path (the same names `/events` uses). */
  status(): LiveStatus {
    const names = this.#names ?? new PathNames(this.target.beacon);
    return this.#status(names);
  }

  /**
   * Serves one `GET /events`: the frames missed since `Last-Event-ID` (header, or the
   * `lastEventId` query parameter for clients that cannot set headers) if the log still
   * has them all, else a snapshot; then every event as it happens.
   */
  connect(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    this.#follow();
    const client = new SseClient(res, this.#options.maxClientBuffer, (gone) => this.#disconnected(gone));
    const lastId = lastEventId(req, query);
    const missed = lastId === undefined ? undefined : this.log.since(lastId);
    const first =
      missed !== undefined
        ? missed.join('')
        : jsonFrame(this.log.lastId, 'snapshot', deepJson(this.#status(this.#names!)));
    this.#clients.add(client);
    client.open(`retry: 1000\n\n${first}`);
    this.#keepAlive ??= unref(setInterval(() => this.#broadcast(sseComment('keep-alive')), this.#options.keepAliveMs));
  }

  /** Reports a blocked event loop (the Worker hands on its blocking detector's reports). */
  blocked(report: BlockingReport): void {
    if (!this.#names) return;
    const event: LiveEvents['blocked'] = { blockedMs: report.blockedMs };
    if (report.path !== undefined) event.path = report.path;
    else if (report.service !== undefined) {
      for (const beacon of this.#names.beacons()) {
        if (labelOf(beacon.data) === report.service) {
          event.path = this.#names.pathOf(beacon);
          break;
        }
      }
    }
    if (report.task !== undefined) event.task = report.task;
    if (report.frames !== undefined) event.frames = report.frames.map((f) => `${f.functionName || '<anonymous>'} (${f.file}:${f.line})`);
    this.#emit('blocked', event);
  }

  /** Ends every stream and stops following; nothing of the feed is left running. */
  close(): void {
    const clients = [...this.#clients];
    this.#clients.clear(); // so their 'close' events start no linger
    for (const client of clients) client.end();
    this.#unfollow();
  }

  #status(names: PathNames): LiveStatus {
    const { live, ready } = this.#options.health();
    return { label: this.target.label, state: this.target.state, live, ready, tree: liveNode(this.target.beacon, names) };
  }

  #follow(): void {
    if (this.#linger) clearTimeout(this.#linger);
    this.#linger = undefined;
    if (this.#names) return;
    const names = (this.#names = new PathNames(this.target.beacon));
    this.log.restart();
    this.#seen.clear();
    for (const beacon of names.beacons()) this.#look(beacon, names);
    const subscription = (this.#subscription = this.target.events$.subscribe(this.#guard((event) => this.#transition(event))));
    subscription.add(beaconChanges$.subscribe(this.#guard((change) => this.#treeChange(change))));
    subscription.add(restartNotes$.subscribe(this.#guard((note) => this.#restart(note))));
    this.#stats = unref(setInterval(this.#guard(() => this.#lookAll()), this.#options.statsMs));
  }

  // Watching must never hurt the program: an error here would otherwise be thrown from
  // inside a service's transition (or a timer) as an uncaught exception. It is logged once.
  #guard<T>(handle: (value: T) => void): (value: T) => void {
    return (value) => {
      try {
        handle(value);
      } catch (error) {
        if (this.#failed) return;
        this.#failed = true;
        getLogger('rxmode.live').warn({ err: error }, 'The live view missed a change: %s', describeReason(error));
      }
    };
  }

  #unfollow(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#names = undefined;
    this.#seen.clear();
    this.#moved.clear();
    for (const timer of [this.#linger, this.#soon, this.#stats, this.#keepAlive]) clearTimeout(timer);
    this.#linger = this.#soon = this.#stats = this.#keepAlive = undefined;
  }

  #disconnected(client: SseClient): void {
    if (!this.#clients.delete(client) || this.#clients.size > 0) return;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    this.#linger = unref(setTimeout(() => this.#unfollow(), this.#options.lingerMs));
  }

  #emit<K extends keyof LiveEvents>(type: K, data: LiveEvents[K]): void {
    this.#emitJson(type, JSON.stringify(data));
  }

  #emitJson(type: keyof LiveEvents, json: string): void {
    const frame = this.log.append(type, json);
    for (const client of this.#clients) client.send(frame);
  }

  #broadcast(text: string): void {
    for (const client of this.#clients) client.send(text);
  }

  #transition(event: ServiceEvent): void {
    const beacon = (event.service as { beacon?: Beacon }).beacon;
    const head = beacon && this.#names!.jsonHead(beacon);
    if (head === undefined) return;
    // The JSON of a TransitionEvent, written out: a tree of thousands starting makes as
    // many of these in one go, and the path and label are escaped once per service.
    const reason = event.reason === undefined ? '' : `,"reason":${JSON.stringify(describeReason(event.reason))}`;
    this.#emitJson('transition', `${head},"from":"${event.from}","to":"${event.to}","at":${event.at}${reason}}`);
    if (event.to === 'running') {
      // It turns ready a little later (onStarted): look again soon.
      this.#moved.add(beacon!);
      this.#soon ??= unref(setTimeout(this.#guard(() => this.#lookMoved()), SOON_MS));
    } else {
      // Clients take any state but running as not ready; so does what the stream said.
      const seen = this.#seen.get(beacon!);
      if (seen) seen.ready = false;
    }
  }

  #treeChange({ beacon, parent, change }: BeaconChange): void {
    const names = this.#names!;
    if (change === 'added') {
      const path = names.add(beacon as Beacon);
      if (path === undefined) return;
      const node = liveNode(beacon as Beacon, names);
      const event: LiveEvents['tree'] = { path, change, parent: names.pathOf(parent as Beacon), node };
      // deepJson: the subtree that joined can be a chain deeper than JSON.stringify follows.
      this.#emitJson('tree', deepJson(event));
      for (const added of (beacon as Beacon).traverse()) this.#look(added, names);
    } else {
      const path = names.remove(beacon as Beacon, parent as Beacon);
      if (path === undefined) return;
      for (const removed of (beacon as Beacon).traverse()) this.#seen.delete(removed);
      this.#emit('tree', { path, change });
    }
  }

  #restart({ service, record }: RestartNote): void {
    const names = this.#names!;
    const path = names.pathOf(service.beacon);
    if (path === undefined) return;
    const supervisor = service.supervisor as { beacon?: Beacon; label?: string } | null;
    const data: LiveEvents['restart'] = {
      path,
      supervisor: (supervisor?.beacon && names.pathOf(supervisor.beacon)) ?? String(supervisor?.label ?? ''),
      action: record.action,
    };
    if (record.crashed) data.reason = describeReason(record.reason);
    const budget = budgetOf(supervisor);
    if (budget) data.budget = budget;
    this.#emit('restart', data);
  }

  #lookMoved(): void {
    this.#soon = undefined;
    const names = this.#names;
    if (!names) return;
    const changed: ServiceStats[] = [];
    for (const beacon of this.#moved) this.#look(beacon, names, changed);
    this.#moved.clear();
    if (changed.length > 0) this.#emit('stats', { services: changed });
  }

  #lookAll(): void {
    const names = this.#names;
    if (!names) return;
    const changed: ServiceStats[] = [];
    for (const beacon of names.beacons()) this.#look(beacon, names, changed);
    if (changed.length > 0) this.#emit('stats', { services: changed });
  }

  // Adds to `changed` what differs from what the stream last said of `beacon` (without
  // `changed`, only records it: the snapshot that clients get already holds it).
  #look(beacon: Beacon, names: PathNames, changed?: ServiceStats[]): void {
    const path = names.pathOf(beacon);
    if (path === undefined) return;
    const ready = readyOf(beacon);
    const timers = timersOf(beacon);
    const budget = budgetOf(beacon.data);
    // A timer counts as changed when it drifted or overlapped again; its iteration and its
    // last drift move at every tick, and would make every timer news every second.
    const timersKey = timers?.map((t) => `${t.name}:${t.drifting}:${t.overlaps}`).join();
    const budgetKey = budget && `${budget.used}/${budget.maxRestarts}/${budget.overMs}`;
    let seen = this.#seen.get(beacon);
    if (!seen) this.#seen.set(beacon, (seen = {}));
    const stats: ServiceStats = { path };
    let differs = false;
    if (ready !== seen.ready) {
      seen.ready = ready;
      stats.ready = ready;
      differs = ready !== undefined;
    }
    if (timersKey !== seen.timers) {
      seen.timers = timersKey;
      stats.timers = timers;
      differs ||= timers !== undefined;
    }
    if (budgetKey !== seen.budget) {
      seen.budget = budgetKey;
      stats.budget = budget;
      differs ||= budget !== undefined;
    }
    if (differs) changed?.push(stats);
  }
}

function lastEventId(req: IncomingMessage, query: URLSearchParams): number | undefined {
  const header = req.headers['last-event-id'];
  const text = (Array.isArray(header) ? header[0] : header) ?? query.get('lastEventId') ?? undefined;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

function unref<T extends NodeJS.Timeout>(timer: T): T {
  timer.unref();
  return timer;
}
