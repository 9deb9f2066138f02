import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn } from '../../src/node/listen.js';
import { Service, type ServiceOptions } from '../../src/service/service.js';
import type { UserCache } from './user-cache.js';

/** mode's tutorial Webserver, on node:http: `/` says hello, `/users/<id>` asks the UserCache. */
export class Webserver extends Service {
  #server: Server | undefined;

  constructor(
    readonly port: number,
    readonly bind: string,
    private readonly users: UserCache,
    options: ServiceOptions = {},
  ) {
    super(options);
  }

  /** The port listened on (useful with port 0). */
  get boundPort(): number | undefined {
    return (this.#server?.address() as AddressInfo | null | undefined)?.port;
  }

  override async onStart(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    await listenOn(server, this.port, this.bind, 'Webserver');
    this.#server = server;
    this.log.info('Serving on port %d', this.boundPort ?? this.port);
  }

  override async onStop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.log.info('Closing server');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    this.log.info('Waiting for server to close handle');
    await closed;
    this.log.info('Cleanup');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET') return reply(res, 405, 'text/plain', 'only GET\n');
    if (path === '/') return reply(res, 200, 'text/plain', 'Hello from the rxmode tutorial!\n');
    const user = /^\/users\/([\w-]{1,64})$/.exec(path);
    if (user) return reply(res, 200, 'application/json', `${JSON.stringify(this.users.lookup(user[1]!))}\n`);
    reply(res, 404, 'text/plain', 'not found\n');
  }
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
