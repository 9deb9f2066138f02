import fc from 'fast-check';
import { EventLog } from '../../src/node/live/event-log.js';
import { jsonFrame, sseComment } from '../../src/node/live/sse-frame.js';

describe('jsonFrame / sseComment (the SSE wire format)', () => {
  it('writes id, event and the JSON data on one line, and ends with a blank line', () => {
    expect(jsonFrame(7, 'transition', JSON.stringify({ to: 'running', reason: 'two\nlines' }))).toBe(
      'id: 7\nevent: transition\ndata: {"to":"running","reason":"two\\nlines"}\n\n',
    );
  });

  it('writes a comment on one line', () => {
    expect(sseComment('keep\nalive')).toBe(': keep alive\n\n');
  });
});

describe('EventLog (ids and the ring of the last events, for Last-Event-ID)', () => {
  it('gives increasing ids from its base, and the frames after an id', () => {
    const log = new EventLog(10, 100);
    expect(log.lastId).toBe(100);
    log.restart();
    expect(log.lastId).toBe(101);
    const a = log.append('transition', '"a"');
    const b = log.append('transition', '"b"');
    expect(a).toBe(jsonFrame(102, 'transition', '"a"'));
    expect(b).toBe(jsonFrame(103, 'transition', '"b"'));
    expect(log.since(101)).toEqual([a, b]);
    expect(log.since(102)).toEqual([b]);
    expect(log.since(103)).toEqual([]);
  });

  it('keeps the last `capacity` events: an id older than that gets undefined (a snapshot instead)', () => {
    const log = new EventLog(3);
    log.restart();
    const frames = ['1', '2', '3', '4', '5'].map((x) => log.append('e', x));
    expect(log.size).toBe(3);
    expect(log.since(3)).toEqual(frames.slice(2)); // id 3 was the 2nd event; 3 frames after it are kept
    expect(log.since(2)).toBeUndefined();
    expect(log.since(6)).toEqual([]);
  });

  it('refuses ids from the future, from before a gap, and anything not a whole number', () => {
    const log = new EventLog(5);
    log.restart();
    log.append('e', '1');
    const before = log.lastId;
    log.restart(); // nobody watched for a while: what happened then was never logged
    const after = log.append('e', '2');
    expect(log.since(before)).toBeUndefined();
    expect(log.since(log.lastId - 1)).toEqual([after]);
    expect(log.since(log.lastId + 1)).toBeUndefined();
    expect(log.since(1.5)).toBeUndefined();
    expect(log.since(Number.NaN)).toBeUndefined();
  });

  it('refuses a bad capacity or base, naming it', () => {
    expect(() => new EventLog(0)).toThrowError(RangeError, /capacity: 0/);
    expect(() => new EventLog(2.5)).toThrowError(RangeError, /capacity: 2\.5/);
    expect(() => new EventLog(5, -1)).toThrowError(RangeError, /base: -1/);
  });

  it('property: since(id) is exactly the events after id, when all of them are kept and none was missed', () => {
    const step = fc.oneof(fc.constant('append' as const), fc.constant('restart' as const));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 40 }), fc.integer({ min: -2, max: 45 }), (capacity, steps, ask) => {
        const log = new EventLog(capacity);
        // The model: every id ever given, with its frame, and where the current stretch began.
        const all: { id: number; frame: string | undefined }[] = [];
        let stretch = 0;
        for (const s of steps) {
          if (s === 'restart') {
            log.restart();
            stretch = log.lastId;
            all.push({ id: log.lastId, frame: undefined });
          } else {
            const frame = log.append('e', String(all.length));
            all.push({ id: log.lastId, frame });
          }
        }
        const kept = all.filter((x) => x.frame !== undefined && x.id > stretch).slice(-capacity);
        const oldest = kept[0]?.id ?? log.lastId + 1;
        const resumable = ask >= stretch && ask <= log.lastId && ask >= oldest - 1;
        const got = log.since(ask);
        if (!resumable) expect(got).toBeUndefined();
        else expect(got).toEqual(kept.filter((x) => x.id > ask).map((x) => x.frame!));
      }),
      { numRuns: 500 },
    );
  });
});
