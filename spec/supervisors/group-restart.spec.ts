import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { RestForOneSupervisor } from '../../src/supervisors/rest-for-one.js';
import { Flaky, Ordered, SlowStop, Stat, virtualScheduler } from '../support/fixtures.js';

/** An Ordered service that fails its start while `failing` says so. */
class FlakyOrdered extends Ordered {
  failing = false;
  override onStart(): void {
    super.onStart();
    if (this.failing) throw new Error(`${this.label} cannot start`);
  }
}

describe('a group restart that fails part way', () => {
  it('RestForOne: stops at the first service that fails; the later ones are not started in that attempt', async () => {
    const scheduler = virtualScheduler();
    const calls: string[] = [];
    const [a, b, c] = [new Ordered(calls, 'a'), new FlakyOrdered(calls, 'b'), new Ordered(calls, 'c')];
    const backoff = { initial: 100, max: 100 };
    const supervisor = new RestForOneSupervisor({ scheduler, services: [a, b, c], backoff, maxRestarts: 10, over: '1m' });
    await supervisor.start();
    calls.length = 0;
    b.failing = true;
    await a.crash(new Error('a'));
    // Attempts at 100, 200 and 300 (the backoff); b starts again from the third.
    scheduler.schedule(() => (b.failing = false), 250);
    scheduler.flush();
    expect(calls).toEqual([
      'c.stop', 'b.stop', 'a.stop',
      'a.start', 'b.start', 'b.stop', // b fails (and is torn down): c is not started
      'b.start', 'b.stop', // the next attempt is b's: from b on (OTP's rest_for_one); it fails again
      'b.start', 'c.start', // then b starts, and c comes back with it
    ]);
    expect([a.state, b.state, c.state]).toEqual(['running', 'running', 'running']);
    expect(c.starts).toBe(2);
    // Each attempt counted against the budget: a's, then b's two.
    expect(supervisor.history(a).map((r) => r.action)).toEqual(['restarted']);
    expect(supervisor.history(b).map((r) => r.action)).toEqual(['restarted', 'restarted']);
    await supervisor.stop();
  });

  it('OneForAll: the next attempt starts from the group again', async () => {
    const scheduler = virtualScheduler();
    const calls: string[] = [];
    const [a, b, c] = [new Ordered(calls, 'a'), new FlakyOrdered(calls, 'b'), new Ordered(calls, 'c')];
    const supervisor = new OneForAllSupervisor({ scheduler, services: [a, b, c], backoff: { initial: 100, max: 100 } });
    await supervisor.start();
    calls.length = 0;
    b.failing = true;
    await c.crash(new Error('c'));
    scheduler.schedule(() => (b.failing = false), 150);
    scheduler.flush();
    expect(calls).toEqual([
      'c.stop', 'b.stop', 'a.stop',
      'a.start', 'b.start', 'b.stop', // b fails (and is torn down): c is not started
      'a.stop', 'a.start', 'b.start', 'c.start', // the whole group again
    ]);
    expect([a.state, b.state, c.state]).toEqual(['running', 'running', 'running']);
    await supervisor.stop();
  });

  it('the failures count against the budget: over it, the supervisor gives up without starting the rest', async () => {
    const scheduler = virtualScheduler();
    const [a, c] = [new Stat({ name: 'a' }), new Stat({ name: 'c' })];
    const b = new Flaky({ name: 'b' });
    b.failing = false;
    const supervisor = new OneForAllSupervisor({ scheduler, services: [a, b, c], maxRestarts: 3, over: '1m' });
    await supervisor.start();
    b.failing = true;
    await a.crash(new Error('a'));
    scheduler.flush();
    expect(supervisor.state).toBe('crashed');
    expect(supervisor.crashReason).toBeInstanceOf(MaxRestartsExceeded);
    expect(c.starts).toBe(1); // never started again while b failed
    expect(b.starts).toBe(4); // its first start, then three failed attempts
    expect([a.state, b.state, c.state]).toEqual(['shutdown', 'crashed', 'shutdown']);
  });

  it('a group restart waits for a reaction that holds one of its services, then runs', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    const c = new SlowStop({ name: 'c', scheduler });
    const supervisor = new RestForOneSupervisor({ scheduler, services: [a, b, c] });
    await supervisor.start();
    await c.crash(new Error('c')); // its restart holds c until its stop ends, at 10
    scheduler.schedule(() => void a.crash(new Error('a')), 5); // a, b and c: waits for c
    scheduler.flush();
    expect(supervisor.history(c).map((r) => r.at)).toEqual([0]);
    expect(supervisor.history(a).map((r) => r.at)).toEqual([10]);
    expect([a.starts, b.starts, c.starts, c.stops]).toEqual([2, 2, 3, 2]);
    expect([a.state, b.state, c.state]).toEqual(['running', 'running', 'running']);
    expect(scheduler.now()).toBe(20); // c stopped again by the group: 10 more
    const stopping = supervisor.stop();
    scheduler.flush();
    await stopping;
  });
});
