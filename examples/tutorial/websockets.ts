import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { listenOn } from '../../src/node/listen.js';
import { Service, type ServiceOptions } from '../../src/service/service.js';

/** mode's tutorial Websockets service, on the `ws` package: echoes every message back. */
export class Websockets extends Service {
  #http: Server | undefined;
  #wss: WebSocketServer | undefined;

  constructor(
    readonly port: number,
    readonly bind: string,
    options: ServiceOptions = {},
  ) {
    super(options);
  }

  get boundPort(): number | undefined {
    return (this.#http?.address() as AddressInfo | null | undefined)?.port;
  }

  override async onStart(): Promise<void> {
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain' });
      res.end('this port speaks WebSocket\n');
    });
    await listenOn(http, this.port, this.bind, 'Websockets');
    // Attached once the port is bound, not before: a WebSocketServer re-emits its http
    // server's 'error' as its own, ahead of listenOn's listener, and an 'error' nobody
    // listens for throws. A taken port would be an uncaught exception, and listenOn's
    // promise (so this onStart) would never settle, instead of a ListenError naming it.
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (socket) => {
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    });
    this.#http = http;
    this.#wss = wss;
    this.log.info('Serving on port %d', this.boundPort ?? this.port);
  }

  override async onStop(): Promise<void> {
    const http = this.#http;
    const wss = this.#wss;
    this.#http = undefined;
    this.#wss = undefined;
    if (!http || !wss) return;
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    const closed = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    await closed;
  }
}
