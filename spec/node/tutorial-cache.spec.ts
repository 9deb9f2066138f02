import { TestScheduler } from 'rxjs/testing';
import { UserCache } from '../../examples/tutorial/user-cache.js';

describe('the tutorial UserCache (virtual time)', () => {
  it('keeps a user for its ttl and its 10 s timer removes the expired ones', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cache = new UserCache({ scheduler, ttl: '15s' });
      void cache.start();
      const sizes: Array<[number, number]> = [];
      scheduler.schedule(() => cache.lookup('a'), 1_000);
      scheduler.schedule(() => cache.lookup('b'), 12_000);
      for (const at of [9_999, 10_001, 19_999, 20_001, 30_001]) scheduler.schedule(() => sizes.push([at, cache.size]), at);
      scheduler.schedule(() => void cache.stop(), 30_500);
      flush();
      // a expires at 16 s, removed by the 20 s run; b expires at 27 s, removed by the 30 s run.
      expect(sizes).toEqual([[9_999, 1], [10_001, 1], [19_999, 2], [20_001, 1], [30_001, 0]]);
      expect(cache.timers.get('removeExpired')!.iteration).toBe(3);
      expect(cache.state).toBe('shutdown');
    });
  });

  it('answers from the cache until the ttl passes', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const cache = new UserCache({ scheduler, ttl: 5_000 });
      const first = cache.lookup('u');
      let again: unknown;
      let later: unknown;
      scheduler.schedule(() => (again = cache.lookup('u')), 4_999);
      scheduler.schedule(() => (later = cache.lookup('u')), 5_000);
      flush();
      expect(again).toBe(first);
      expect(later).not.toBe(first);
    });
  });
});
