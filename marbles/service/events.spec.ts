import { map, mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service } from '../../src/index.js';

function newScheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('Service.events$ in virtual time', () => {
  it('stamps each transition of the subtree with the frame it happened at', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const root = new Service({ name: 'R', scheduler });
      root.addDependency(new Service({ name: 'C', scheduler }));
      const feed = root.events$.pipe(map((e) => `${e.label}:${e.to}@${e.at}`));
      expectObservable(feed).toBe('5ms (ab) 18ms (cdef)', {
        a: 'R:running@5',
        b: 'C:running@5',
        c: 'R:stopping@27',
        d: 'C:stopping@27',
        e: 'C:shutdown@27',
        f: 'R:shutdown@27',
      });
      cold('5ms a').pipe(mergeMap(() => root.start$())).subscribe();
      cold('27ms a').pipe(mergeMap(() => root.stop$())).subscribe();
    });
  });

  it('stamps a crash with its frame and reason', () => {
    const scheduler = newScheduler();
    const reason = new Error('at twelve');
    scheduler.run(({ cold, expectObservable }) => {
      const root = new Service({ name: 'R', scheduler });
      const child = root.addDependency(new Service({ name: 'C', scheduler }));
      expectObservable(root.events$.pipe(map((e) => ({ label: e.label, to: e.to, at: e.at, reason: e.reason })))).toBe(
        '(ab) 6ms (cd)',
        {
          a: { label: 'R', to: 'running', at: 0, reason: undefined },
          b: { label: 'C', to: 'running', at: 0, reason: undefined },
          c: { label: 'R', to: 'crashed', at: 10, reason },
          d: { label: 'C', to: 'crashed', at: 10, reason },
        },
      );
      cold('a').pipe(mergeMap(() => root.start$())).subscribe();
      cold('10ms a').subscribe(() => void child.crash(reason));
    });
  });

  it('tells the transitions of a service added while running, at their frames', () => {
    const scheduler = newScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const root = new Service({ name: 'R', scheduler });
      const late = new Service({ name: 'L', scheduler });
      expectObservable(root.events$.pipe(map((e) => `${e.label}:${e.to}@${e.at}`))).toBe('a 19ms b 9ms (cdef)', {
        a: 'R:running@0',
        b: 'L:running@20',
        c: 'R:stopping@30',
        d: 'L:stopping@30',
        e: 'L:shutdown@30',
        f: 'R:shutdown@30',
      });
      cold('a').pipe(mergeMap(() => root.start$())).subscribe();
      cold('20ms a').subscribe(() => void root.addRuntimeDependency(late));
      cold('30ms a').pipe(mergeMap(() => root.stop$())).subscribe();
    });
  });
});
