import type { Observable } from 'rxjs';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Ordered, Stat, Y, virtualScheduler } from '../support/fixtures.js';

describe('OneForOneSupervisor', () => {
  it('stopped after restarting its first service, stops that one first (reverse start order, not add order)', async () => {
    const scheduler = virtualScheduler();
    const calls: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new Ordered(calls, name)) as [Ordered, Ordered, Ordered];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b, c] });
    await supervisor.start();
    await a.crash(new Error('a died'));
    scheduler.flush();
    expect(a.starts).toBe(2);
    calls.length = 0;
    await supervisor.stop();
    expect(calls).toEqual(['a.stop', 'c.stop', 'b.stop']);
  });

  it('restarts a service through its own restart$ when it has one', async () => {
    const scheduler = virtualScheduler();
    class OwnRestart extends Stat {
      restartCalls = 0;
      override restart$(): Observable<void> {
        this.restartCalls++;
        return super.restart$();
      }
    }
    const a = new OwnRestart({ name: 'a' });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
    await supervisor.start();
    await a.crash(new Error('a died'));
    scheduler.flush();
    expect([a.restartCalls, a.state, a.starts]).toEqual([1, 'running', 2]);
    await supervisor.stop();
  });

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
