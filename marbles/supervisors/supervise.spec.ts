import { catchError, defer, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { supervise } from '../../src/supervisors/supervise.js';

/** Turns the final error into a value a marble can show: its name and its cause. */
function reportError<T>(source: Observable<T>): Observable<T | { error: string; cause: unknown }> {
  return source.pipe(catchError((err: unknown) => of({
    error: err instanceof Error ? err.name : String(err),
    cause: err instanceof Error ? err.cause : undefined,
  })));
}

/** Subscribes to each observable in turn, one per (re)subscription. */
function inTurn<T>(runs: Observable<T>[]): Observable<T> {
  let next = 0;
  return defer(() => {
    const run = runs[next++];
    if (run === undefined) throw new Error('no more runs in this test');
    return run;
  });
}

describe('supervise (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('restarts at the frame of each error, then gives up with MaxRestartsExceeded', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--#', { a: 1 }, 'boom');
      const out = source.pipe(supervise({ maxRestarts: 2, over: 100 }), reportError);
      expectObservable(out).toBe('--a----a----a--(x|)', {
        a: 1,
        x: { error: 'MaxRestartsExceeded', cause: 'boom' },
      });
      expectSubscriptions(source.subscriptions).toBe([
        '^----!',
        '-----^----!',
        '----------^----!',
      ]);
    });
  });

  it('counts restarts in a sliding window: one `over` old no longer counts', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // Restarts at 2 and 4 fill the budget of two per 10ms. The error at 12 finds the one
      // at 2 exactly 10ms old (out) and restarts; at 14 the one at 4 is out too; at 15
      // the restarts at 12 and 14 fill the window and it gives up.
      const out = inTurn([
        cold('a-#', { a: 1 }, 'e1'),
        cold('b-#', { b: 2 }, 'e2'),
        cold('c-------#', { c: 3 }, 'e3'),
        cold('d-#', { d: 4 }, 'e4'),
        cold('e#', { e: 5 }, 'e5'),
      ]).pipe(supervise({ maxRestarts: 2, over: '10ms' }), reportError);
      expectObservable(out).toBe('a-b-c-------d-e(x|)', {
        a: 1, b: 2, c: 3, d: 4, e: 5,
        x: { error: 'MaxRestartsExceeded', cause: 'e5' },
      });
    });
  });

  it('passes values and completion through, and stops restarting once complete', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('a#', { a: 1 });
      const second = cold('-b-c|', { b: 2, c: 3 });
      const out = inTurn([first, second]).pipe(supervise({ maxRestarts: 5, over: '1s' }));
      expectObservable(out).toBe('a-b-c|', { a: 1, b: 2, c: 3 });
      expectSubscriptions(second.subscriptions).toBe('-^---!');
    });
  });

  it('with maxRestarts 0 never restarts', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, 'only');
      expectObservable(source.pipe(supervise({ maxRestarts: 0, over: '1s' }), reportError))
        .toBe('--(x|)', { x: { error: 'MaxRestartsExceeded', cause: 'only' } });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('waits the backoff before each restart: initial * factor^(n-1), capped at max', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, 'down');
      const out = source.pipe(
        supervise({ maxRestarts: 5, over: '1s', backoff: { initial: 10, max: 40, factor: 2 } }),
        reportError,
      );
      // Waits 10, 20, 40, 40 (capped), 40; the sixth error gives up at once.
      expectObservable(out).toBe('150ms (x|)', { x: { error: 'MaxRestartsExceeded', cause: 'down' } });
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '10ms (^!)',
        '30ms (^!)',
        '70ms (^!)',
        '110ms (^!)',
        '150ms (^!)',
      ]);
    });
  });

  it('starts the backoff count again after resetAfter of clean running', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const backoff = { initial: 10, max: 80, factor: 2, resetAfter: 50 };
      const out = inTurn([
        cold('(a#)', { a: 1 }),             // 0: fails at once, wait 10
        cold('(b#)', { b: 2 }),             // 10: fails at once, wait 20
        cold('c 49ms #', { c: 3 }),         // 30: runs 50ms cleanly, so the next wait is 10 again
        cold('d 48ms #', { d: 4 }),         // 90: runs 49ms only, wait 20
        cold('(e#)', { e: 5 }),             // 159: fails at once, wait 40
        cold('(f|)', { f: 6 }),             // 199
      ]).pipe(supervise({ maxRestarts: 10, over: '1s', backoff }));
      expectObservable(out).toBe('a 9ms b 19ms c 59ms d 68ms e 39ms (f|)', {
        a: 1, b: 2, c: 3, d: 4, e: 5, f: 6,
      });
    });
  });

  it('randomises the wait by jitter, never above the capped delay', () => {
    scheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold('#');
      const draws = [0, 0.5, 1];
      const backoff = { initial: 100, max: 100, jitter: 0.5, random: () => draws.shift() ?? 0 };
      source.pipe(supervise({ maxRestarts: 3, over: '1s', backoff }), catchError(() => of())).subscribe();
      // 100 * (1 - 0.5 * r): 100, then 75, then 50.
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)', '100ms (^!)', '175ms (^!)', '225ms (^!)',
      ]);
    });
  });

  it('checks the window at the moment the delayed restart would happen', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // One restart per 100ms, each after 60ms. The error at 0 restarts at 60. The error at
      // 130 would restart at 190, 130ms after the last restart: allowed (although at 130
      // itself the restart at 60 is still within the last 100ms). The error at 190 would
      // restart at 250, only 60ms after the one at 190: refused.
      const out = inTurn([
        cold('(a#)', { a: 1 }, 'e1'),
        cold('b 69ms #', { b: 2 }, 'e2'),
        cold('(c#)', { c: 3 }, 'e3'),
      ]).pipe(supervise({ maxRestarts: 1, over: 100, backoff: { initial: 60, max: 60 } }), reportError);
      expectObservable(out).toBe('a 59ms b 129ms (cx|)', {
        a: 1, b: 2, c: 3, x: { error: 'MaxRestartsExceeded', cause: 'e3' },
      });
    });
  });

  it('never lets a shorter (jittered) wait bring two restarts within `over`', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // The first wait draws 90ms (restart at 90); after 10ms the source fails again and
      // this wait draws 0ms: a restart at 100 would be only 10ms after the one at 90.
      const draws = [0, 1];
      const backoff = { initial: 90, max: 90, jitter: 1, resetAfter: 5, random: () => draws.shift() ?? 0 };
      const out = inTurn([
        cold('(a#)', { a: 1 }, 'e1'),
        cold('b 9ms #', { b: 2 }, 'e2'),
      ]).pipe(supervise({ maxRestarts: 1, over: 100, backoff }), reportError);
      expectObservable(out).toBe('a 89ms b 9ms (x|)', {
        a: 1, b: 2, x: { error: 'MaxRestartsExceeded', cause: 'e2' },
      });
    });
  });

  it('cancels a pending backoff wait on unsubscribe', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a#', { a: 1 });
      const out = source.pipe(supervise({ maxRestarts: 5, over: '1s', backoff: { initial: 50, max: 50 } }));
      expectObservable(out, '^ 19ms !').toBe('a', { a: 1 });
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('gives each subscriber its own budget', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-#', undefined, 'x');
      const out = source.pipe(supervise({ maxRestarts: 1, over: '1s' }), reportError);
      const gaveUp = { x: { error: 'MaxRestartsExceeded', cause: 'x' } };
      expectObservable(out).toBe('--(x|)', gaveUp);
      expectObservable(out, '---^').toBe('-----(x|)', gaveUp);
    });
  });

  it('errors with a MaxRestartsExceeded whose cause is the very last error', () => {
    const last = new Error('third time');
    const errors = [new Error('first'), new Error('second'), last];
    let caught: unknown;
    scheduler.run(({ cold }) => {
      inTurn(errors.map((e) => cold('-#', undefined, e)))
        .pipe(supervise({ maxRestarts: 2, over: '1h' }))
        .subscribe({ error: (err: unknown) => { caught = err; } });
    });
    expect(caught).toBeInstanceOf(MaxRestartsExceeded);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as MaxRestartsExceeded).cause).toBe(last);
    expect((caught as MaxRestartsExceeded).message).toContain('2 restarts within 3600000ms');
  });
});
