import { map, mergeMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service, transitionsTo } from '../../src/index.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('Diag flags in virtual time', () => {
  it('shows an @transitionsTo Observable flag from its subscription to its completion', () => {
    class Db extends Service {
      @transitionsTo('FLUSHING')
      flush() {
        return timer(10, this.scheduler);
      }
    }
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const db = new Db({ scheduler });
      const flush = db.flush();
      const flags$ = db.diag.flags$.pipe(map((flags) => [...flags].join(',')));
      expectObservable(flags$).toBe('e 4ms f 9ms e', { e: '', f: 'FLUSHING' });
      cold('5ms a').pipe(mergeMap(() => flush)).subscribe();
    });
  });

  it('stamps lastTransition with the frame the flag was set at', () => {
    class Db extends Service {
      @transitionsTo('FLUSHING')
      flush() {
        return timer(3, this.scheduler);
      }
    }
    const scheduler = newScheduler();
    let db!: Db;
    scheduler.run(({ cold }) => {
      db = new Db({ scheduler });
      cold('8ms a 11ms b').pipe(mergeMap(() => db.flush())).subscribe();
    });
    expect(db.diag.lastTransition.get('FLUSHING')).toBe(20);
    expect(db.diag.flags.size).toBe(0);
  });
});
