import { eventSource$, type EventSourceLike, type Signal } from '../../src/node/live/page/event-source.js';
import { eventsUrl } from '../../src/node/live/page/follow.js';

/** A stand-in for the browser's EventSource that the spec drives by hand. */
class FakeEventSource implements EventSourceLike {
  readonly listeners = new Map<string, ((event: { data?: unknown; lastEventId?: string }) => void)[]>();
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: { data?: unknown; lastEventId?: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
  }
  emit(type: string, event: { data?: unknown; lastEventId?: string } = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

describe('eventSource$ (an EventSource as an Observable)', () => {
  it('opens on subscribe; says when it is open; parses each event of the live view with its id', () => {
    const sources: FakeEventSource[] = [];
    const signals: Signal[] = [];
    const subscription = eventSource$('/events', (url) => {
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    }).subscribe((signal) => signals.push(signal));
    expect(sources.map((s) => s.url)).toEqual(['/events']);
    sources[0]!.emit('open');
    sources[0]!.emit('transition', { data: '{"path":"App","to":"running"}', lastEventId: '41' });
    sources[0]!.emit('blocked', { data: '{"blockedMs":12}', lastEventId: '42' });
    sources[0]!.emit('message', { data: 'not ours' });
    expect(signals).toEqual([
      { kind: 'open' },
      { kind: 'message', message: { type: 'transition', id: '41', data: { path: 'App', to: 'running' } as never } },
      { kind: 'message', message: { type: 'blocked', id: '42', data: { blockedMs: 12 } } },
    ]);
    subscription.unsubscribe();
    expect(sources[0]!.closed).toBeTrue();
  });

  it('errors and closes the source when the connection is lost, or when data is not JSON', () => {
    for (const [type, data, message] of [['error', undefined, 'lost /events'], ['snapshot', '{oops', '/events: snapshot event with data that is not JSON']] as const) {
      let source: FakeEventSource | undefined;
      let error: unknown;
      eventSource$('/events', (url) => (source = new FakeEventSource(url))).subscribe({ error: (e: unknown) => (error = e) });
      source!.emit(type, { data });
      expect((error as Error).message).toBe(message);
      expect(source!.closed).toBeTrue();
    }
  });
});

describe('eventsUrl', () => {
  it('puts the last id in the query, since an EventSource cannot set Last-Event-ID itself', () => {
    expect(eventsUrl('events', undefined)).toBe('events');
    expect(eventsUrl('events', '1796028250804001')).toBe('events?lastEventId=1796028250804001');
    expect(eventsUrl('/events', 'a b')).toBe('/events?lastEventId=a%20b');
  });
});
