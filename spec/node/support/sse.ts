import { request, type ClientRequest, type IncomingMessage } from 'node:http';

/** One parsed SSE message (or a comment, with `type: 'comment'`). */
export interface SseMessage {
  readonly id: string | undefined;
  readonly type: string;
  readonly data: string;
}

/**
 * Parses an SSE stream as the spec says (fields `id`, `event`, `data`, `retry`; lines
 * starting with `:` are comments; a blank line ends a message), by hand, so the specs
 * check the bytes the server writes rather than what a lenient client accepts.
 */
export class SseParser {
  #buffer = '';
  #id: string | undefined;
  #type = '';
  #data: string[] = [];
  #hasData = false;
  retry: number | undefined;

  /** Feeds text; returns the messages (and comments) it completed. */
  push(text: string): SseMessage[] {
    const lines = (this.#buffer + text).split(/\r\n|\n|\r(?!$)/);
    this.#buffer = lines.pop()!; // the unfinished last line (a lone \r at the end may be half a \r\n)
    const out: SseMessage[] = [];
    for (const line of lines) {
      if (line === '') {
        if (this.#hasData) out.push({ id: this.#id, type: this.#type || 'message', data: this.#data.join('\n') });
        this.#type = '';
        this.#data = [];
        this.#hasData = false;
        continue;
      }
      if (line.startsWith(':')) {
        out.push({ id: undefined, type: 'comment', data: line.slice(1).trim() });
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') this.#id = value;
      else if (field === 'event') this.#type = value;
      else if (field === 'data') {
        this.#data.push(value);
        this.#hasData = true;
      } else if (field === 'retry') this.retry = Number(value);
      else throw new Error(`unknown SSE field in line ${JSON.stringify(line)}`);
    }
    return out;
  }
}

/** An `/events` connection of a spec: every message so far, and bounded waits for more. */
export interface SseConnection {
  readonly response: IncomingMessage;
  readonly request: ClientRequest;
  readonly messages: SseMessage[];
  /** Events only (no comments). */
  events(): SseMessage[];
  /** Resolves with the first message (from the start) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** Resolves when the server has closed the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens `url` (an /events URL) with the given headers; resolves once the headers came. */
export function openEvents(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Accept: 'text/event-stream', ...headers }, agent: false });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.once('error', reject);
    req.once('response', (response) => {
      req.setTimeout(0);
      const parser = new SseParser();
      const messages: SseMessage[] = [];
      const waiters = new Set<() => void>();
      let ended!: () => void;
      const endedPromise = new Promise<void>((done) => (ended = done));
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        messages.push(...parser.push(text));
        for (const waiter of [...waiters]) waiter();
      });
      response.once('close', () => {
        ended();
        for (const waiter of [...waiters]) waiter();
      });
      let closed = false;
      response.once('close', () => (closed = true));
      resolve({
        response,
        request: req,
        messages,
        events: () => messages.filter((m) => m.type !== 'comment'),
        ended: endedPromise,
        close: () => req.destroy(),
        waitFor(match, timeoutMs = 5_000) {
          return new Promise((found, fail) => {
            const check = () => {
              const message = messages.find(match);
              if (message) return finish(() => found(message));
              if (closed) return finish(() => fail(new Error(`stream ended first; got ${describe(messages)}`)));
            };
            const timer = setTimeout(() => finish(() => fail(new Error(`not seen within ${timeoutMs} ms; got ${describe(messages)}`))), timeoutMs);
            const finish = (then: () => void) => {
              clearTimeout(timer);
              waiters.delete(check);
              then();
            };
            waiters.add(check);
            check();
          });
        },
      });
    });
    req.end();
  });
}

function describe(messages: readonly SseMessage[]): string {
  return messages.map((m) => `${m.type}${m.id ? `#${m.id}` : ''} ${m.data.slice(0, 120)}`).join('\n') || '(nothing)';
}
