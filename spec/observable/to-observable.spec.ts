import fc from 'fast-check';
import { Observable, config, from, observable as interopSymbol, take, type ObservableInput } from 'rxjs';
import { toObservable } from '../../src/observable/to-observable.js';

// toObservable stands in for rxjs's `from` (kept out of rxjs's innerFrom for bundle
// size): for every kind of input it must give what `from` gives.

type Note = ['next', unknown] | ['error', unknown] | ['complete'];

/** Every notification of `source` (or of its first `count` values) until it ends. */
function collect(source: Observable<unknown>, count?: number): Promise<Note[]> {
  const notes: Note[] = [];
  const followed = count === undefined ? source : source.pipe(take(count));
  return new Promise((resolve) => {
    followed.subscribe({
      next: (value) => notes.push(['next', value]),
      error: (error: unknown) => {
        notes.push(['error', error]);
        resolve(notes);
      },
      complete: () => {
        notes.push(['complete']);
        resolve(notes);
      },
    });
  });
}

/** Makes the same input twice (an iterator or a stream is used up by one follower). */
async function bothAgree(make: () => ObservableInput<unknown>, count?: number): Promise<Note[]> {
  const ours = await collect(toObservable(make()), count);
  const theirs = await collect(from(make()), count);
  expect(ours).toEqual(theirs);
  return ours;
}

describe('toObservable', () => {
  it('gives what from() gives for arrays, strings and iterables, whole or cut short', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { maxLength: 8 }), fc.option(fc.nat(9), { nil: undefined }), async (items, count) => {
        await bothAgree(() => items, count);
        await bothAgree(() => items.join(','), count);
        await bothAgree(() => new Set(items), count);
        // As many values drawn from a generator as from() draws: none past a take().
        const pulled = { ours: 0, theirs: 0 };
        const counting = (who: 'ours' | 'theirs') =>
          function* () {
            for (const item of items) {
              pulled[who]++;
              yield item;
            }
          };
        expect(await collect(toObservable(counting('ours')()), count)).toEqual(await collect(from(counting('theirs')()), count));
        expect(pulled.ours).toBe(pulled.theirs);
      }),
      { numRuns: 100 },
    );
  });

  it('gives what from() gives for async iterables, and lets go of them when cut short', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { maxLength: 6 }), fc.option(fc.nat(7), { nil: undefined }), fc.boolean(), async (items, count, fails) => {
        const closed: string[] = [];
        const pulled: Record<string, number> = { ours: 0, theirs: 0 };
        const make = (who: string) => async function* () {
          try {
            for (const item of items) {
              pulled[who]!++;
              yield item;
            }
            if (fails) throw new Error('the iterable failed');
          } finally {
            closed.push(who);
          }
        };
        const ours = await collect(toObservable(make('ours')()), count);
        const theirs = await collect(from(make('theirs')()), count);
        expect(ours).toEqual(theirs);
        // Both end the generator (its finally runs) however the following ended; take(0)
        // never subscribes, so neither starts it.
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(closed.sort()).toEqual(count === 0 ? [] : ['ours', 'theirs']);
        expect(pulled['ours']).toBe(pulled['theirs']!);
      }),
      { numRuns: 60 },
    );
  });

  it('reads no more of an array-like than from() reads once the follower has enough', async () => {
    const reads = { ours: 0, theirs: 0 };
    const counted = (who: 'ours' | 'theirs'): ArrayLike<number> =>
      new Proxy({ length: 1000 } as ArrayLike<number>, {
        get: (target, key) => {
          if (typeof key !== 'string' || !/^\d+$/.test(key)) return Reflect.get(target, key);
          reads[who]++;
          return Number(key);
        },
      });
    expect(await collect(toObservable(counted('ours')), 2)).toEqual(await collect(from(counted('theirs')), 2));
    expect(reads.ours).toBe(reads.theirs);
    expect(reads.ours).toBeLessThan(10);
  });

  it('stops drawing from an endless iterable once the follower has enough', async () => {
    function* endless(): Generator<number> {
      for (let i = 0; ; i++) yield i;
    }
    expect(await collect(toObservable(endless()), 3)).toEqual([['next', 0], ['next', 1], ['next', 2], ['complete']]);
  });

  it('follows a Promise that resolves or rejects, and any thenable', async () => {
    expect(await bothAgree(() => Promise.resolve(42))).toEqual([['next', 42], ['complete']]);
    const failure = new Error('no');
    expect(await bothAgree(() => Promise.reject(failure))).toEqual([['error', failure]]);
    const thenable = { then: (resolve: (value: string) => void) => resolve('then') } as PromiseLike<string>;
    expect(await collect(toObservable(thenable))).toEqual([['next', 'then'], ['complete']]);
  });

  it('reads a ReadableStream to its end and releases its reader', async () => {
    const stream = (): ReadableStream<number> =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(1);
          controller.enqueue(2);
          controller.close();
        },
      });
    expect(await bothAgree(stream)).toEqual([['next', 1], ['next', 2], ['complete']]);
    const read = stream();
    await collect(toObservable(read));
    expect(read.locked).toBe(false);
  });

  it('reads a ReadableStream that cannot be iterated with for await (as in Safari) through its reader', async () => {
    const stream = (): ReadableStream<number> => {
      const made = new ReadableStream<number>({
        start(controller) {
          controller.enqueue(1);
          controller.enqueue(2);
          controller.close();
        },
      });
      // Node's and Chromium's streams are async iterables; Safari's are not.
      Object.defineProperty(made, Symbol.asyncIterator, { value: undefined });
      return made;
    };
    expect(await bothAgree(stream)).toEqual([['next', 1], ['next', 2], ['complete']]);
    const read = stream();
    expect(await collect(toObservable(read), 1)).toEqual([['next', 1], ['complete']]);
    await Promise.resolve();
    expect(read.locked).withContext('released once the follower has enough').toBe(false);
  });

  it('follows an interop Observable (Symbol.observable) and unsubscribes it', () => {
    const seen: string[] = [];
    const interop = {
      [interopSymbol]() {
        return {
          subscribe(observer: { next: (value: string) => void }) {
            observer.next('interop');
            seen.push('subscribed');
            return { unsubscribe: () => seen.push('unsubscribed') };
          },
        };
      },
    } as unknown as ObservableInput<string>;
    const values: string[] = [];
    toObservable(interop).subscribe((value) => values.push(value)).unsubscribe();
    expect(values).toEqual(['interop']);
    expect(seen).toEqual(['subscribed', 'unsubscribed']);
  });

  it('takes what an interop Observable\'s subscribe() returns as from() does: a Subscription, a teardown function or nothing', () => {
    for (const [returned, expected] of [
      ['a Subscription', ['teardown']],
      ['a function', ['teardown']],
      ['nothing', []],
    ] as const) {
      const seen: string[] = [];
      const teardown = () => seen.push('teardown');
      const interop = {
        [interopSymbol]: () => ({
          subscribe: () => (returned === 'a Subscription' ? { unsubscribe: teardown } : returned === 'a function' ? teardown : undefined),
        }),
      } as unknown as ObservableInput<never>;
      for (const made of [toObservable(interop), from(interop)]) made.subscribe().unsubscribe();
      expect(seen).withContext(returned).toEqual([...expected, ...expected]);
    }
  });

  it('refuses an interop Observable whose Symbol.observable gives no subscribe(), naming what it gave', async () => {
    for (const [gave, named] of [
      [null, 'null'],
      [{ next: 1 }, 'an object {next}'],
    ] as const) {
      const interop = { [interopSymbol]: () => gave } as unknown as ObservableInput<never>;
      const [note] = await collect(toObservable(interop));
      expect(note[0]).toBe('error');
      const error = (note as ['error', unknown])[1];
      expect(error).toEqual(jasmine.any(TypeError));
      expect((error as Error).message).toBe(`toObservable: Symbol.observable gave ${named}, which has no subscribe()`);
    }
  });

  it('gives nothing to a follower that left before its Promise settled (no stopped notification either)', async () => {
    const stopped: unknown[] = [];
    const saved = config.onStoppedNotification;
    config.onStoppedNotification = (notification) => stopped.push(notification);
    try {
      let resolve!: (value: number) => void;
      const values: number[] = [];
      toObservable(new Promise<number>((r) => (resolve = r)))
        .subscribe((value) => values.push(value))
        .unsubscribe();
      resolve(1);
      // The promise's reaction, then the macrotask rxjs reports a stopped notification in.
      await new Promise((settled) => setTimeout(settled, 0));
      await new Promise((settled) => setTimeout(settled, 0));
      expect(values).toEqual([]);
      expect(stopped).toEqual([]);
    } finally {
      config.onStoppedNotification = saved;
    }
  });

  it('gives an Observable back as it is, and looks at other input only when subscribed to', () => {
    const source = new Observable<number>();
    expect(toObservable(source)).toBe(source);
    let reads = 0;
    const counted = {
      get length() {
        reads++;
        return 0;
      },
    } as unknown as ArrayLike<number>;
    const made = toObservable(counted);
    expect(reads).toBe(0);
    made.subscribe();
    expect(reads).toBeGreaterThan(0);
  });

  it('refuses what is no input with a TypeError naming it, as the Observable\'s error', async () => {
    for (const [input, named] of [
      [42, '42'],
      [null, 'null'],
      [undefined, 'undefined'],
      [{ a: 1 }, 'an object {a}'],
      [new Date(0), 'a Date'],
      [function callback() {}, 'function callback'],
    ] as const) {
      const [note] = await collect(toObservable(input as unknown as ObservableInput<unknown>));
      expect(note[0]).toBe('error');
      const error = (note as ['error', unknown])[1];
      expect(error).toEqual(jasmine.any(TypeError));
      expect((error as Error).message).toBe(
        `toObservable: ${named} is not an Observable, Promise, array, iterable, async iterable or ReadableStream`,
      );
    }
  });
});
