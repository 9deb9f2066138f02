// A supervisor restarts a crashed service after stopping it itself: a stop that failed has
// been seen by then, and must not fail the restart (restartSteps' `stopped`). Nor does a
// user's restart() of a crashed service whose teardown failed: the failure is logged when
// it happens, and the restart brings the service back.
import { OneForOneSupervisor, Service } from '../../src/index.js';
import { captureLogger, deferred, failureOf, settle } from '../support/fixtures.js';

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

  it("restart() brings back a crashed service whose teardown failed, and the failure is logged, not replayed", async () => {
    const { logger, lines } = captureLogger();
    let stops = 0;
    class Clumsy extends Service {
      override onStop() {
        if (stops++ === 0) throw new Error('stuck');
      }
    }
    const svc = new Clumsy({ name: 'Clumsy', logger });
    await svc.start();
    await svc.crash(new Error('boom'));
    await expectAsync(svc.stop()).withContext('the teardown of the crash failed').toBeRejectedWithError('stuck');
    expect(lines.map((line) => line.msg)).toContain('Stop failed reason=Error: stuck');

    await svc.restart();
    expect(svc.state).toBe('running');
    expect(svc.restartCount).toBe(1);
    expect(stops).withContext('the failed teardown was not run again').toBe(1);
    await svc.restart();
    expect(stops).withContext('a running service is stopped by its restart').toBe(2);
    await svc.stop();
    expect(svc.state).toBe('shutdown');
  });

  it('restart() during the teardown of a crash waits for it and fails with its failure; the next one restarts', async () => {
    const gate = deferred();
    let stops = 0;
    class Slow extends Service {
      override async onStop() {
        stops += 1;
        await gate.promise;
        if (stops === 1) throw new Error('stuck');
      }
    }
    const svc = new Slow({ name: 'Slow', logger: captureLogger().logger });
    await svc.start();
    await svc.crash(new Error('boom'));
    const restart = svc.restart();
    gate.resolve();
    expect((await failureOf(restart)).message).toBe('stuck');
    expect(svc.state).toBe('crashed');
    await svc.restart();
    expect(svc.state).toBe('running');
    expect(stops).toBe(1);
    await svc.stop();
    expect(stops).toBe(2);
  });
});
