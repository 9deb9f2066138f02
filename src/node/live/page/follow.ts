import { asyncScheduler, concat, defer, of, tap, type Observable, type SchedulerLike } from 'rxjs';
import type { Backoff } from '../../../supervisors/backoff.js';
import { supervise } from '../../../supervisors/supervise.js';
import type { Signal } from './event-source.js';

/** What {@link follow$} emits: signals of the connection, and `connecting` before each attempt. */
export type FollowSignal = Signal | { readonly kind: 'connecting'; readonly attempt: number };

/** Options of {@link follow$}. */
export interface FollowOptions {
  /** Opens one connection, resuming after `lastEventId` when given. */
  connect: (lastEventId: string | undefined) => Observable<Signal>;
  /** Waits between attempts (default 250 ms doubling to 10 s, jittered, reset after 10 s up). */
  backoff?: Backoff;
  scheduler?: SchedulerLike;
}

/** The page's reconnect: 250 ms, doubling to 10 s, each wait shortened by up to half. */
export const PAGE_BACKOFF: Backoff = { initial: 250, max: 10_000, jitter: 0.5 };

/**
 * Follows the live stream for as long as it is subscribed: when a connection is lost it
 * opens another, supervised by rxmode's own `supervise()` with a backoff, and asks to
 * resume after the last id it saw (the server sends what was missed, or a snapshot).
 * The budget is unlimited: a page left open waits for its server however long it is
 * away, at most `backoff.max` between attempts.
 *
 * @example
 * follow$({ connect: (id) => eventSource$(eventsUrl(id), (url) => new EventSource(url)) })
 *   .subscribe((signal) => signal.kind === 'message' && model.apply(signal.message, Date.now()));
 */
export function follow$(options: FollowOptions): Observable<FollowSignal> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return defer(() => {
    let lastEventId: string | undefined;
    let attempt = 0;
    const once = defer(() =>
      concat(
        of<FollowSignal>({ kind: 'connecting', attempt: ++attempt }),
        options.connect(lastEventId).pipe(
          tap((signal) => {
            if (signal.kind === 'message' && signal.message.id !== '') lastEventId = signal.message.id;
          }),
        ),
      ),
    );
    return once.pipe(supervise({ maxRestarts: Infinity, over: 1, backoff: options.backoff ?? PAGE_BACKOFF, scheduler }));
  });
}

/**
 * The `/events` URL of a (re)connection: `lastEventId` goes in the query, since an
 * `EventSource` cannot set the `Last-Event-ID` header itself.
 *
 * @example
 * eventsUrl('/events', '42'); // '/events?lastEventId=42'
 */
export function eventsUrl(base: string, lastEventId: string | undefined): string {
  return lastEventId === undefined ? base : `${base}?lastEventId=${encodeURIComponent(lastEventId)}`;
}
