import { Service } from '../../src/service/service.js';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { SlowStop, Stat, captureLogger, virtualScheduler } from '../support/fixtures.js';

describe('restart budget and escalation', () => {
  it('over budget: stops its services and crashes with MaxRestartsExceeded caused by the last crash', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b], maxRestarts: 2, over: '1s' });
    await supervisor.start();
    const reasons = [new Error('1'), new Error('2'), new Error('3')];
    reasons.forEach((reason, i) => scheduler.schedule(() => void a.crash(reason), 100 * i));
    scheduler.flush();
    expect(supervisor.state).toBe('crashed');
    const error = supervisor.crashReason as MaxRestartsExceeded;
    expect(error).toBeInstanceOf(MaxRestartsExceeded);
    expect(error.cause).toBe(reasons[2]);
    expect(error.message).toContain('more than 2 restarts within 1000ms');
    expect([a.state, b.state]).toEqual(['crashed', 'shutdown']);
    expect([a.starts, a.stops, b.stops]).toEqual([3, 3, 1]);
    expect(supervisor.history(a).map((r) => [r.at, r.action])).toEqual([[0, 'restarted'], [100, 'restarted'], [200, 'escalated']]);
  });

  it('two crashes over budget at once, while a slow stop is under way: it escalates once', async () => {
    const scheduler = virtualScheduler();
    const { logger, lines } = captureLogger();
    const [a, b, slow] = [new Stat({ name: 'a' }), new Stat({ name: 'b' }), new SlowStop({ name: 'slow', scheduler })];
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [a, b, slow], maxRestarts: 0 });
    await supervisor.start();
    await a.crash(new Error('a'));
    await b.crash(new Error('b')); // both are looked at in the same turn
    scheduler.flush();
    expect(supervisor.state).toBe('crashed');
    expect(lines.filter((line) => /^Max restarts exceeded/.test(line.msg ?? '')).length).toBe(1);
    expect([...supervisor.history(a), ...supervisor.history(b)].map((r) => r.action)).toEqual(['escalated']);
    expect([a.starts, b.starts, slow.starts]).toEqual([1, 1, 1]);
  });

  it('a strategy whose planRestart throws crashes the supervisor with that error', async () => {
    const scheduler = virtualScheduler();
    const reason = new Error('no plan');
    class Broken extends OneForOneSupervisor {
      protected override planRestart(): never {
        throw reason;
      }
    }
    const a = new Stat({ name: 'a' });
    const supervisor = new Broken({ scheduler, services: [a] });
    await supervisor.start();
    await a.crash(new Error('a'));
    scheduler.flush();
    expect([supervisor.state, supervisor.crashReason]).toEqual(['crashed', reason]);
  });

  it('over budget, it cancels a restart that waits out its backoff: no service starts while it gives up', async () => {
    const scheduler = virtualScheduler();
    const [a, b, slow] = [new Stat({ name: 'a' }), new Stat({ name: 'b' }), new SlowStop({ name: 'slow', scheduler })];
    slow.stopTakes = 50;
    const backoff = { initial: 10, max: 10 };
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b, slow], maxRestarts: 1, over: 1000, backoff });
    await supervisor.start();
    await a.crash(new Error('a')); // restarted after 10
    scheduler.schedule(() => void b.crash(new Error('b')), 5); // over budget: gives up, slow takes 50 to stop
    scheduler.flush();
    expect(supervisor.state).toBe('crashed');
    expect([a.starts, b.starts, slow.starts]).toEqual([1, 1, 1]);
    expect(supervisor.history(a).map((r) => r.action)).toEqual(['restarted']); // noted, never carried out
  });

  it('the window slides: a restart `over` ago no longer counts', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat();
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a], maxRestarts: 2, over: 1000 });
    await supervisor.start();
    for (const at of [0, 100, 1000]) scheduler.schedule(() => void a.crash(new Error(`at ${at}`)), at);
    scheduler.flush();
    expect([supervisor.state, a.state, a.starts]).toEqual(['running', 'running', 4]);
    scheduler.schedule(() => void a.crash(new Error('at 1050')), 50);
    scheduler.flush();
    expect(supervisor.state).toBe('crashed');
    expect(supervisor.history(a).map((r) => [r.at, r.action]))
      .toEqual([[0, 'restarted'], [100, 'restarted'], [1000, 'restarted'], [1050, 'escalated']]);
  });

  it('restartsUsed: the restarts within the last `over`, sliding out as time passes', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat();
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a], maxRestarts: 5, over: 1000 });
    expect(supervisor.restartsUsed).toBe(0);
    await supervisor.start();
    for (const at of [0, 100, 200]) scheduler.schedule(() => void a.crash(new Error(`at ${at}`)), at);
    scheduler.flush();
    expect(supervisor.restartsUsed).toBe(3);
    const at = (time: number, check: () => void) => scheduler.schedule(check, time - scheduler.now());
    const used: number[] = [];
    at(1050, () => used.push(supervisor.restartsUsed)); // the one at 0 slid out
    at(1250, () => used.push(supervisor.restartsUsed));
    scheduler.flush();
    expect(used).toEqual([2, 0]);
    void a.crash(new Error('once more'));
    scheduler.flush();
    expect(supervisor.restartsUsed).toBe(1);
    await supervisor.restart();
    expect(supervisor.restartsUsed).toBe(0); // a fresh budget each run
  });

  it('a group restart counts once', async () => {
    const scheduler = virtualScheduler();
    const services = [new Stat(), new Stat(), new Stat()];
    const supervisor = new OneForAllSupervisor({ scheduler, services, maxRestarts: 1, over: '1m' });
    await supervisor.start();
    await services[0]!.crash(new Error('first'));
    scheduler.flush();
    expect(supervisor.state).toBe('running');
    expect(services.map((s) => s.starts)).toEqual([2, 2, 2]);
    await services[2]!.crash(new Error('second'));
    scheduler.flush();
    expect(supervisor.state).toBe('crashed');
    expect(services.map((s) => s.state)).toEqual(['shutdown', 'shutdown', 'crashed']);
  });

  it('maxRestarts 0 gives up on the first crash', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat();
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a], maxRestarts: 0 });
    await supervisor.start();
    await a.crash(new Error('once'));
    scheduler.flush();
    expect([supervisor.state, a.starts]).toEqual(['crashed', 1]);
  });

  it('crashes with `raises`, given the message and the cause', async () => {
    class Fatal extends Error {
      override name = 'Fatal';
    }
    class Bare extends Error {
      constructor() {
        super('bare');
      }
    }
    for (const raises of [Fatal, Bare]) {
      const scheduler = virtualScheduler();
      const a = new Stat();
      const supervisor = new OneForOneSupervisor({ scheduler, services: [a], maxRestarts: 0, raises });
      await supervisor.start();
      const reason = new Error('why');
      await a.crash(reason);
      scheduler.flush();
      expect(supervisor.crashReason).toBeInstanceOf(raises);
      expect((supervisor.crashReason as Error).cause).toBe(reason);
      // set as a native cause is, even by a class that drops the options
      expect(Object.getOwnPropertyDescriptor(supervisor.crashReason, 'cause')).toEqual(
        jasmine.objectContaining({ value: reason, writable: true, configurable: true }),
      );
    }
  });

  it('with no supervisor above, the failure spreads up its tree (and nothing exits the process)', async () => {
    const scheduler = virtualScheduler();
    const app = new Service({ name: 'app', scheduler });
    const sibling = app.addDependency(new Stat({ name: 'sibling' }));
    const a = new Stat({ name: 'a' });
    const supervisor = app.addDependency(new OneForOneSupervisor({ scheduler, services: [a], maxRestarts: 0 }));
    await app.start();
    await a.crash(new Error('a'));
    scheduler.flush();
    for (const s of [app, sibling, supervisor]) {
      expect(s.state).withContext(s.label).toBe('crashed');
      expect(s.crashReason).withContext(s.label).toBeInstanceOf(MaxRestartsExceeded);
    }
    await app.stop();
    expect(sibling.stops).toBe(1);
  });

  it('escalates through two levels of supervisors', async () => {
    const scheduler = virtualScheduler();
    const app = new Service({ name: 'app', scheduler });
    const outer = app.addDependency(new OneForOneSupervisor({ name: 'outer', scheduler, maxRestarts: 1, over: '1m' }));
    const inner = new OneForOneSupervisor({ name: 'inner', scheduler, maxRestarts: 1, over: '1m' });
    const leaf = new Stat({ name: 'leaf' });
    const bystander = new Stat({ name: 'bystander' });
    inner.add(leaf);
    outer.add(inner, bystander);
    await app.start();

    // The inner supervisor restarts the leaf once...
    await leaf.crash(new Error('leaf 1'));
    scheduler.flush();
    expect([inner.state, leaf.state, leaf.starts]).toEqual(['running', 'running', 2]);

    // ...then gives up; the outer one restarts it (with its leaf) and a fresh budget.
    const second = new Error('leaf 2');
    await leaf.crash(second);
    scheduler.flush();
    expect([outer.state, inner.state, leaf.state]).toEqual(['running', 'running', 'running']);
    expect(leaf.starts).toBe(3);
    expect(inner.restartCount).toBe(1);
    const [record] = outer.history(inner);
    expect(record!.action).toBe('restarted');
    expect(record!.reason).toBeInstanceOf(MaxRestartsExceeded);
    expect((record!.reason as Error).cause).toBe(second);
    expect(bystander.starts).toBe(1);
    expect(app.state).toBe('running');

    await leaf.crash(new Error('leaf 3'));
    scheduler.flush();
    expect([inner.state, leaf.starts]).toEqual(['running', 4]);

    // The inner one gives up again: over the outer one's budget too, so up the tree it goes.
    const last = new Error('leaf 4');
    await leaf.crash(last);
    scheduler.flush();
    expect([app.state, outer.state, inner.state]).toEqual(['crashed', 'crashed', 'crashed']);
    expect(bystander.state).toBe('shutdown');
    const top = app.crashReason as MaxRestartsExceeded;
    expect(top).toBeInstanceOf(MaxRestartsExceeded);
    expect(top.message).toContain('outer');
    expect(top.cause).toBeInstanceOf(MaxRestartsExceeded);
    expect((top.cause as Error).message).toContain('inner');
    expect((top.cause as Error).cause).toBe(last);
    await app.stop();
  });
});
