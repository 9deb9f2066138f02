import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { type REPLServer, start as startRepl } from 'node:repl';
import { Service } from '../service/service.js';
import { label, shortlabel } from '../tree/label.js';
import { listenOn } from './listen.js';
import { describeTree } from './tree-dump.js';

/** What the console shows: the Worker (the tree's root) and the services it was given. */
export interface ConsoleTarget extends Service {
  readonly services: readonly Service[];
}

/**
 * A REPL on 127.0.0.1 (mode's `console_port`, aiomonitor there), one per TCP connection,
 * evaluated in this process: connect with `nc 127.0.0.1 PORT` (or `telnet`). Its context
 * holds `worker`, `root` (the first service given to the Worker), `services`, and
 * helpers that print: `tree()`, `tracebacks(service?)`, `timers(service)`; `find(name)`
 * returns the service with that label or path, and `label` / `shortlabel` are there too.
 * `close()` ends every connection and the server: nothing of it stays open.
 *
 * Anyone who can connect to the port can run any code as this process: it listens on
 * the loopback interface only.
 *
 * @example
 * const console = await DebugConsole.open(worker, 50101);
 * // $ nc 127.0.0.1 50101
 * // rxmode> tree()
 * // rxmode> find('Webserver').state
 * await console.close();
 */
export class DebugConsole {
  private readonly sessions = new Map<Socket, REPLServer>();

  private constructor(
    private readonly server: Server,
    private readonly target: ConsoleTarget,
  ) {}

  /** Listens on 127.0.0.1:`port` (0: any free port); rejects with a ListenError naming it. */
  static async open(target: ConsoleTarget, port: number): Promise<DebugConsole> {
    const server = createServer();
    const opened = new DebugConsole(server, target);
    server.on('connection', (socket) => opened.attach(socket));
    await listenOn(server, port, '127.0.0.1', 'console');
    return opened;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Ends every session and stops listening. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const [socket, repl] of this.sessions) {
      repl.close();
      socket.destroy();
    }
    this.sessions.clear();
    await closed;
  }

  private attach(socket: Socket): void {
    const out = (text: string) => {
      if (!socket.destroyed) socket.write(text.endsWith('\n') ? text : `${text}\n`);
    };
    const worker = this.target;
    out(`rxmode console, ${worker.label} (pid ${process.pid}): worker, root, services; tree(), tracebacks(service?), timers(service), find(name)`);
    const repl = startRepl({
      input: socket,
      output: socket,
      prompt: 'rxmode> ',
      terminal: false,
      useColors: false,
      useGlobal: false,
      ignoreUndefined: true,
    });
    const everyService = () => [...worker.beacon.traverse()].map((node) => node.data).filter((data) => data instanceof Service);
    Object.assign(repl.context, {
      worker,
      root: worker.services[0],
      services: worker.services,
      label,
      shortlabel,
      tree: () => out(describeTree(worker)),
      find: (name: string) => everyService().find((service) => service.label === name || service.beacon.path === name),
      tracebacks: (service?: Service) => {
        const chosen = service ? [service] : everyService();
        const text = chosen
          .map((s) => [s, s.humanTracebacks()] as const)
          .filter(([, stacks]) => stacks.length > 0)
          .map(([s, stacks]) => `${s.label}:\n${stacks}`)
          .join('\n');
        out(text || 'nothing pending');
      },
      timers: (service: Service = worker) => {
        const lines = [...service.timers].map(
          ([name, timer]) =>
            `${name}: every ${timer.interval} ms, ${timer.iteration} runs, drifting ${timer.drifting} (early ${timer.driftingEarly}, late ${timer.driftingLate}), overlaps ${timer.overlaps}, skipped ${timer.skipped}, last run ${timer.lastRuntime} ms`,
        );
        out(lines.join('\n') || `${service.label} has no timers`);
      },
    });
    this.sessions.set(socket, repl);
    const end = () => {
      this.sessions.delete(socket);
      socket.destroy();
    };
    repl.on('exit', end);
    socket.on('close', () => {
      this.sessions.delete(socket);
      repl.close();
    });
    socket.on('error', end);
  }
}
