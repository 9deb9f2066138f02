import { Service } from '../../src/service/service.js';
import { CrashingSupervisor } from '../../src/supervisors/crashing.js';
import { ForfeitOneForAllSupervisor } from '../../src/supervisors/forfeit-one-for-all.js';
import { ForfeitOneForOneSupervisor } from '../../src/supervisors/forfeit-one-for-one.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { RestForOneSupervisor } from '../../src/supervisors/rest-for-one.js';
import type { SupervisorOptions, SupervisorStrategy } from '../../src/supervisors/supervisor-strategy.js';
import { Ordered, Stat, Y, captureLogger, virtualScheduler } from '../support/fixtures.js';

/** mode's functional set-up: y (with child x) and z, both added to the supervisor. */
async function modeSetUp(Strategy: new (options?: SupervisorOptions) => SupervisorStrategy, options: SupervisorOptions = {}) {
  const scheduler = virtualScheduler();
  const y = new Y();
  const z = new Stat({ name: 'z' });
  const supervisor = new Strategy({ scheduler, ...options });
  supervisor.add(y, z);
  await supervisor.start();
  const crashZ = async () => {
    await z.crash(new Error('z died'));
    scheduler.flush();
  };
  return { scheduler, y, x: y.x, z, supervisor, crashZ };
}

describe('supervisor strategies (mode\'s counts, y with child x, and z)', () => {
  it('all start with the supervisor, once each, and are its children', async () => {
    const { y, x, z, supervisor } = await modeSetUp(OneForOneSupervisor);
    expect([y.starts, x.starts, z.starts]).toEqual([1, 1, 1]);
    expect(supervisor.children).toEqual([y, z]);
    expect(supervisor.services).toEqual([y, z]);
    expect(y.supervisor).toBe(supervisor);
    expect(z.supervisor).toBe(supervisor);
    expect(x.supervisor).toBeNull();
    await supervisor.stop();
  });

  it('OneForOne: restarts z alone', async () => {
    const { y, x, z, supervisor, crashZ } = await modeSetUp(OneForOneSupervisor);
    await crashZ();
    expect([z.stops, z.starts]).toEqual([1, 2]);
    expect([y.stops, y.starts, x.stops, x.starts]).toEqual([0, 1, 0, 1]);
    expect([y.state, x.state, z.state]).toEqual(['running', 'running', 'running']);
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
    expect([z.stops, y.stops, x.stops]).toEqual([2, 1, 1]);
  });

  it('OneForOne: a crash of y takes its child x down and back up with it', async () => {
    const { scheduler, y, x, z, supervisor } = await modeSetUp(OneForOneSupervisor);
    await y.crash(new Error('y died'));
    expect([y.state, x.state]).toEqual(['crashed', 'crashed']);
    scheduler.flush();
    expect([y.state, x.state, z.state]).toEqual(['running', 'running', 'running']);
    expect([y.stops, x.stops, y.starts, x.starts, z.starts]).toEqual([1, 1, 2, 2, 1]);
    await supervisor.stop();
  });

  it('OneForOne: a crash of the unsupervised x goes to y\'s supervisor', async () => {
    const { scheduler, y, x, z, supervisor } = await modeSetUp(OneForOneSupervisor);
    const reason = new Error('x died');
    await x.crash(reason);
    expect([y.state, x.state, z.state, supervisor.state]).toEqual(['crashed', 'crashed', 'running', 'running']);
    scheduler.flush();
    expect([y.state, x.state]).toEqual(['running', 'running']);
    expect(supervisor.history(y)).toEqual([jasmine.objectContaining({ reason, action: 'restarted' })]);
    await supervisor.stop();
  });

  it('OneForAll: stops all, starts all again', async () => {
    const { y, x, z, supervisor, crashZ } = await modeSetUp(OneForAllSupervisor);
    await crashZ();
    expect([y.stops, x.stops, z.stops]).toEqual([1, 1, 1]);
    expect([y.starts, x.starts, z.starts]).toEqual([2, 2, 2]);
    expect([y.state, x.state, z.state]).toEqual(['running', 'running', 'running']);
    await supervisor.stop();
    expect([y.stops, x.stops, z.stops]).toEqual([2, 2, 2]);
  });

  it('OneForAll with three services fits in the default budget (mode\'s token bucket does not)', async () => {
    const scheduler = virtualScheduler();
    const services = [new Stat(), new Stat(), new Stat()];
    const supervisor = new OneForAllSupervisor({ scheduler, services });
    await supervisor.start();
    await services[1]!.crash(new Error('one'));
    scheduler.flush();
    expect(services.map((s) => s.starts)).toEqual([2, 2, 2]);
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
  });

  it('ForfeitOneForOne: stops z, never restarts it, leaves y alone', async () => {
    const { y, x, z, supervisor, crashZ } = await modeSetUp(ForfeitOneForOneSupervisor);
    await crashZ();
    expect([z.stops, z.starts]).toEqual([1, 1]);
    expect(z.state).toBe('crashed');
    expect([y.stops, y.starts, x.stops]).toEqual([0, 1, 0]);
    await supervisor.stop();
    expect([y.stops, x.stops, z.stops]).toEqual([1, 1, 1]);
  });

  it('ForfeitOneForAll: stops y, x and z, restarts none', async () => {
    const { y, x, z, supervisor, crashZ } = await modeSetUp(ForfeitOneForAllSupervisor);
    await crashZ();
    expect([y.stops, x.stops, z.stops]).toEqual([1, 1, 1]);
    expect([y.starts, x.starts, z.starts]).toEqual([1, 1, 1]);
    expect([y.state, x.state, z.state]).toEqual(['shutdown', 'shutdown', 'crashed']);
    await supervisor.stop();
    expect([y.stops, x.stops, z.stops]).toEqual([1, 1, 1]);
  });

  it('logs a forfeit once, not again and again', async () => {
    const { logger, lines } = captureLogger();
    const { scheduler, supervisor, crashZ } = await modeSetUp(ForfeitOneForAllSupervisor, { logger });
    await crashZ();
    scheduler.schedule(() => undefined, 60_000);
    scheduler.flush();
    expect(lines.filter((line) => /Giving up/.test(line.msg ?? '')).length).toBe(1);
    expect(lines.find((line) => /Giving up/.test(line.msg ?? ''))!.msg).toContain('z');
    await supervisor.stop();
  });

  it('Crashing: claims nothing, so a crash spreads through the whole tree', async () => {
    const app = new Service({ name: 'app' });
    const { y, x, z, supervisor } = await (async () => {
      const y = new Y();
      const z = new Stat({ name: 'z' });
      const supervisor = app.addDependency(new CrashingSupervisor({ services: [y, z] }));
      await app.start();
      return { y, x: y.x, z, supervisor };
    })();
    expect(z.supervisor).toBeNull();
    expect(supervisor.services).toEqual([y, z]);
    expect([y.starts, z.starts]).toEqual([1, 1]);
    const reason = new Error('fatal');
    await z.crash(reason);
    for (const s of [app, supervisor, y, x, z]) {
      expect(s.state).withContext(s.label).toBe('crashed');
      expect(s.crashReason).withContext(s.label).toBe(reason);
    }
    expect([y.starts, z.starts]).toEqual([1, 1]);
    await app.stop();
  });

  it('all of them do nothing with no services', async () => {
    for (const Strategy of [OneForOneSupervisor, OneForAllSupervisor, RestForOneSupervisor,
      ForfeitOneForOneSupervisor, ForfeitOneForAllSupervisor, CrashingSupervisor]) {
      const scheduler = virtualScheduler();
      const supervisor = new Strategy({ scheduler });
      await supervisor.start();
      supervisor.wakeup();
      scheduler.flush();
      expect(supervisor.state).withContext(Strategy.name).toBe('running');
      await supervisor.stop();
      expect(supervisor.state).withContext(Strategy.name).toBe('shutdown');
    }
  });
});

describe('RestForOneSupervisor', () => {
  it('restarts the crashed service and every one added after it, in order', async () => {
    const scheduler = virtualScheduler();
    const calls: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => new Ordered(calls, name)) as [Ordered, Ordered, Ordered, Ordered];
    const supervisor = new RestForOneSupervisor({ scheduler, services: [a, b, c, d] });
    await supervisor.start();
    calls.length = 0;
    await b.crash(new Error('b died'));
    scheduler.flush();
    expect(calls).toEqual(['d.stop', 'c.stop', 'b.stop', 'b.start', 'c.start', 'd.start']);
    expect([a.starts, b.starts, c.starts, d.starts]).toEqual([1, 2, 2, 2]);
    expect(a.stops).toBe(0);
    await supervisor.stop();
  });

  it('restarts the last one alone', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new RestForOneSupervisor({ scheduler, services: [a, b] });
    await supervisor.start();
    await b.crash(new Error('b'));
    scheduler.flush();
    expect([a.starts, b.starts]).toEqual([1, 2]);
    await supervisor.stop();
  });

  it('OneForAll stops in reverse order and starts in order', async () => {
    const scheduler = virtualScheduler();
    const calls: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new Ordered(calls, name)) as [Ordered, Ordered, Ordered];
    const supervisor = new OneForAllSupervisor({ scheduler, services: [a, b, c] });
    await supervisor.start();
    calls.length = 0;
    await b.crash(new Error('b died'));
    scheduler.flush();
    expect(calls).toEqual(['c.stop', 'b.stop', 'a.stop', 'a.start', 'b.start', 'c.start']);
    await supervisor.stop();
  });
});
