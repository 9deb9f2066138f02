import { createServer, type AddressInfo, type Server } from 'node:net';
import { ListenError, listenOn } from '../../src/node/listen.js';

/** A server holding a port on 127.0.0.1, so listening there fails with EADDRINUSE. */
async function busyPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  return { port, release: () => new Promise<void>((resolve) => blocker.close(() => resolve())) };
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('listenOn', () => {
  it('resolves once bound, leaving no listener of its own behind', async () => {
    const server = createServer();
    await listenOn(server, 0, '127.0.0.1', 'test server');
    expect(server.listening).toBe(true);
    expect(server.listenerCount('error')).toBe(0);
    expect(server.listenerCount('listening')).toBe(0);
    await close(server);
  });

  it('turns a taken port into a one-line ListenError naming it', async () => {
    const { port, release } = await busyPort();
    try {
      const server = createServer();
      const error = await listenOn(server, port, '127.0.0.1', 'test server').then(
        () => fail('listened on a taken port'),
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ListenError);
      expect(String(error)).toBe(`ListenError: test server: port ${port} on 127.0.0.1 is already in use`);
      expect((error as ListenError).stack).toBe(String(error));
      expect((error as ListenError).code).toBe('EADDRINUSE');
      expect(server.listenerCount('listening')).toBe(0);
    } finally {
      await release();
    }
  });

  // As with ws's WebSocketServer({ server }) and no 'error' listener on it: its re-emit,
  // added before listenOn's listener, throws out of the server's emit.
  it('still rejects when an "error" listener added before it throws', async () => {
    const { port, release } = await busyPort();
    try {
      await jasmine.spyOnGlobalErrorsAsync(async (globalErrorSpy) => {
        const server = createServer();
        server.on('error', (error) => {
          throw error;
        });
        const settled = listenOn(server, port, '127.0.0.1', 'test server').then(
          () => 'listened',
          (reason: unknown) => String(reason),
        );
        // Bounded (generously: it settles within a tick or two), so a failure here fails
        // with this message and leaves Jasmine's global error handling restored.
        let timer: NodeJS.Timeout | undefined;
        const unsettled = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('never settled'), 2_000)));
        const outcome = await Promise.race([settled, unsettled]);
        clearTimeout(timer);
        expect(outcome).toBe(`ListenError: test server: port ${port} on 127.0.0.1 is already in use`);
        // The throw itself stays the uncaught exception it is.
        expect(globalErrorSpy).toHaveBeenCalledWith(jasmine.objectContaining({ code: 'EADDRINUSE' }));
      });
    } finally {
      await release();
    }
  });
});
