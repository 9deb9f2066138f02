import { Subject, VirtualTimeScheduler, of } from 'rxjs';
import { Diag, Service, transitionsTo } from '../../src/index.js';
import { deferred, isSettled } from '../support/fixtures.js';

function flagsSeen(diag: Diag): string[][] {
  const seen: string[][] = [];
  diag.flags$.subscribe((flags) => seen.push([...flags].sort()));
  return seen;
}

describe('Diag', () => {
  it('sets and unsets flags, replaying the current set then each change on flags$', () => {
    const diag = new Diag();
    const seen = flagsSeen(diag);
    diag.setFlag('A');
    diag.setFlag('B');
    diag.setFlag('A');
    diag.unsetFlag('A');
    diag.unsetFlag('missing');
    expect([...diag.flags]).toEqual(['B']);
    expect(seen).toEqual([[], ['A'], ['A', 'B'], ['B']]);
    expect(flagsSeen(diag)).toEqual([['B']]);
  });

  it('stamps lastTransition with the scheduler time of the last set, kept after unset', () => {
    const scheduler = new VirtualTimeScheduler();
    const diag = new Diag(scheduler);
    scheduler.schedule(() => diag.setFlag('FLUSH'), 10);
    scheduler.schedule(() => diag.unsetFlag('FLUSH'), 20);
    scheduler.schedule(() => diag.setFlag('OTHER'), 30);
    scheduler.flush();
    expect(diag.lastTransition.get('FLUSH')).toBe(10);
    expect(diag.lastTransition.get('OTHER')).toBe(30);
    expect(diag.flags.has('FLUSH')).toBeFalse();
  });

  it('is the service diag, on the service scheduler', () => {
    const scheduler = new VirtualTimeScheduler();
    const svc = new Service({ scheduler });
    scheduler.schedule(() => svc.diag.setFlag('X'), 7);
    scheduler.flush();
    expect(svc.diag.lastTransition.get('X')).toBe(7);
  });
});

describe('@transitionsTo', () => {
  it('sets the flag while a synchronous method runs, with its arguments and this', () => {
    const inside: boolean[] = [];
    class Db extends Service {
      @transitionsTo('COMPUTING')
      compute(a: number, b: number): number {
        inside.push(this.diag.flags.has('COMPUTING'));
        return a + b;
      }
    }
    const db = new Db();
    expect(db.compute(2, 3)).toBe(5);
    expect(inside).toEqual([true]);
    expect(db.diag.flags.has('COMPUTING')).toBeFalse();
  });

  it('unsets the flag when a synchronous method throws, and passes the error on', () => {
    const boom = new Error('sync');
    class Db extends Service {
      @transitionsTo('FAILING')
      fail(): void {
        throw boom;
      }
    }
    const db = new Db();
    expect(() => db.fail()).toThrow(boom);
    expect(db.diag.flags.size).toBe(0);
  });

  it('keeps the flag until a Promise settles', async () => {
    const gate = deferred<string>();
    class Db extends Service {
      @transitionsTo('FLUSHING')
      flush(): Promise<string> {
        return gate.promise;
      }
    }
    const db = new Db();
    const seen = flagsSeen(db.diag);
    const flushing = db.flush();
    expect(await isSettled(flushing)).toBeFalse();
    expect(db.diag.flags.has('FLUSHING')).toBeTrue();
    gate.resolve('ok');
    expect(await flushing).toBe('ok');
    expect(db.diag.flags.has('FLUSHING')).toBeFalse();
    expect(seen).toEqual([[], ['FLUSHING'], []]);
  });

  it('unsets the flag when the Promise rejects, and rejects with its error', async () => {
    const boom = new Error('async');
    class Db extends Service {
      @transitionsTo('FLUSHING')
      async flush(): Promise<void> {
        throw boom;
      }
    }
    const db = new Db();
    await expectAsync(db.flush()).toBeRejectedWith(boom);
    expect(db.diag.flags.has('FLUSHING')).toBeFalse();
  });

  it('sets the flag for an Observable only while it is subscribed', () => {
    const source = new Subject<number>();
    class Db extends Service {
      @transitionsTo('STREAMING')
      stream() {
        return source.asObservable();
      }
    }
    const db = new Db();
    const stream = db.stream();
    expect(db.diag.flags.has('STREAMING')).toBeFalse();
    const values: number[] = [];
    const first = stream.subscribe((v) => values.push(v));
    expect(db.diag.flags.has('STREAMING')).toBeTrue();
    source.next(1);
    first.unsubscribe();
    expect(db.diag.flags.has('STREAMING')).toBeFalse();
    stream.subscribe((v) => values.push(v));
    expect(db.diag.flags.has('STREAMING')).toBeTrue();
    source.next(2);
    source.complete();
    expect(db.diag.flags.has('STREAMING')).toBeFalse();
    expect(values).toEqual([1, 2]);
  });

  it('unsets the flag when the Observable errors', () => {
    const source = new Subject<number>();
    class Db extends Service {
      @transitionsTo('STREAMING')
      stream() {
        return source.asObservable();
      }
    }
    const db = new Db();
    let failed: unknown;
    db.stream().subscribe({ error: (e: unknown) => (failed = e) });
    const boom = new Error('stream');
    source.error(boom);
    expect(failed).toBe(boom);
    expect(db.diag.flags.has('STREAMING')).toBeFalse();
  });
});

describe('Service.transitionWith', () => {
  it('sets the flag while a Promise runs and resolves to its value', async () => {
    const svc = new Service();
    const gate = deferred<number>();
    const running = svc.transitionWith('LOADING', gate.promise);
    expect(svc.diag.flags.has('LOADING')).toBeTrue();
    gate.resolve(7);
    expect(await running).toBe(7);
    expect(svc.diag.flags.has('LOADING')).toBeFalse();
  });

  it('runs an Observable to its end and resolves to its last value', async () => {
    const svc = new Service();
    expect(await svc.transitionWith('LOADING', of(1, 2, 3))).toBe(3);
    expect(svc.diag.flags.has('LOADING')).toBeFalse();
  });

  it('unsets the flag on failure and rejects with it', async () => {
    const svc = new Service();
    const boom = new Error('load');
    await expectAsync(svc.transitionWith('LOADING', Promise.reject(boom))).toBeRejectedWith(boom);
    expect(svc.diag.flags.has('LOADING')).toBeFalse();
  });
});
