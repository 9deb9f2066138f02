import type { ServerResponse } from 'node:http';

// Queued frames are written at the next turn of the event loop, or at once when they
// reach this size.
const CHUNK = 16 * 1024;

/**
 * One `/events` connection. Frames are queued and written together once per turn of the
 * event loop (a burst of transitions is one write, not thousands), and what waits — the
 * queue plus what the socket has not taken yet — is bounded: a client that falls more
 * than `maxBuffered` behind is dropped (its connection destroyed), so a slow or stalled
 * reader never makes the program wait or hold unbounded memory. It reconnects with
 * `Last-Event-ID` and resumes, or gets a fresh snapshot.
 *
 * Sizes are counted in string length, about a byte per character of JSON.
 *
 * @example
 * const client = new SseClient(res, 4 << 20, () => clients.delete(client));
 * client.open(snapshotFrame);
 * client.send(frame);
 */
export class SseClient {
  #pending: string[] = [];
  #pendingSize = 0;
  #flush: NodeJS.Immediate | undefined;
  #allowance: number;
  #closed = false;
  #dropped = false;

  constructor(
    readonly res: ServerResponse,
    readonly maxBuffered: number,
    onClose: (client: SseClient) => void,
  ) {
    this.#allowance = maxBuffered;
    res.once('close', () => {
      this.#closed = true;
      this.#pendingSize = 0;
      if (this.#flush) clearImmediate(this.#flush);
      this.#flush = undefined;
      this.#pending = [];
      onClose(this);
    });
  }

  /** True once it was dropped for falling behind. */
  get dropped(): boolean {
    return this.#dropped;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends the headers and what the client needs first (a snapshot, or the frames it
   * missed). That may be large; it does not count against `maxBuffered` until it is sent.
   */
  open(first: string): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx: pass events through as they come
    });
    this.res.socket?.setNoDelay(true);
    if (!this.res.write(first)) {
      this.#allowance = this.maxBuffered + first.length;
      this.res.once('drain', () => (this.#allowance = this.maxBuffered));
    }
  }

  /** Queues a frame (or a comment) for the next write; drops the client if it is too far behind. */
  send(text: string): void {
    if (this.#closed) return;
    // What the reader has not taken yet, before this frame: one frame of any size is
    // always accepted, so a big one (a large subtree joining) drops nobody by itself.
    if (this.#pendingSize + this.res.writableLength > this.#allowance) {
      this.drop();
      return;
    }
    this.#pending.push(text);
    this.#pendingSize += text.length;
    // A burst within one turn of the loop (a tree of thousands starting) is written as it
    // grows: the kernel takes it while the reader reads, and only what it could not take
    // counts as the reader being behind.
    if (this.#pendingSize >= CHUNK) this.#write();
    else this.#flush ??= setImmediate(() => this.#write());
  }

  /** Ends the connection for falling behind. */
  drop(): void {
    if (this.#closed) return;
    this.#dropped = true;
    this.#closed = true;
    this.#pending = [];
    this.#pendingSize = 0;
    this.res.destroy();
  }

  /** Ends the stream (the server is closing; it destroys what is still open afterwards). */
  end(): void {
    if (this.#closed) return;
    if (this.#flush) clearImmediate(this.#flush);
    this.#flush = undefined;
    this.res.end(this.#pending.join(''));
    this.#pending = [];
  }

  #write(): void {
    if (this.#flush) clearImmediate(this.#flush);
    this.#flush = undefined;
    if (this.#closed || this.#pending.length === 0) return;
    const text = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#pending = [];
    this.#pendingSize = 0;
    this.res.write(text);
  }
}
