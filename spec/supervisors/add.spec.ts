import { ServiceStateError } from '../../src/service/errors.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Flaky, Stat, captureLogger, isSettled } from '../support/fixtures.js';

/** Waits for a macrotask: unhandled rejections are reported by then. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('add() on a running supervisor (OTP\'s start_child)', () => {
  it('resolves once the service has started', async () => {
    const supervisor = new OneForOneSupervisor();
    await supervisor.start();
    const late = new Stat({ name: 'late' });
    const added = supervisor.add(late);
    expect(late.starts).toBe(0);
    await added;
    expect([late.state, late.starts]).toEqual(['running', 1]);
    expect(supervisor.services).toEqual([late]);
    await supervisor.stop();
  });

  it('rejects with the error of a first start that fails; the service is not kept and the supervisor carries on', async () => {
    const { logger, lines } = captureLogger();
    const other = new Stat({ name: 'other' });
    const supervisor = new OneForOneSupervisor({ services: [other], logger });
    await supervisor.start();
    const flaky = new Flaky({ name: 'flaky' });
    await expectAsync(supervisor.add(flaky)).toBeRejectedWithError(/flaky cannot start/);
    expect(flaky.starts).toBe(1); // not restarted
    expect(supervisor.services).toEqual([other]);
    expect(flaky.supervisor).toBeNull();
    expect(flaky.beacon.parent).toBeUndefined();
    expect(flaky.state).toBe('crashed');
    expect(lines.some((line) => line.msg === 'Could not start flaky: Error: flaky cannot start')).toBeTrue();
    // The supervisor is still at work.
    expect(supervisor.state).toBe('running');
    await other.crash(new Error('other'));
    await macrotask();
    expect([other.state, other.starts]).toEqual(['running', 2]);
    // A service that failed once can be added again, and kept once it starts.
    flaky.failing = false;
    flaky.serviceReset();
    await supervisor.add(flaky);
    expect(flaky.state).toBe('running');
    expect(supervisor.services).toEqual([other, flaky]);
    await supervisor.stop();
  });

  it('with several services: resolves once all started, rejects with the first failure and keeps the others', async () => {
    const supervisor = new OneForOneSupervisor();
    await supervisor.start();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    await supervisor.add(a, b);
    expect([a.state, b.state]).toEqual(['running', 'running']);
    const [c, bad] = [new Stat({ name: 'c' }), new Flaky({ name: 'bad' })];
    await expectAsync(supervisor.add(c, bad)).toBeRejectedWithError(/bad cannot start/);
    expect(supervisor.services).toEqual([a, b, c]);
    expect(c.state).toBe('running');
    await supervisor.stop();
  });

  it('an add() nobody awaits is never an unhandled rejection (the failure is logged)', async () => {
    const { logger, lines } = captureLogger();
    const supervisor = new OneForOneSupervisor({ logger });
    await supervisor.start();
    // Jasmine fails the spec on an unhandled rejection; none comes.
    void supervisor.add(new Flaky({ name: 'ignored' }));
    await macrotask();
    await macrotask();
    expect(lines.some((line) => line.msg === 'Could not start ignored: Error: ignored cannot start')).toBeTrue();
    expect(supervisor.services).toEqual([]);
    await supervisor.stop();
  });

  it('on a supervisor that is not running: resolves at once; the service starts with the supervisor', async () => {
    const supervisor = new OneForOneSupervisor();
    const s = new Stat();
    await supervisor.add(s);
    expect(s.state).toBe('init');
    // The constructor's services are claimed the same way.
    const t = new Stat();
    const other = new OneForOneSupervisor({ services: [t] });
    expect([other.services, t.supervisor]).toEqual([[t], other]);
    await supervisor.start();
    expect(s.state).toBe('running');
    await supervisor.stop();
    // A failing one fails the supervisor's start, as before, and the add() that claimed it did not reject.
    const broken = new OneForOneSupervisor();
    const added = broken.add(new Flaky({ name: 'broken' }));
    await expectAsync(added).toBeResolved();
    await expectAsync(broken.start()).toBeRejectedWithError(/broken cannot start/);
  });

  it('rejects when the service is discarded before the supervision started it, naming both', async () => {
    const supervisor = new OneForOneSupervisor({ name: 'Pool' });
    await supervisor.start();
    const gone = new Stat({ name: 'gone' });
    const added = supervisor.add(gone);
    supervisor.discard(gone); // before the supervision got to start it
    await expectAsync(added).toBeRejectedWithError(ServiceStateError, 'gone left Pool before it started');
    expect(gone.state).toBe('init');
    await supervisor.stop();
  });

  it('added, discarded and added again before it started: both Promises settle once it started', async () => {
    const supervisor = new OneForOneSupervisor();
    await supervisor.start();
    const back = new Stat({ name: 'back' });
    const first = supervisor.add(back);
    supervisor.discard(back);
    const second = supervisor.add(back); // before the supervision got to start it
    await expectAsync(second).toBeResolved();
    expect(await isSettled(first)).toBeTrue(); // no add() is left waiting
    expect([back.state, back.starts, supervisor.services]).toEqual(['running', 1, [back]]);
    await supervisor.stop();
  });

  it('rejects when the supervisor stops before the service started, keeping the service for its next start', async () => {
    const supervisor = new OneForOneSupervisor();
    await supervisor.start();
    const late = new Stat({ name: 'late' });
    const added = supervisor.add(late);
    const stopping = supervisor.stop(); // before the supervision got to start it
    await expectAsync(added).toBeRejectedWith(jasmine.any(ServiceStateError));
    await expectAsync(added).toBeRejectedWithError(ServiceStateError, 'OneForOneSupervisor stopped before late started');
    await expectAsync(added).toBeRejectedWith(jasmine.objectContaining({ state: 'stopping' }));
    await stopping;
    expect([late.state, supervisor.services]).toEqual(['init', [late]]);
    await supervisor.restart();
    expect(late.state).toBe('running');
    await supervisor.stop();
  });
});
