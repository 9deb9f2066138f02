import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Stat, Y, virtualScheduler } from './fixtures.js';

describe('OneForOneSupervisor', () => {
  it('restarts only the crashed service (mode\'s counts)', async () => {
    const scheduler = virtualScheduler();
    const y = new Y();
    const z = new Stat({ name: 'z' });
    const supervisor = new OneForOneSupervisor({ scheduler });
    supervisor.add(y, z);
    await supervisor.start();
    expect([y.starts, y.x.starts, z.starts]).toEqual([1, 1, 1]);

    await z.crash(new Error('z died'));
    expect(z.state).toBe('crashed');
    scheduler.flush();

    expect(z.state).toBe('running');
    expect(z.stops).toBe(1);
    expect(z.starts).toBe(2);
    expect(z.restarts).toBe(1);
    expect(y.stops).toBe(0);
    expect(y.starts).toBe(1);
    expect(y.x.starts).toBe(1);
    expect(y.state).toBe('running');

    await supervisor.stop();
    expect(z.stops).toBe(2);
    expect(y.stops).toBe(1);
    expect(y.x.stops).toBe(1);
    expect([y.state, y.x.state, z.state]).toEqual(['shutdown', 'shutdown', 'shutdown']);
  });
});
