import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Stat, captureLogger, virtualScheduler } from '../support/fixtures.js';

/** A service whose next start fails once when `failNext` is set. */
class FailsOnce extends Stat {
  failNext = false;
  override onStart(): void {
    super.onStart();
    if (this.failNext) {
      this.failNext = false;
      throw new Error(`${this.label} cannot start`);
    }
  }
}

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

  it('transient, stopped and then restarted by hand, is supervised again: its next crash restarts it', async () => {
    const { scheduler, supervisor } = await oneForOne();
    const s = new Stat();
    supervisor.add(s, { restart: 'transient' });
    await supervisor.start();
    await s.stop();
    scheduler.flush();
    expect(s.state).toBe('shutdown');
    await s.restart();
    scheduler.flush();
    expect([s.state, s.starts]).toEqual(['running', 2]);
    const reason = new Error('after a restart by hand');
    await s.crash(reason);
    scheduler.flush();
    expect([s.state, s.starts]).toEqual(['running', 3]);
    expect(supervisor.history(s).map((r) => [r.reason, r.action])).toEqual([[undefined, 'left'], [reason, 'restarted']]);
    // And a clean stop after that is left alone again.
    await s.stop();
    scheduler.flush();
    expect(s.state).toBe('shutdown');
    await supervisor.stop();
  });

  it('temporary: a service that stops cleanly leaves too; thousands that ended leave nothing behind', async () => {
    const { scheduler, supervisor } = await oneForOne();
    await supervisor.start();
    const many = Array.from({ length: 2_000 }, (_, i) => new Stat({ name: `t${i}` }));
    for (const s of many) supervisor.add(s, { restart: 'temporary' });
    scheduler.flush();
    expect(many.every((s) => s.state === 'running')).toBeTrue();
    for (const [i, s] of many.entries()) {
      if (i % 2 === 0) await s.stop();
      else await s.crash(new Error(`t${i}`));
    }
    scheduler.flush();
    expect(supervisor.services).toEqual([]);
    expect(supervisor.children).toEqual([]);
    expect(many.every((s) => s.supervisor === null && s.beacon.parent === undefined)).toBeTrue();
    expect(many.every((s) => supervisor.history(s).length === 0)).toBeTrue();
    expect(many.every((s) => s.starts === 1 && s.stops === 1)).toBeTrue();
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
  });

  it('temporary: never restarted; a crashed one is torn down and leaves', async () => {
    const { logger, lines } = captureLogger();
    const scheduler = virtualScheduler();
    const supervisor = new OneForOneSupervisor({ scheduler, logger });
    const s = new Stat({ name: 'temp' });
    supervisor.add(s, { restart: 'temporary' });
    await supervisor.start();
    const reason = new Error('gone');
    await s.crash(reason);
    scheduler.flush();
    expect([s.state, s.starts, s.stops]).toEqual(['crashed', 1, 1]);
    expect(lines.map((line) => line.msg)).toContain('Not restarting temporary temp (Error: gone)');
    // Nothing kept for it: not in services, the tree, or the histories.
    expect(supervisor.services).toEqual([]);
    expect(supervisor.history(s)).toEqual([]);
    expect(s.supervisor).toBeNull();
    expect(s.beacon.parent).toBeUndefined();
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
    expect(s.stops).toBe(1);
  });

  it('transient: after a restart that failed once and then succeeded, a clean stop leaves it down', async () => {
    const scheduler = virtualScheduler();
    const t = new FailsOnce({ name: 't' });
    const supervisor = new OneForOneSupervisor({ scheduler });
    supervisor.add(t, { restart: 'transient' });
    await supervisor.start();
    t.failNext = true;
    await t.crash(new Error('t'));
    scheduler.flush();
    expect([t.state, t.starts]).toEqual(['running', 3]); // its restart failed, the next one did not
    await t.stop();
    scheduler.flush();
    expect([t.state, t.starts]).toEqual(['shutdown', 3]);
    expect(supervisor.history(t).map((r) => [r.action, r.crashed])).toEqual([['restarted', true], ['restarted', true], ['left', false]]);
    await supervisor.stop();
  });

  it('a service reset by hand whose start fails is restarted, and stays', async () => {
    const scheduler = virtualScheduler();
    const t = new FailsOnce({ name: 't' });
    const supervisor = new OneForOneSupervisor({ scheduler });
    supervisor.add(t, { restart: 'transient' });
    await supervisor.start();
    await t.stop(); // left down
    scheduler.flush();
    t.failNext = true;
    t.serviceReset(); // ours to start again: its start fails, once
    scheduler.flush();
    expect([t.state, t.starts, supervisor.state]).toEqual(['running', 3, 'running']);
    expect(supervisor.services).toEqual([t]);
    expect(supervisor.history(t).map((r) => r.action)).toEqual(['left', 'restarted']);
    await supervisor.stop();
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
    expect(supervisor.services.map((s) => s.label)).toEqual(['perm', 'trans']); // the temporary one left
    expect(temp.supervisor).toBeNull();
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
