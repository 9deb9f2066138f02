import { Observable } from 'rxjs';
import { LIVE_EVENT_TYPES } from '../protocol.js';
import type { LiveMessage } from './model.js';

/** What the page needs of `EventSource` (the browser's, or a test's stand-in). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: unknown; lastEventId?: string }) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

/** One thing a connection says: a message, or that it is open. */
export type Signal = { readonly kind: 'open' } | { readonly kind: 'message'; readonly message: LiveMessage };

/**
 * An `EventSource` as an Observable: subscribing opens it, each named event of the live
 * view comes out parsed, and the first `error` (the stream ended, the server went away)
 * errors the Observable and closes the source. Reconnecting is the subscriber's business
 * (see `follow$`), not the browser's: ours waits with a backoff and resumes by id.
 *
 * @example
 * eventSource$('/events', (url) => new EventSource(url)).subscribe((signal) => console.log(signal));
 */
export function eventSource$(url: string, open: EventSourceFactory): Observable<Signal> {
  return new Observable<Signal>((subscriber) => {
    const source = open(url);
    source.addEventListener('open', () => subscriber.next({ kind: 'open' }));
    source.addEventListener('error', () => subscriber.error(new Error(`lost ${url}`)));
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (event) => {
        let data: unknown;
        try {
          data = JSON.parse(String(event.data));
        } catch {
          subscriber.error(new Error(`${url}: ${type} event with data that is not JSON`));
          return;
        }
        subscriber.next({ kind: 'message', message: { type, id: event.lastEventId ?? '', data } as LiveMessage });
      });
    }
    return () => source.close();
  });
}
