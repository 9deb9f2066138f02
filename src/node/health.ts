/// <reference lib="esnext.disposable" preserve="true" />
// This file's types name Disposable or Symbol.(async)dispose: why the reference, see service.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Observable, Subscription } from 'rxjs';
import type { ServiceEvent } from '../service/state.js';
import { toMs, type Duration } from '../time/duration.js';
import type { Beacon } from '../tree/beacon.js';
import { beaconGraph } from '../tree/graph.js';
import type { BlockingReport } from './blocking.js';
import { deepJson } from './live/deep-json.js';
import { LiveFeed } from './live/feed.js';
import { allowedHostSet, hostAllowed } from './live/host-check.js';
import { LiveMetrics } from './live/metrics.js';
import { PathNames } from './live/path-names.js';
import { PAGE_CSP, pageHtml } from './live/page/html.js';
import { listenOn } from './listen.js';

/** What the health server reads of a service (a Service, usually the Worker or the tree's root). */
export interface HealthTarget {
  readonly label: string;
  readonly state: string;
  readonly state$: Observable<string>;
  readonly ready$: Observable<boolean>;
  readonly events$: Observable<ServiceEvent>;
  readonly beacon: Beacon;
}

/** Options of {@link HealthServer}. */
export interface HealthOptions {
  /** TCP port (default 0: any free port; read `port` after `start()`). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`: not reachable from outside unless asked). */
  host?: string;
  /**
   * Host names answered besides `localhost` and the bound address (e.g. a Kubernetes
   * Service's DNS name). Any other `Host` gets 403: a defence against DNS rebinding.
   */
  allowedHosts?: readonly string[];
  /** Events kept for `/events` resumes with `Last-Event-ID` (default 1,000). */
  historySize?: number;
  /** How far (about bytes) an `/events` client may fall behind before it is dropped (default 4 MiB). */
  maxClientBuffer?: number;
  /** How often `/events` sends a comment to keep proxies from closing it (default 15 s). */
  keepAlive?: Duration;
}

type Route = 'page' | 'livez' | 'readyz' | 'status' | 'graphDot' | 'events' | 'metrics';

const ROUTES: Record<string, Route> = {
  '/': 'page',
  '/livez': 'livez',
  '/readyz': 'readyz',
  '/status': 'status',
  '/graph.dot': 'graphDot',
  '/events': 'events',
  '/metrics': 'metrics',
};

/**
 * Kubernetes-style probes and a live view of a service tree, over `node:http`:
 *
 * - `GET /livez`: 200 unless the tree crashed (503 then): restart me.
 * - `GET /readyz`: 200 only while the tree is ready (`ready$`); 503 from the moment a
 *   shutdown begins, so traffic is routed away before anything closes.
 * - `GET /status`: the tree as JSON, each service with its path, state, restarts,
 *   readiness, diag flags, timers and (supervisors) restart budget.
 * - `GET /events`: Server-Sent Events: a `snapshot` (the `/status` JSON), then every
 *   `transition`, `restart`, `tree` change, `blocked` loop and `stats` change, with ids;
 *   `Last-Event-ID` resumes. A client that falls behind is dropped.
 * - `GET /metrics`: Prometheus text format (prom-client, a registry of its own).
 * - `GET /graph.dot`: the tree in Graphviz DOT.
 * - `GET /`: a live page of the tree, following `/events`.
 *
 * `HEAD` is answered like `GET` without a body; other methods get 405; unknown paths
 * 404. A request whose `Host` names neither the bound address nor `localhost` (nor one
 * of `allowedHosts`) gets 403. Nothing it serves changes the program.
 *
 * @example
 * const health = new HealthServer(app, { port: 9000 });
 * await health.start();   // http://127.0.0.1:9000/ shows the tree live
 * // ...
 * await health.close();
 */
export class HealthServer implements AsyncDisposable {
  private server: Server | undefined;
  private subscriptions: Subscription[] = [];
  private ready = false;
  private shuttingDown = false;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly allowedHosts: readonly string[];
  private hosts: ReadonlySet<string> = new Set();
  private readonly feed: LiveFeed;
  private readonly metrics: LiveMetrics;

  constructor(
    private readonly target: HealthTarget,
    options: HealthOptions = {},
  ) {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new RangeError(`invalid health port: ${String(options.port)} (expected an integer 0-65535)`);
    }
    if (options.host !== undefined && (typeof options.host !== 'string' || options.host.length === 0)) {
      throw new TypeError(`invalid health host: ${String(options.host)}`);
    }
    this.requestedPort = port;
    this.host = options.host ?? '127.0.0.1';
    this.allowedHosts = options.allowedHosts ?? [];
    this.hosts = allowedHostSet(this.host, this.allowedHosts); // checks them now
    this.feed = new LiveFeed(target, {
      historySize: options.historySize,
      maxClientBuffer: options.maxClientBuffer,
      keepAliveMs: options.keepAlive === undefined ? undefined : toMs(options.keepAlive),
      health: () => ({ live: this.target.state !== 'crashed', ready: this.ready && !this.shuttingDown }),
    });
    this.metrics = new LiveMetrics(() => this.names());
  }

  /** The port listened on (after `start()`). */
  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.requestedPort;
  }

  /** `http://host:port`, for logs and probes. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  /** How many `/events` clients are connected. */
  get eventClients(): number {
    return this.feed.clients;
  }

  /** Starts listening. Rejects with an error naming the address when it is taken. */
  async start(): Promise<this> {
    if (this.server) return this;
    this.shuttingDown = false;
    this.hosts = allowedHostSet(this.host, this.allowedHosts, localAddresses());
    this.subscriptions.push(this.target.ready$.subscribe((ready) => (this.ready = ready)));
    this.subscriptions.push(
      this.target.state$.subscribe((state) => {
        if (state === 'stopping' || state === 'crashed') this.shuttingDown = true;
      }),
    );
    const server = createServer((req, res) => this.handle(req, res));
    try {
      await listenOn(server, this.requestedPort, this.host, 'health server');
    } catch (error) {
      this.unsubscribe();
      throw error;
    }
    this.server = server;
    return this;
  }

  /**
   * Makes `/readyz` answer 503 from now on, before the tree itself starts stopping (the
   * Worker calls it when a stop signal arrives).
   */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  /**
   * Reports a blocked event loop, as the blocking detector saw it while it lasted: a
   * `blocked` event on `/events` (with the service, task and top frames when known).
   */
  noteBlocked(report: BlockingReport): void {
    this.feed.blocked(report);
  }

  /**
   * Counts a block that is over, its whole length, in the
   * `rxmode_event_loop_blocked_seconds_total` counter.
   */
  noteUnblocked(blockedMs: number): void {
    this.metrics.blocked(blockedMs);
  }

  /** Ends the `/events` streams, stops listening and drops open connections; resolves when closed. */
  async close(): Promise<void> {
    this.unsubscribe();
    this.feed.close();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private unsubscribe(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
  }

  private names(): PathNames {
    return this.feed.following ? this.feed.names! : new PathNames(this.target.beacon);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (!hostAllowed(req.headers.host, this.hosts)) {
      return send(req, res, 403, 'text/plain', `forbidden host: ${String(req.headers.host ?? '(none)')}\n`);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = Object.hasOwn(ROUTES, url.pathname) ? ROUTES[url.pathname] : undefined;
    if (!route) return send(req, res, 404, 'text/plain', `not found: ${url.pathname}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(req, res, 405, 'text/plain', `method not allowed: ${req.method}\n`);
    }
    try {
      switch (route) {
        case 'events':
          if (req.method === 'HEAD') {
            res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
            res.end();
            return;
          }
          return this.feed.connect(req, res, url.searchParams);
        case 'metrics':
          this.metrics.text().then(
            (text) => send(req, res, 200, this.metrics.contentType, text),
            (error: unknown) => send(req, res, 500, 'text/plain', `${messageOf(error)}\n`),
          );
          return;
        default:
          return this[route](req, res);
      }
    } catch (error) {
      send(req, res, 500, 'text/plain', `${messageOf(error)}\n`);
    }
  }

  private livez(req: IncomingMessage, res: ServerResponse): void {
    const crashed = this.target.state === 'crashed';
    send(req, res, crashed ? 503 : 200, 'text/plain', crashed ? 'crashed\n' : 'ok\n');
  }

  private readyz(req: IncomingMessage, res: ServerResponse): void {
    const ready = this.ready && !this.shuttingDown;
    send(req, res, ready ? 200 : 503, 'text/plain', ready ? 'ready\n' : 'not ready\n');
  }

  private status(req: IncomingMessage, res: ServerResponse): void {
    send(req, res, 200, 'application/json', `${deepJson(this.feed.status())}\n`);
  }

  private graphDot(req: IncomingMessage, res: ServerResponse): void {
    send(req, res, 200, 'text/vnd.graphviz; charset=utf-8', beaconGraph(this.target.beacon).toDot());
  }

  private page(req: IncomingMessage, res: ServerResponse): void {
    send(req, res, 200, 'text/html; charset=utf-8', pageHtml(this.target.label), { 'Content-Security-Policy': PAGE_CSP });
  }
}

/**
 * Starts a {@link HealthServer} for `target` and resolves once it listens.
 *
 * @example
 * const health = await startHealthServer(app, { port: 9000 });
 * console.log(`${health.url}/livez`);
 */
export async function startHealthServer(target: HealthTarget, options: HealthOptions = {}): Promise<HealthServer> {
  return new HealthServer(target, options).start();
}

// HEAD gets the same status and headers as GET, Content-Length included, and no body.
function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function localAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) out.push(info.address);
  return out;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
