import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Observable, Subscription } from 'rxjs';
import { beaconGraph, type BeaconLike, type TreeNode } from '../tree/graph.js';
import { listenOn } from './listen.js';

/** What the health server reads of a service (a Service, usually the Worker or the tree's root). */
export interface HealthTarget {
  readonly label: string;
  readonly state: string;
  readonly state$: Observable<string>;
  readonly ready$: Observable<boolean>;
  readonly beacon: BeaconLike;
}

/** Options of {@link HealthServer}. */
export interface HealthOptions {
  /** TCP port (default 0: any free port; read `port` after `start()`). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`: not reachable from outside unless asked). */
  host?: string;
}

/**
 * Kubernetes-style probes for a service tree, over `node:http`:
 *
 * - `GET /livez`: 200 unless the tree crashed (503 then): restart me.
 * - `GET /readyz`: 200 only while the tree is ready (`ready$`); 503 from the moment a
 *   shutdown begins, so traffic is routed away before anything closes.
 * - `GET /status`: the tree as JSON (label, state, restart count, diag flags of each service).
 * - `GET /graph.dot`: the tree in Graphviz DOT.
 * - `GET /`: a small HTML page of the tree.
 *
 * Anything else is 404; a method other than GET is 405.
 *
 * @example
 * const health = new HealthServer(app, { port: 9000 });
 * await health.start();   // http://127.0.0.1:9000/readyz
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

  /** Starts listening. Rejects with an error naming the address when it is taken. */
  async start(): Promise<this> {
    if (this.server) return this;
    this.shuttingDown = false;
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

  /** Stops listening and drops open connections; resolves when the server is closed. */
  async close(): Promise<void> {
    this.unsubscribe();
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

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = Object.hasOwn(ROUTES, path ?? '') ? ROUTES[path!] : undefined;
    if (!route) return send(res, 404, 'text/plain', `not found: ${path}\n`);
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return send(res, 405, 'text/plain', `method not allowed: ${req.method}\n`);
    }
    try {
      this[route](res);
    } catch (error) {
      send(res, 500, 'text/plain', `${error instanceof Error ? error.message : String(error)}\n`);
    }
  }

  private livez(res: ServerResponse): void {
    const crashed = this.target.state === 'crashed';
    send(res, crashed ? 503 : 200, 'text/plain', crashed ? 'crashed\n' : 'ok\n');
  }

  private readyz(res: ServerResponse): void {
    const ready = this.ready && !this.shuttingDown;
    send(res, ready ? 200 : 503, 'text/plain', ready ? 'ready\n' : 'not ready\n');
  }

  private status(res: ServerResponse): void {
    const body = {
      label: this.target.label,
      state: this.target.state,
      live: this.target.state !== 'crashed',
      ready: this.ready && !this.shuttingDown,
      tree: beaconGraph(this.target.beacon).tree,
    };
    send(res, 200, 'application/json', `${JSON.stringify(body, null, 2)}\n`);
  }

  private graphDot(res: ServerResponse): void {
    send(res, 200, 'text/vnd.graphviz; charset=utf-8', beaconGraph(this.target.beacon).toDot());
  }

  private page(res: ServerResponse): void {
    const tree = beaconGraph(this.target.beacon).tree;
    const html =
      '<!doctype html>\n<html><head><meta charset="utf-8"><title>' +
      escapeHtml(this.target.label) +
      '</title>\n<style>body{font-family:sans-serif}li{margin:.2em 0}.crashed{color:#c00}.running{color:#070}' +
      '.stopping{color:#a60}</style></head><body>\n<h1>' +
      escapeHtml(this.target.label) +
      '</h1>\n<ul>' +
      treeHtml(tree) +
      '</ul>\n<p><a href="/status">/status</a> · <a href="/graph.dot">/graph.dot</a> · ' +
      '<a href="/livez">/livez</a> · <a href="/readyz">/readyz</a></p>\n</body></html>\n';
    send(res, 200, 'text/html; charset=utf-8', html);
  }
}

const ROUTES: Record<string, 'page' | 'livez' | 'readyz' | 'status' | 'graphDot'> = {
  '/': 'page',
  '/livez': 'livez',
  '/readyz': 'readyz',
  '/status': 'status',
  '/graph.dot': 'graphDot',
};

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

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function treeHtml(node: TreeNode): string {
  const state = node.state ?? '';
  const details = [state, node.restartCount ? `restarts: ${node.restartCount}` : '', ...(node.flags ?? [])].filter(Boolean);
  const children = node.children.length > 0 ? `<ul>${node.children.map(treeHtml).join('')}</ul>` : '';
  return `<li><b>${escapeHtml(node.label)}</b> <span class="${escapeHtml(state)}">${escapeHtml(details.join(' · '))}</span>${children}</li>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
