import fc from 'fast-check';
import { Observable, defer, race, takeUntil, tap, type Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { firstToEmit } from '../../src/observable/first-to-emit.js';
import { lazy } from '../../src/observable/lazy.js';
import { peek } from '../../src/observable/peek.js';
import { until } from '../../src/observable/until.js';

// rxmode's own race, takeUntil, defer and tap (kept out of rxjs's innerFrom for bundle size)
// must be indistinguishable from rxjs's: the same notifications at the same virtual
// times, and every source subscribed and unsubscribed at the same frames.

/** A source: a cold marble, or one that emits at once when subscribed to (sync). */
interface SourceSpec {
  marble: string;
  sync?: { values: string[]; end: 'complete' | 'error' | 'none' };
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

interface Seen {
  notifications: unknown[];
  subscriptions: string[][];
  syncSubscriptions: number[][];
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
      const log: number[] = [];
      seen.syncSubscriptions.push(log);
      const { values, end } = spec.sync;
      return new Observable<string>((subscriber) => {
        log.push(scheduler.now());
        for (const value of values) subscriber.next(value);
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

describe('rxmode\'s race, takeUntil, defer and tap, against rxjs\'s', () => {
  it('firstToEmit(...) is race(...): the same notifications, subscriptions and unsubscriptions', () => {
    fc.assert(
      fc.property(fc.array(sourceArb, { minLength: 1, maxLength: 4 }), unsubscribeArb, (specs, unsubscribeAt) => {
        const ours = observe(specs, unsubscribeAt, (sources) => firstToEmit(...sources));
        const theirs = observe(specs, unsubscribeAt, (sources) => race(...sources));
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

  it('peek(next) is tap(next): the same notifications and calls, also when next throws', () => {
    fc.assert(
      fc.property(sourceArb, fc.option(fc.constantFrom('a', 'b', 'x', 'y'), { nil: undefined }), unsubscribeArb, (source, throwsOn, unsubscribeAt) => {
        const run = (operator: (next: (value: string) => void) => (source: Observable<string>) => Observable<string>) => {
          const calls: string[] = [];
          const next = (value: string): void => {
            calls.push(value);
            if (value === throwsOn) throw new Error(`next failed on ${value}`);
          };
          const seen = observe([source], unsubscribeAt, ([s]) => s!.pipe(operator(next)));
          return { seen, calls };
        };
        expect(run(peek)).toEqual(run((next) => tap(next)));
      }),
      { numRuns: 300 },
    );
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
});
