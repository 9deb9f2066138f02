import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { type Child, childProcessSuite, serviceLines } from './support/child.js';

const TUTORIAL = 'examples/tutorial.js';
let runNode: (script: string, args?: string[], env?: Record<string, string>) => Child;

function echo(url: string, message: string): Promise<{ reply: string; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no echo from ${url} within 5 s`));
    }, 5_000);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('open', () => socket.send(message));
    socket.once('message', (data) => {
      clearTimeout(timer);
      resolve({ reply: String(data), socket });
    });
  });
}

describe('the tutorial (examples/tutorial.ts, in a child process)', () => {
  runNode = childProcessSuite();

  it('serves HTTP and WebSocket, and stops in reverse order on SIGINT with exit code 0', async () => {
    const child = runNode(TUTORIAL, ['--web-port', '0', '--ws-port=0', '--log-format=pretty']);
    const [, wsPort] = await child.waitFor(/\[\^--Websockets\]: Serving on port (\d+)/);
    const [, webPort] = await child.waitFor(/\[\^--Webserver\]: Serving on port (\d+)/);
    await child.waitFor(/\[\^--UserCache\]: Starting\.\.\./);

    const home = await fetch(`http://127.0.0.1:${webPort}/`, { signal: AbortSignal.timeout(5_000) });
    expect(home.status).toBe(200);
    expect(await home.text()).toBe('Hello from the rxmode tutorial!\n');
    const user = await fetch(`http://127.0.0.1:${webPort}/users/42`, { signal: AbortSignal.timeout(5_000) });
    expect(((await user.json()) as { id: string }).id).toBe('42');
    expect((await fetch(`http://127.0.0.1:${webPort}/nope`, { signal: AbortSignal.timeout(5_000) })).status).toBe(404);

    const { reply, socket } = await echo(`ws://127.0.0.1:${wsPort}/`, 'hello, mode');
    expect(reply).toBe('hello, mode');
    // A client still connected at shutdown does not hold the process open.
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

    child.kill('SIGINT');
    const { code } = await child.exited();
    expect(code).toBe(0);
    await socketClosed;
    // The seed's shutdown log, in its order.
    const stops = serviceLines(child.stdout).filter((line) => /(Stopping\.\.\.|-Stopped!|received\.\.\.)$/.test(line));
    expect(stops).toEqual([
      'Worker: Stopping on signal received...',
      'Worker: Stopping...',
      'AppService: Stopping...',
      'UserCache: Stopping...',
      'UserCache: -Stopped!',
      'Webserver: Stopping...',
      'Webserver: -Stopped!',
      'Websockets: Stopping...',
      'Websockets: -Stopped!',
      'AppService: -Stopped!',
      'Worker: -Stopped!',
    ]);
    expect(serviceLines(child.stdout)).toContain('Webserver: Closing server');
    expect(child.stderr).toBe('-INT- -INT- -INT- -INT- -INT- -INT-\n');
  });

  it('takes its ports from WEB_PORT and WS_PORT', async () => {
    const child = runNode(TUTORIAL, ['--log-format=pretty'], { WEB_PORT: '0', WS_PORT: '0' });
    const [, webPort] = await child.waitFor(/\[\^--Webserver\]: Serving on port (\d+)/);
    const [, wsPort] = await child.waitFor(/\[\^--Websockets\]: Serving on port (\d+)/);
    expect(Number(webPort)).not.toBe(8000);
    expect(Number(wsPort)).not.toBe(8001);
    expect((await fetch(`http://127.0.0.1:${webPort}/`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    child.kill('SIGTERM');
    expect((await child.exited()).code).toBe(0);
  });

  it('a port already in use is an error naming it, and exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const child = runNode(TUTORIAL, ['--web-port', String(port), '--ws-port', '0', '--log-format=pretty']);
      const { code } = await child.exited();
      expect(code).toBe(1);
      expect(child.stdout).toContain(
        `[^Worker]: We experienced a crash! Exiting with code 1: ListenError: Webserver: port ${port} on 127.0.0.1 is already in use`,
      );
      // One line each, no stack trace.
      expect(child.stdout).not.toMatch(/^\s+at /m);
      expect(serviceLines(child.stdout)).toContain('Websockets: Stopping...');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('a WebSocket port already in use is the same one line naming it, and exit code 1, at once', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const child = runNode(TUTORIAL, ['--web-port', '0', '--ws-port', String(port), '--log-format=pretty']);
      // Generous: the exit takes well under a second; a stop left waiting out the
      // stopTimeout (10 s) for an onStart that never settles fails here.
      const { code } = await child.exited(5_000);
      expect(code).toBe(1);
      expect(child.stdout).toContain(
        `[^Worker]: We experienced a crash! Exiting with code 1: ListenError: Websockets: port ${port} on 127.0.0.1 is already in use`,
      );
      // The listen error is the service's own crash, not an uncaught one with a stack.
      expect(child.stdout).not.toContain('Uncaught exception');
      expect(child.stdout).not.toMatch(/^\s+at /m);
      expect(serviceLines(child.stdout)).toContain('Websockets: -Stopped!');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('a bad port is a one-line usage error, exit code 2', async () => {
    const flag = runNode(TUTORIAL, ['--web-port', 'eighty']);
    expect((await flag.exited()).code).toBe(2);
    expect(flag.stderr).toBe("tutorial: --web-port: invalid port: 'eighty' (expected a number 0-65535)\n");
    const env = runNode(TUTORIAL, [], { WS_PORT: '70000' });
    expect((await env.exited()).code).toBe(2);
    expect(env.stderr).toBe("tutorial: WS_PORT: invalid port: '70000' (expected a number 0-65535)\n");
  });

  it('--help lists the tutorial flags with the Worker flags', async () => {
    const child = runNode(TUTORIAL, ['--help']);
    expect((await child.exited()).code).toBe(0);
    expect(child.stdout).toContain('--web-port PORT');
    expect(child.stdout).toContain('--ws-port PORT');
    expect(child.stdout).toContain('--log-level LEVEL');
  });
});
