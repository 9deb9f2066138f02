import { type Observable, filter, firstValueFrom, skip, timer } from 'rxjs';
import { Service } from '../../src/service/service.js';
import { inspectService } from '../../src/testing/inspect.js';
import { CrashingSupervisor } from '../../src/supervisors/crashing.js';
import { ForfeitOneForOneSupervisor } from '../../src/supervisors/forfeit-one-for-one.js';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { type RestartNote, restartNotes$ } from '../../src/supervisors/restart-notes.js';
import { SlowStop, Stat, isSettled, virtualScheduler } from '../support/fixtures.js';

/** Resolves when `service`, now ready, has become ready again (after a restart). */
function readyAgain(service: Service): Promise<unknown> {
  return firstValueFrom(service.ready$.pipe(skip(1), filter(Boolean)));
}

/** A service whose hooks take a macrotask each, on the real clock. */
class Slow extends Stat {
  override async onStart(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    super.onStart();
  }
  override async onStop(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    super.onStop();
  }
}

describe('supervisor lifecycle', () => {
  it('on the real clock with async hooks: reacts to a crash without polling', async () => {
    const [a, b] = [new Slow({ name: 'a' }), new Slow({ name: 'b' })];
    const supervisor = new OneForAllSupervisor({ services: [a, b] });
    await supervisor.start();
    const back = Promise.all([readyAgain(a), readyAgain(b)]);
    const crashedAt = Date.now();
    await b.crash(new Error('b'));
    await back;
    // mode polls every 5 s; a reaction takes a few ms here.
    expect(Date.now() - crashedAt).toBeLessThan(1000);
    expect([a.starts, a.stops, b.starts, b.stops]).toEqual([2, 1, 2, 1]);
    await supervisor.stop();
    expect([a.state, b.state]).toEqual(['shutdown', 'shutdown']);
  });

  it('leaves nothing behind after it stops: no work, no watchers on its services', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b], backoff: { initial: 50, max: 50 } });
    await supervisor.start();
    // Crashes reach the supervisor as calls (childCrashed), so it watches no state$.
    expect(inspectService(a).stateWatched).toBeFalse();
    await a.crash(new Error('a'));
    scheduler.flush();
    await b.crash(new Error('b'));
    // Stopped while b waits for its backoff: the wait is cancelled too.
    await supervisor.stop();
    expect(inspectService(supervisor)).toEqual(jasmine.objectContaining({ liveWork: 0, workClosed: true }));
    expect(inspectService(a).stateWatched).toBeFalse();
    expect(inspectService(b).stateWatched).toBeFalse();
    expect(scheduler.actions.length).toBe(0);
    expect([a.state, b.state]).toEqual(['shutdown', 'crashed']);
  });

  it('does not react while it is not running', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat();
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
    await a.start();
    await a.crash(new Error('before the supervisor started'));
    supervisor.wakeup();
    scheduler.flush();
    expect([a.state, a.starts]).toEqual(['crashed', 1]);
  });

  it('restarts a service that crashed while the supervisor was starting, once it is ready', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a' });
    class Crasher extends Stat {
      override onStarted(): void {
        void a.crash(new Error('early'));
      }
    }
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, new Crasher()] });
    await supervisor.start();
    expect(a.state).toBe('crashed');
    scheduler.flush();
    expect([a.state, a.starts]).toEqual(['running', 2]);
    await supervisor.stop();
  });

  it('stopped while a service waits out its backoff: it is not restarted afterwards, and no timer is left', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a', scheduler });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a], backoff: { initial: 100, max: 100 } });
    await supervisor.start();
    await a.crash(new Error('a'));
    scheduler.maxFrames = 50;
    scheduler.flush();
    const stopping = supervisor.stop();
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    scheduler.flush();
    await stopping;
    expect([a.starts, supervisor.state]).toEqual([1, 'shutdown']);
    expect(scheduler.now()).toBe(0); // the wait was let go of, not run out
  });

  it('a crash while an add() is starting its service is handled as usual', async () => {
    const scheduler = virtualScheduler();
    class SlowStart extends Stat {
      override onStart(): Observable<number> {
        super.onStart();
        return timer(10, scheduler);
      }
    }
    const a = new Stat({ name: 'a', scheduler });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
    await supervisor.start();
    const slow = new SlowStart({ name: 'slow', scheduler });
    const added = supervisor.add(slow);
    scheduler.schedule(() => void a.crash(new Error('a')), 5);
    scheduler.flush();
    await expectAsync(added).toBeResolved();
    expect([a.state, a.starts, slow.state, supervisor.state]).toEqual(['running', 2, 'running', 'running']);
    await supervisor.stop();
  });

  it('can itself be restarted: its services come back with it', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b] });
    await supervisor.start();
    await supervisor.restart();
    expect([a.starts, b.starts, a.stops, b.stops]).toEqual([2, 2, 1, 1]);
    await a.crash(new Error('after'));
    scheduler.flush();
    expect([a.state, a.starts]).toEqual(['running', 3]);
    await supervisor.stop();
  });

  it('a restart that waited for a slow stop leaves no timer behind', async () => {
    const scheduler = virtualScheduler();
    const a = new SlowStop({ name: 'a', scheduler });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
    await supervisor.start();
    await a.crash(new Error('a'));
    scheduler.flush();
    expect([a.state, a.starts]).toEqual(['running', 2]);
    expect(scheduler.now()).toBe(10); // nothing was left to run at a's stopTimeout
    const stopping = supervisor.stop();
    scheduler.flush();
    await stopping;
  });

  it('tells restartNotes$ (the health server\'s live view) each record it adds, while someone listens', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a', scheduler });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
    await supervisor.start();
    const notes: RestartNote[] = [];
    const listening = restartNotes$.subscribe((note) => notes.push(note));
    await a.crash(new Error('a'));
    scheduler.flush();
    listening.unsubscribe();
    expect(notes).toEqual([{ service: a, record: supervisor.history(a)[0]! }]);
    await supervisor.stop();
  });

  describe('runUntilComplete()', () => {
    it('with no services: starts and stops (as mode)', async () => {
      const supervisor = new OneForOneSupervisor();
      const states: string[] = [];
      supervisor.state$.subscribe((state) => states.push(state));
      await supervisor.runUntilComplete();
      expect(states).toEqual(['init', 'running', 'stopping', 'shutdown']);
    });

    it('returns once every service has ended for good', async () => {
      const [a, b] = [new Stat(), new Stat()];
      const supervisor = new OneForOneSupervisor();
      supervisor.add(a, { restart: 'transient' });
      supervisor.add(b, { restart: 'temporary' });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await a.stop();
      await b.crash(new Error('b'));
      await done;
      expect(supervisor.state).toBe('shutdown');
      expect([a.starts, b.starts]).toEqual([1, 1]);
    });

    it('a CrashingSupervisor: returns once every service has stopped, and at once with none', async () => {
      const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
      const supervisor = new CrashingSupervisor({ services: [a, b] });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await a.stop();
      expect(await isSettled(done)).toBeFalse();
      await b.stop();
      await done;
      expect(supervisor.state).toBe('shutdown');
      const empty = new CrashingSupervisor();
      await empty.runUntilComplete();
      expect(empty.state).toBe('shutdown');
    });

    it('does not return while a crashed service waits out its backoff before its restart', async () => {
      const scheduler = virtualScheduler();
      const a = new Stat({ name: 'a', scheduler });
      const supervisor = new OneForOneSupervisor({ scheduler, services: [a], backoff: { initial: 100, max: 100 } });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await a.crash(new Error('a'));
      scheduler.maxFrames = 50; // the reaction runs; its wait (100) does not end
      scheduler.flush();
      expect([a.state, await isSettled(done)]).toEqual(['crashed', false]);
      scheduler.maxFrames = Number.POSITIVE_INFINITY;
      scheduler.flush();
      expect([a.state, a.starts, await isSettled(done)]).toEqual(['running', 2, false]);
      await supervisor.stop();
      await expectAsync(done).toBeResolved();
    });

    it('does not return while a service that crashed as the supervisor started waits for its restart', async () => {
      const scheduler = virtualScheduler();
      class CrashesOnce extends Stat {
        override onStarted(): void {
          if (this.starts === 1) void this.crash(new Error('early'));
        }
      }
      const a = new CrashesOnce({ name: 'a', scheduler });
      const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      expect([a.state, await isSettled(done)]).toEqual(['crashed', false]); // its restart is due, not run yet
      scheduler.flush();
      expect([a.state, a.starts, await isSettled(done)]).toEqual(['running', 2, false]);
      await supervisor.stop();
      await expectAsync(done).toBeResolved();
    });

    it('returns once a crashed temporary service\'s slow stop has ended', async () => {
      const scheduler = virtualScheduler();
      const temp = new SlowStop({ name: 'temp', scheduler });
      const supervisor = new OneForOneSupervisor({ scheduler });
      supervisor.add(temp, { restart: 'temporary' });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await temp.crash(new Error('temp'));
      scheduler.maxFrames = 5; // its stop has begun, not ended
      scheduler.flush();
      expect([temp.stops, await isSettled(done)]).toEqual([1, false]);
      scheduler.maxFrames = Number.POSITIVE_INFINITY;
      scheduler.flush();
      expect(await isSettled(done)).toBeTrue();
      expect([supervisor.state, supervisor.services.length]).toEqual(['shutdown', 0]);
    });

    it('CrashingSupervisor: waits, then rejects with the crash that spread to it', async () => {
      const a = new Stat({ name: 'a' });
      const supervisor = new CrashingSupervisor({ services: [a] });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      expect(await isSettled(done)).toBeFalse();
      const reason = new Error('fatal');
      await a.crash(reason);
      await expectAsync(done).toBeRejectedWith(reason);
    });

    it('returns once its services are forfeited (crashed and not restarted)', async () => {
      const a = new Stat({ name: 'a' });
      const supervisor = new ForfeitOneForOneSupervisor({ services: [a] });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await a.crash(new Error('a'));
      await done;
      expect([a.state, supervisor.state]).toEqual(['crashed', 'shutdown']);
    });

    it('returns when the supervisor is stopped', async () => {
      const supervisor = new OneForOneSupervisor({ services: [new Stat()] });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await supervisor.stop();
      await expectAsync(done).toBeResolved();
    });

    it('rejects with the reason it crashed', async () => {
      const a = new Stat();
      const supervisor = new OneForOneSupervisor({ services: [a], maxRestarts: 0 });
      const done = supervisor.runUntilComplete();
      await firstValueFrom(supervisor.ready$.pipe(filter(Boolean)));
      await a.crash(new Error('a'));
      await expectAsync(done).toBeRejectedWithError(MaxRestartsExceeded);
    });
  });
});
