import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Stat, virtualScheduler } from './fixtures.js';

describe('restart types', () => {
  async function oneForOne() {
    const scheduler = virtualScheduler();
    const supervisor = new OneForOneSupervisor({ scheduler });
    return { scheduler, supervisor };
  }

  it('permanent (the default): restarted after a crash and after a clean stop', async () => {
    const { scheduler, supervisor } = await oneForOne();
    const s = new Stat();
    supervisor.add(s);
    expect(supervisor.restartType(s)).toBe('permanent');
    await supervisor.start();
    await s.crash(new Error('one'));
    scheduler.flush();
    expect([s.state, s.starts]).toEqual(['running', 2]);
    await s.stop();
    expect(s.state).toBe('shutdown');
    scheduler.flush();
    expect([s.state, s.starts]).toEqual(['running', 3]);
    expect(supervisor.history(s).map((r) => [r.crashed, r.action])).toEqual([[true, 'restarted'], [false, 'restarted']]);
    await supervisor.stop();
  });

  it('transient: restarted after a crash, left alone after a clean stop', async () => {
    const { scheduler, supervisor } = await oneForOne();
    const s = new Stat();
    supervisor.add(s, { restart: 'transient' });
    expect(supervisor.restartType(s)).toBe('transient');
    await supervisor.start();
    await s.crash(new Error('one'));
    scheduler.flush();
    expect([s.state, s.starts]).toEqual(['running', 2]);
    await s.stop();
    scheduler.flush();
    expect([s.state, s.starts]).toEqual(['shutdown', 2]);
    expect(supervisor.history(s).map((r) => r.action)).toEqual(['restarted', 'left']);
    await supervisor.stop();
    expect(s.stops).toBe(2);
  });

  it('temporary: never restarted; a crashed one is torn down', async () => {
    const { scheduler, supervisor } = await oneForOne();
    const s = new Stat();
    supervisor.add(s, { restart: 'temporary' });
    await supervisor.start();
    const reason = new Error('gone');
    await s.crash(reason);
    scheduler.flush();
    expect([s.state, s.starts, s.stops]).toEqual(['crashed', 1, 1]);
    expect(supervisor.history(s)).toEqual([jasmine.objectContaining({ reason, crashed: true, action: 'left' })]);
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
    expect(s.stops).toBe(1);
  });

  it('in a group restart, temporary siblings are stopped and not started again; transient ones are', async () => {
    const scheduler = virtualScheduler();
    const supervisor = new OneForAllSupervisor({ scheduler });
    const [perm, trans, temp] = [new Stat({ name: 'perm' }), new Stat({ name: 'trans' }), new Stat({ name: 'temp' })];
    supervisor.add(perm);
    supervisor.add(trans, { restart: 'transient' });
    supervisor.add(temp, { restart: 'temporary' });
    await supervisor.start();
    await perm.crash(new Error('perm'));
    scheduler.flush();
    expect([perm.starts, trans.starts, temp.starts]).toEqual([2, 2, 1]);
    expect([perm.state, trans.state, temp.state]).toEqual(['running', 'running', 'shutdown']);
    // The stopped temporary sibling stays down: its stop is not an ending to react to.
    scheduler.flush();
    expect(temp.starts).toBe(1);
    await supervisor.stop();
  });

  it('a transient service that stops cleanly does not restart its siblings (OneForAll)', async () => {
    const scheduler = virtualScheduler();
    const supervisor = new OneForAllSupervisor({ scheduler });
    const [a, b] = [new Stat(), new Stat()];
    supervisor.add(a, { restart: 'transient' });
    supervisor.add(b);
    await supervisor.start();
    await a.stop();
    scheduler.flush();
    expect([a.state, b.state, b.starts, b.stops]).toEqual(['shutdown', 'running', 1, 0]);
    // ...but a later group restart starts it again, with the others.
    await b.crash(new Error('b'));
    scheduler.flush();
    expect([a.state, a.starts, b.starts]).toEqual(['running', 2, 2]);
    await supervisor.stop();
  });

  it('a crashed temporary service does not restart its siblings (OneForAll)', async () => {
    const scheduler = virtualScheduler();
    const supervisor = new OneForAllSupervisor({ scheduler });
    const [a, b] = [new Stat(), new Stat()];
    supervisor.add(a, { restart: 'temporary' });
    supervisor.add(b);
    await supervisor.start();
    await a.crash(new Error('a'));
    scheduler.flush();
    expect([a.state, b.state, b.starts]).toEqual(['crashed', 'running', 1]);
    await supervisor.stop();
  });

  it('add() again with options changes the type; a bad type is a TypeError naming it', async () => {
    const { supervisor } = await oneForOne();
    const s = new Stat();
    supervisor.add(s);
    supervisor.add(s, { restart: 'temporary' });
    expect(supervisor.restartType(s)).toBe('temporary');
    expect(supervisor.services).toEqual([s]);
    expect(() => supervisor.add(new Stat(), { restart: 'sometimes' as never })).toThrowError(TypeError, /'sometimes'/);
    expect(supervisor.restartType(new Stat())).toBeUndefined();
    expect(() => supervisor.add(new Stat(), 42 as never)).toThrowError(TypeError, /got 42/);
    expect(() => supervisor.add(new Stat(), undefined as never)).toThrowError(TypeError, /got undefined/);
    expect(() => supervisor.add(new Stat(), { restart: 5 as never })).toThrowError(TypeError, /invalid restart type: 5 \(/);
    expect(() => supervisor.add(new Stat(), null as never)).toThrowError(TypeError, /expected a Service, got null/);
    expect(supervisor.services).toEqual([s]);
    supervisor.add(s, {}); // options without a type leave the type as it is
    expect(supervisor.restartType(s)).toBe('temporary');
  });
});
