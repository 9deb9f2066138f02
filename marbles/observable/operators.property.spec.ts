import fc from 'fast-check';
import {
  Observable,
  defaultIfEmpty,
  defer,
  firstValueFrom,
  lastValueFrom,
  map,
  race,
  take,
  takeUntil,
  type Subscription,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { firstOr } from '../../src/observable/first-or.js';
import { firstToEmit } from '../../src/observable/first-to-emit.js';
import { lazy } from '../../src/observable/lazy.js';
import { remap } from '../../src/observable/remap.js';
import { subscriberOf } from '../../src/observable/subscriber-of.js';
import { until } from '../../src/observable/until.js';
import { valueFrom } from '../../src/observable/value-from.js';

// rxmode's own race, takeUntil, defer, map, take(1) + defaultIfEmpty, firstValueFrom
// and lastValueFrom (kept out of rxjs's innerFrom and operators for bundle size)
// must be indistinguishable from rxjs's: the same notifications at the same virtual
// times, and every source subscribed and unsubscribed at the same frames.

/**
 * A source: a cold marble, or one that emits at once when subscribed to (sync). A sync
 * source that `stopsWhenClosed` looks at `closed` before each value, as rxjs's `range` and
 * `from(iterable)` do, and logs each value it gives: it shows when the source was closed.
 */
interface SourceSpec {
  marble: string;
  sync?: { values: string[]; end: 'complete' | 'error' | 'none'; stopsWhenClosed?: boolean };
}

const frame = fc.constantFrom('-', '-', '-', 'a', 'b', 'c');
const ending = fc.constantFrom('|', '#', '');
const marbleArb = fc.tuple(fc.array(frame, { maxLength: 12 }), ending).map(([frames, end]) => frames.join('') + end);
const sourceArb: fc.Arbitrary<SourceSpec> = fc.oneof(
  { weight: 4, arbitrary: marbleArb.map((marble) => ({ marble })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ values: fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 }), end: fc.constantFrom('complete' as const, 'error' as const, 'none' as const) })
      .map((sync) => ({ marble: '', sync })),
  },
);

/** Like `sourceArb`, with sync sources of up to 5 values that stop once closed. */
const closingSourceArb: fc.Arbitrary<SourceSpec> = fc.oneof(
  { weight: 3, arbitrary: marbleArb.map((marble) => ({ marble })) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        values: fc.array(fc.constantFrom('x', 'y'), { maxLength: 5 }),
        end: fc.constantFrom('complete' as const, 'error' as const, 'none' as const),
        stopsWhenClosed: fc.constant(true),
      })
      .map((sync) => ({ marble: '', sync })),
  },
);

interface Seen {
  notifications: unknown[];
  subscriptions: string[][];
  syncSubscriptions: (number | string)[][];
}

/** Runs `make` over the sources in virtual time; what came out and when each source was followed. */
function observe(specs: SourceSpec[], unsubscribeAt: number | undefined, make: (sources: Observable<string>[]) => Observable<string>): Seen {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const seen: Seen = { notifications: [], subscriptions: [], syncSubscriptions: [] };
  scheduler.run(({ cold }) => {
    const colds: ReturnType<typeof cold<string>>[] = [];
    const sources = specs.map((spec, index) => {
      if (!spec.sync) {
        const source = cold<string>(spec.marble, undefined, `error ${index}`);
        colds.push(source);
        return source as Observable<string>;
      }
      const log: (number | string)[] = [];
      seen.syncSubscriptions.push(log);
      const { values, end, stopsWhenClosed } = spec.sync;
      return new Observable<string>((subscriber) => {
        log.push(scheduler.now());
        for (const value of values) {
          if (stopsWhenClosed) {
            if (subscriber.closed) return () => log.push(-scheduler.now() - 1);
            log.push(`gave ${value}`);
          }
          subscriber.next(value);
        }
        if (end === 'complete') subscriber.complete();
        if (end === 'error') subscriber.error(`sync error ${index}`);
        return () => log.push(-scheduler.now() - 1);
      });
    });
    let subscription: Subscription | undefined;
    scheduler.schedule(() => {
      subscription = make(sources).subscribe({
        next: (value) => seen.notifications.push([scheduler.now(), 'next', value]),
        error: (error: unknown) => seen.notifications.push([scheduler.now(), 'error', error]),
        complete: () => seen.notifications.push([scheduler.now(), 'complete']),
      });
    }, 1);
    if (unsubscribeAt !== undefined) scheduler.schedule(() => subscription?.unsubscribe(), unsubscribeAt);
    scheduler.flush();
    seen.subscriptions = colds.map((source) => source.subscriptions.map((log) => `${log.subscribedFrame}..${log.unsubscribedFrame}`));
  });
  return seen;
}

const unsubscribeArb = fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined });

/**
 * Runs `make` over the source in virtual time from frame 1; how the Promise settled and
 * when the source was followed.
 */
async function settle(spec: SourceSpec, make: (source: Observable<string>) => Promise<unknown>): Promise<unknown> {
  let promise: Promise<unknown> | undefined;
  const seen = observe([spec], undefined, ([source]) =>
    new Observable<string>((subscriber) => {
      promise = make(source!);
      subscriber.complete();
    }),
  );
  // Settled, if at all, during the flush: its handlers run within a few microtasks.
  let outcome: unknown[] = ['pending'];
  promise!.then(
    (value) => (outcome = ['resolved', value]),
    (error: unknown) => (outcome = ['rejected', error, error instanceof Error ? error.message : undefined]),
  );
  for (let tick = 0; tick < 3; tick++) await Promise.resolve();
  return { outcome, subscriptions: seen.subscriptions, syncSubscriptions: seen.syncSubscriptions };
}

describe('rxmode\'s stand-ins for rxjs\'s race, takeUntil, defer, map, take, firstValueFrom and lastValueFrom', () => {
  it('firstToEmit(...) is race(...): the same notifications, subscriptions and unsubscriptions', () => {
    // Followed by take(n), the race is also left from inside a source's subscribe, when
    // that source gives its values at once.
    const takeArb = fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(sourceArb, { minLength: 1, maxLength: 4 }), unsubscribeArb, takeArb, (specs, unsubscribeAt, count) => {
        const follow = (raced: Observable<string>) => (count === undefined ? raced : raced.pipe(take(count)));
        const ours = observe(specs, unsubscribeAt, (sources) => follow(firstToEmit(...sources)));
        const theirs = observe(specs, unsubscribeAt, (sources) => follow(race(...sources)));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('until(notifier) is takeUntil(notifier)', () => {
    fc.assert(
      fc.property(sourceArb, sourceArb, unsubscribeArb, (source, notifier, unsubscribeAt) => {
        const ours = observe([source, notifier], unsubscribeAt, ([s, n]) => s!.pipe(until(n!)));
        const theirs = observe([source, notifier], unsubscribeAt, ([s, n]) => s!.pipe(takeUntil(n!)));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('lazy(factory) is defer(factory), also when the factory throws', () => {
    fc.assert(
      fc.property(sourceArb, fc.boolean(), unsubscribeArb, (source, throws, unsubscribeAt) => {
        const factory = (made: Observable<string>) => (): Observable<string> => {
          if (throws) throw new Error('factory failed');
          return made;
        };
        const ours = observe([source], unsubscribeAt, ([s]) => lazy(factory(s!)));
        const theirs = observe([source], unsubscribeAt, ([s]) => defer(factory(s!)));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it('remap(project) is map(project): the same notifications and calls, also when project throws', () => {
    fc.assert(
      fc.property(closingSourceArb, fc.option(fc.constantFrom('a', 'b', 'x', 'y'), { nil: undefined }), unsubscribeArb, (source, throwsOn, unsubscribeAt) => {
        const run = (operator: (project: (value: string) => string) => (source: Observable<string>) => Observable<string>) => {
          const calls: string[] = [];
          const project = (value: string): string => {
            calls.push(value);
            if (value === throwsOn) throw new Error(`project failed on ${value}`);
            return `${value}!`;
          };
          const seen = observe([source], unsubscribeAt, ([s]) => s!.pipe(operator(project)));
          return { seen, calls };
        };
        expect(run(remap)).toEqual(run((project) => map((value: string) => project(value))));
      }),
      { numRuns: 300 },
    );
  });

  it('firstOr(fallback) is take(1) then defaultIfEmpty(fallback)', () => {
    fc.assert(
      fc.property(closingSourceArb, unsubscribeArb, (source, unsubscribeAt) => {
        const ours = observe([source], unsubscribeAt, ([s]) => s!.pipe(firstOr('none')));
        const theirs = observe([source], unsubscribeAt, ([s]) => s!.pipe(take(1), defaultIfEmpty('none')));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('firstOr passes on one value when passing it on makes the source give another', () => {
    const values: number[] = [];
    let give: ((value: number) => void) | undefined;
    const source = new Observable<number>((subscriber) => {
      give = (value) => subscriber.next(value);
    });
    source.pipe(firstOr(0)).subscribe((value) => {
      values.push(value);
      give!(2);
    });
    give!(1);
    expect(values).toEqual([1]);
  });

  it('valueFrom(source, which, ...fallback) settles as firstValueFrom and lastValueFrom do', async () => {
    await fc.assert(
      fc.asyncProperty(closingSourceArb, fc.constantFrom('first' as const, 'last' as const), fc.boolean(), async (source, which, withFallback) => {
        const rxjs = which === 'first' ? firstValueFrom : lastValueFrom;
        const ours = await settle(source, (s) => (withFallback ? valueFrom(s, which, 'none') : valueFrom(s, which)));
        const theirs = await settle(source, (s) => (withFallback ? rxjs(s, { defaultValue: 'none' }) : rxjs(s)));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('subscriberOf(observer), unsubscribed from its own next, is closed for the source at once', () => {
    const given: number[] = [];
    const endless = new Observable<number>((subscriber) => {
      for (let n = 1; !subscriber.closed; n++) {
        given.push(n);
        subscriber.next(n);
      }
    });
    const seen: number[] = [];
    const first = subscriberOf<number>({
      next: (n) => {
        seen.push(n);
        first.unsubscribe();
      },
    });
    endless.subscribe(first);
    expect(seen).toEqual([1]);
    expect(given).toEqual([1]);
    expect(first.closed).toBe(true);
  });

  it('a race whose first source wins at once never subscribes to the others', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const later = cold('--a|');
      const now = new Observable<string>((subscriber) => {
        subscriber.next('now');
        subscriber.complete();
      });
      expectObservable(firstToEmit(now, later)).toBe('(n|)', { n: 'now' });
      expectSubscriptions(later.subscriptions).toBe([]);
    });
  });

  it('a race whose first source gives a value at once and goes on never subscribes to the others', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const later = cold('--a|');
      const now = cold('-b-c|').pipe(startWithAtOnce('now'));
      expectObservable(firstToEmit(now, later)).toBe('nb-c|', { n: 'now', b: 'b', c: 'c' });
      expectSubscriptions(later.subscriptions).toBe([]);
    });
  });
});

/** Gives `value` as it is subscribed to, then follows the source (rxjs's startWith, kept local). */
function startWithAtOnce<T>(value: T): (source: Observable<T>) => Observable<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      subscriber.next(value);
      return source.subscribe(subscriber);
    });
}
