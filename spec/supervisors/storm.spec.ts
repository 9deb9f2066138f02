import { Service } from '../../src/service/service.js';
import { task } from '../../src/service/task.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';

/** Crashes as soon as it has started, every time: a restart storm under a supervisor. */
class Storm extends Service {
  static override label = 'Storm';
  @task
  async fail(): Promise<void> {
    throw new Error('at once');
  }
}

/** Resolves once `service` was restarted at least `count` times. */
async function restartedAtLeast(service: Service, count: number): Promise<void> {
  while (service.restartCount < count) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('a restart storm (real time)', () => {
  it('never starves the event loop: a timer due in 10 ms fires while it goes on', async () => {
    const storm = new Storm();
    // Far more restarts than fit in 10 ms: the storm is still under way when the timer fires.
    const supervisor = new OneForOneSupervisor({ services: [storm], maxRestarts: 1_000_000, over: '1m' });
    await supervisor.start();
    const seen = await new Promise<{ restarts: number; supervisor: string }>((resolve) => {
      setTimeout(() => resolve({ restarts: storm.restartCount, supervisor: supervisor.state }), 10);
    });
    // Before the storm yielded to the event loop, the timer fired only once the whole
    // budget was spent and the supervisor had crashed.
    expect(seen.supervisor).toBe('running');
    expect(seen.restarts).toBeGreaterThan(0);
    expect(seen.restarts).toBeLessThan(1_000_000);
    await supervisor.stop();
    expect(['shutdown', 'crashed']).toContain(storm.state);
    expect(supervisor.state).toBe('shutdown');
  });

  it('with an unlimited budget, keeps going and still stops when asked', async () => {
    const storm = new Storm();
    const supervisor = new OneForOneSupervisor({ services: [storm], maxRestarts: Infinity });
    await supervisor.start();
    await restartedAtLeast(storm, 100);
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
    const restarts = storm.restartCount;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(storm.restartCount).toBe(restarts); // nothing restarts it after the stop
    expect(supervisor.state).toBe('shutdown');
  });

  it('two storms under two supervisors both go on, and a third supervisor still reacts at once', async () => {
    const [s1, s2] = [new Storm({ name: 's1' }), new Storm({ name: 's2' })];
    const calm = new Service({ name: 'calm' });
    const supervisors = [
      new OneForOneSupervisor({ services: [s1], maxRestarts: Infinity }),
      new OneForOneSupervisor({ services: [s2], maxRestarts: Infinity }),
      new OneForOneSupervisor({ services: [calm] }),
    ];
    for (const supervisor of supervisors) await supervisor.start();
    await restartedAtLeast(s1, 50);
    await calm.crash(new Error('once'));
    await restartedAtLeast(calm, 1);
    expect(calm.state).toBe('running');
    await restartedAtLeast(s2, 50);
    for (const supervisor of supervisors) await supervisor.stop();
  });
});
