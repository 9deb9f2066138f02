import { jsonFrame } from './sse-frame.js';

/**
 * The last events of a stream, kept as ready-to-send SSE frames with increasing ids, so
 * a client that reconnects with `Last-Event-ID` gets what it missed (a ring of
 * `capacity` frames: O(1) per event, bounded memory).
 *
 * The log may stop hearing of changes (nobody watched the tree for a while). Such a gap
 * is marked with {@link restart}: it spends one id, and nothing from before it can be
 * resumed, since what happened during the gap was never logged. {@link since} says
 * `undefined` then, and the client gets a fresh snapshot instead.
 *
 * Ids start at `base`; give each server a different one (the time it started, say) so
 * that an id from a previous process is never taken for one of ours.
 *
 * @example
 * const log = new EventLog(1_000);
 * log.restart();                          // start of a stretch: id 1
 * log.append('transition', '{"to":"running"}');  // id 2
 * log.since(1);   // [the frame with id 2]
 * log.since(0);   // undefined: from before the stretch, send a snapshot
 */
export class EventLog {
  readonly #frames: (string | undefined)[];
  #start = 0; // index of the oldest frame
  #count = 0;
  #lastId: number;
  #stretchStart: number;

  constructor(
    readonly capacity = 1_000,
    base = 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`invalid event log capacity: ${String(capacity)} (expected a whole number >= 1)`);
    }
    if (!Number.isSafeInteger(base) || base < 0) {
      throw new RangeError(`invalid event log base: ${String(base)} (expected a whole number >= 0)`);
    }
    this.#frames = new Array<string | undefined>(capacity);
    this.#lastId = base;
    this.#stretchStart = base;
  }

  /** The id of the last event (or of the last gap): a snapshot taken now carries it. */
  get lastId(): number {
    return this.#lastId;
  }

  /** How many frames are kept. */
  get size(): number {
    return this.#count;
  }

  /** Logs one event whose data is JSON text; returns its frame (to send to the clients connected now). */
  append(type: string, json: string): string {
    const id = ++this.#lastId;
    const frame = jsonFrame(id, type, json);
    const capacity = this.capacity;
    if (this.#count < capacity) {
      this.#frames[(this.#start + this.#count) % capacity] = frame;
      this.#count += 1;
    } else {
      this.#frames[this.#start] = frame;
      this.#start = (this.#start + 1) % capacity;
    }
    return frame;
  }

  /**
   * The frames after `lastEventId`, oldest first, or undefined when they cannot all be
   * given: it is older than the ring, from before a gap, or not one of ours.
   */
  since(lastEventId: number): string[] | undefined {
    if (!Number.isInteger(lastEventId)) return undefined;
    const oldest = this.#lastId - this.#count + 1;
    if (lastEventId < this.#stretchStart || lastEventId < oldest - 1 || lastEventId > this.#lastId) return undefined;
    const out: string[] = [];
    for (let i = lastEventId - oldest + 1; i < this.#count; i++) {
      out.push(this.#frames[(this.#start + i) % this.capacity]!);
    }
    return out;
  }

  /** Marks a gap: forgets every frame; nothing from before can be resumed. */
  restart(): void {
    this.#frames.fill(undefined);
    this.#start = 0;
    this.#count = 0;
    this.#stretchStart = ++this.#lastId;
  }
}
