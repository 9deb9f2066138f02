// A supervisor restarts a crashed service after stopping it itself: a stop that failed has
// been seen by then, and must not fail the restart (restartSteps' `stopped`).
import { OneForOneSupervisor, Service } from '../../src/index.js';
import { settle } from '../support/fixtures.js';

describe('Restarting a crashed service', () => {
  it('restarts a supervised service whose stop failed after its crash', async () => {
    let stops = 0;
    class Clumsy extends Service {
      override onStop() {
        if (stops++ === 0) throw new Error('stuck');
      }
    }
    const svc = new Clumsy({ name: 'Clumsy' });
    const supervisor = new OneForOneSupervisor({ services: [svc] });
    await supervisor.start();
    await svc.crash(new Error('boom'));
    for (let i = 0; i < 50 && svc.restartCount === 0; i++) await settle();
    expect(svc.restartCount).toBe(1);
    expect(svc.state).toBe('running');
    expect(stops).toBe(1); // stopped once, by the supervisor, not again by the restart
    await supervisor.stop();
  });
});
