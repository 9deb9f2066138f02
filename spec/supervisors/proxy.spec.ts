import { Service } from '../../src/service/service.js';
import { ServiceProxy } from '../../src/service/proxy.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Stat, virtualScheduler } from '../support/fixtures.js';

class Pool extends ServiceProxy {
  readonly inner = new Stat({ name: 'pool' });
  protected get service(): Service {
    return this.inner;
  }
}

describe('supervising a ServiceProxy (mode bug ask/mode#50)', () => {
  it('restarts the service behind the proxy; the crash stays below the supervisor', async () => {
    const scheduler = virtualScheduler();
    const app = new Service({ name: 'app', scheduler });
    const proxy = new Pool();
    const supervisor = app.addDependency(new OneForOneSupervisor({ scheduler, services: [proxy] }));
    await app.start();
    expect(proxy.inner.starts).toBe(1);
    await proxy.crash(new Error('pool died'));
    expect(app.state).toBe('running');
    scheduler.flush();
    expect([proxy.state, proxy.inner.starts, proxy.inner.stops]).toEqual(['running', 2, 1]);
    expect(supervisor.history(proxy)).toEqual([jasmine.objectContaining({ action: 'restarted' })]);
    await app.stop();
    expect(proxy.state).toBe('shutdown');
  });

  it('restarts the proxy that crashed, wherever it is among the services', async () => {
    const scheduler = virtualScheduler();
    const first = new Stat({ name: 'first', scheduler });
    const proxy = new Pool();
    const supervisor = new OneForOneSupervisor({ scheduler, services: [first, proxy] });
    await supervisor.start();
    await proxy.inner.crash(new Error('pool died'));
    scheduler.flush();
    expect([proxy.inner.starts, first.starts]).toEqual([2, 1]);
    expect(supervisor.history(proxy).map((r) => r.action)).toEqual(['restarted']);
    expect(supervisor.history(first)).toEqual([]);
    await supervisor.stop();
  });
});
