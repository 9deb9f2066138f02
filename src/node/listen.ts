import type { Server } from 'node:net';

/**
 * Listens on `host:port`, resolving once bound. A taken port or a refused address becomes
 * an error whose message names it (`what` says whose port it is), with no stack frames:
 * it is a one-line, user-facing error, not a bug.
 *
 * @example
 * await listenOn(httpServer, 8000, '127.0.0.1', 'web server');
 * // Error: web server: port 8000 on 127.0.0.1 is already in use
 */
export function listenOn(server: Server, port: number, host: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, port, host, what));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    // First in line, not last: a listener added earlier may throw out of the emit (ws's
    // WebSocketServer attached to this server re-emits its 'error', which throws when the
    // WebSocketServer has no 'error' listener), and the listeners after it never run. This
    // promise must still settle, or the onStart awaiting it holds a stop for its whole
    // stopTimeout.
    server.prependOnceListener('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The error a failed listen becomes (see {@link listenOn}). */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly port: number,
    readonly host: string,
  ) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string, what: string): ListenError {
  const where = `port ${port} on ${host}`;
  let message: string;
  if (error.code === 'EADDRINUSE') message = `${what}: ${where} is already in use`;
  else if (error.code === 'EACCES') message = `${what}: no permission to listen on ${where}`;
  else if (error.code === 'EADDRNOTAVAIL') message = `${what}: address ${host} is not available (${where})`;
  else message = `${what}: cannot listen on ${where}: ${error.message}`;
  return new ListenError(message, error.code, port, host);
}
