import { Observable } from 'rxjs';
import { Service, ServiceStateError, task } from '../../src/index.js';
import { Recorder, context, deferred, history, illegalStep, isSettled } from '../support/fixtures.js';

describe('Service state machine', () => {
  it('goes init → running → stopping → shutdown through start and stop', async () => {
    const svc = new Service({ name: 'Web' });
    const states = history(svc);
    expect(svc.state).toBe('init');
    await svc.start();
    expect(svc.state).toBe('running');
    expect(svc.started).toBeTrue();
    await svc.stop();
    expect(states).toEqual(['init', 'running', 'stopping', 'shutdown']);
    expect(svc.crashed).toBeFalse();
    expect(svc.shouldStop).toBeTrue();
  });

  it('says whether it started and whether it crashed, as its state says', async () => {
    const svc = new Service();
    expect([svc.started, svc.crashed]).toEqual([false, false]);
    await svc.start();
    expect([svc.started, svc.crashed]).toEqual([true, false]);
    await svc.crash(new Error('x'));
    expect([svc.started, svc.crashed]).toEqual([true, true]);
    svc.serviceReset();
    expect([svc.started, svc.crashed]).toEqual([false, false]);
  });

  it('replays the current state to a late subscriber of state$', async () => {
    const svc = new Service();
    await svc.start();
    expect(history(svc)).toEqual(['running']);
    await svc.stop();
  });

  it('does nothing on stop() before start: no hook runs and the state stays init', async () => {
    const calls: string[] = [];
    const svc = new Recorder(calls, 'Idle');
    const states = history(svc);
    await svc.stop();
    expect(svc.state).toBe('init');
    expect(states).toEqual(['init']);
    expect(calls).toEqual([]);
    expect(svc.shouldStop).toBeFalse();
    expect(svc.signal.aborted).toBeFalse();
    // and it still starts normally afterwards
    await svc.start();
    expect(svc.state).toBe('running');
    await svc.stop();
    expect(svc.state).toBe('shutdown');
  });

  it('resolves a second stop() only when the first one completes, running the teardown once', async () => {
    const gate = deferred();
    let onStopCalls = 0;
    class Slow extends Service {
      override onStop() {
        onStopCalls++;
        return gate.promise;
      }
    }
    const svc = new Slow();
    await svc.start();
    const first = svc.stop();
    const second = svc.stop();
    expect(await isSettled(first)).toBeFalse();
    expect(await isSettled(second)).toBeFalse();
    expect(svc.state).toBe('stopping');
    gate.resolve();
    await Promise.all([first, second]);
    expect(onStopCalls).toBe(1);
    expect(svc.state).toBe('shutdown');
    // a third, after the end, resolves at once
    await svc.stop();
    expect(onStopCalls).toBe(1);
  });

  it('rejects every concurrent stop() with the failure of the one teardown', async () => {
    const boom = new Error('stop failed');
    const gate = deferred();
    class Failing extends Service {
      override async onStop() {
        await gate.promise;
        throw boom;
      }
    }
    const svc = new Failing();
    await svc.start();
    const first = svc.stop();
    const second = svc.stop();
    gate.resolve();
    await expectAsync(first).toBeRejectedWith(boom);
    await expectAsync(second).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
  });

  it('tears down a crashed service on stop() and leaves it crashed', async () => {
    const calls: string[] = [];
    const svc = new Recorder(calls, 'Broken');
    const states = history(svc);
    await svc.start();
    svc.addContext(context(calls, 'ctx'));
    const boom = new Error('boom');
    await svc.crash(boom);
    expect(svc.state).toBe('crashed');
    calls.length = 0;
    await svc.stop();
    expect(calls).toEqual(['Broken.onStop', 'exit ctx', 'Broken.onShutdown']);
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
    expect(states).toEqual(['init', 'running', 'crashed']);
  });

  for (const [name, reach] of [
    ['running', async (svc: Service) => svc.start()],
    ['shutdown', async (svc: Service) => { await svc.start(); await svc.stop(); }],
    ['crashed', async (svc: Service) => { await svc.start(); await svc.crash(new Error('x')); }],
  ] as const) {
    it(`rejects start() on a ${name} service with a ServiceStateError naming the label and the state`, async () => {
      const svc = new Service({ name: 'Cache' });
      await reach(svc);
      const states = history(svc);
      let error: unknown;
      try {
        await svc.start();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ServiceStateError);
      expect((error as Error).message).toContain('Cache');
      expect((error as Error).message).toContain(name);
      expect((error as ServiceStateError).state).toBe(name);
      expect(states).toEqual([name]);
      await svc.stop();
    });
  }

  it('rejects start() while stopping with a ServiceStateError', async () => {
    const gate = deferred();
    class Slow extends Service {
      override onStop() {
        return gate.promise;
      }
    }
    const svc = new Slow({ name: 'Slow' });
    await svc.start();
    const stopping = svc.stop();
    await expectAsync(svc.start()).toBeRejectedWithError(ServiceStateError, /Slow.*stopping/);
    gate.resolve();
    await stopping;
  });

  it('throws on serviceReset() of a running or stopping service', async () => {
    const gate = deferred();
    class Slow extends Service {
      override onStop() {
        return gate.promise;
      }
    }
    const svc = new Slow({ name: 'Busy' });
    await svc.start();
    expect(() => svc.serviceReset()).toThrowError(ServiceStateError, /Busy/);
    const stopping = svc.stop();
    expect(svc.state).toBe('stopping');
    expect(() => svc.serviceReset()).toThrowError(ServiceStateError, /Busy/);
    expect(svc.restartCount).toBe(0);
    gate.resolve();
    await stopping;
  });

  it('resets a shutdown or crashed service to init with restartCount + 1, children too', async () => {
    const parent = new Service({ name: 'P' });
    const child = parent.addDependency(new Service({ name: 'C' }));
    await parent.start();
    await parent.stop();
    parent.serviceReset();
    expect(parent.state).toBe('init');
    expect(child.state).toBe('init');
    expect(parent.restartCount).toBe(1);
    expect(child.restartCount).toBe(1);
    await parent.start();
    await parent.crash(new Error('x'));
    parent.serviceReset();
    expect(parent.state).toBe('init');
    expect(parent.crashReason).toBeUndefined();
    expect(parent.restartCount).toBe(2);
    expect(parent.signal.aborted).toBeFalse();
    expect(parent.shouldStop).toBeFalse();
  });

  it('restarts through stopping, shutdown and init, with a fresh signal', async () => {
    const svc = new Service();
    const states = history(svc);
    await svc.start();
    const firstSignal = svc.signal;
    await svc.restart();
    expect(states).toEqual(['init', 'running', 'stopping', 'shutdown', 'init', 'running']);
    expect(firstSignal.aborted).toBeTrue();
    expect(svc.signal.aborted).toBeFalse();
    expect(svc.restartCount).toBe(1);
    await svc.stop();
  });

  it('restarts a crashed service: crashed → init → running', async () => {
    const svc = new Service();
    const states = history(svc);
    await svc.start();
    await svc.crash(new Error('x'));
    await svc.restart();
    expect(states).toEqual(['init', 'running', 'crashed', 'init', 'running']);
    expect(svc.crashReason).toBeUndefined();
    await svc.stop();
  });

  it('maybeStart() starts only from init and says whether it did', async () => {
    const svc = new Service();
    expect(await svc.maybeStart()).toBeTrue();
    expect(await svc.maybeStart()).toBeFalse();
    expect(svc.state).toBe('running');
    await svc.stop();
    expect(await svc.maybeStart()).toBeFalse();
    expect(svc.state).toBe('shutdown');
  });

  it('has ready$ true only between onStarted and the stop', async () => {
    const seen: boolean[] = [];
    const gate = deferred();
    class Slow extends Service {
      override onStarted() {
        return gate.promise;
      }
    }
    const svc = new Slow();
    svc.ready$.subscribe((ready) => seen.push(ready));
    const starting = svc.start();
    expect(svc.state).toBe('running');
    expect(seen).toEqual([false]);
    gate.resolve();
    await starting;
    expect(seen).toEqual([false, true]);
    await svc.stop();
    expect(seen).toEqual([false, true, false]);
  });

  it('sets ready$ false on a crash', async () => {
    const svc = new Service();
    const seen: boolean[] = [];
    svc.ready$.subscribe((ready) => seen.push(ready));
    await svc.start();
    await svc.crash(new Error('x'));
    expect(seen).toEqual([false, true, false]);
  });

  it('emits stopped$ once, with the signal already aborted, within the stop() call', async () => {
    const svc = new Service();
    await svc.start();
    const emissions: boolean[] = [];
    let completed = false;
    svc.stopped$.subscribe({ next: () => emissions.push(svc.signal.aborted), complete: () => (completed = true) });
    expect(emissions).toEqual([]);
    expect(svc.signal.aborted).toBeFalse();
    const stopping = svc.stop();
    expect(emissions).toEqual([true]);
    expect(svc.signal.aborted).toBeTrue();
    expect(completed).toBeTrue();
    await stopping;
    // a late subscriber hears it at once
    const late: number[] = [];
    svc.stopped$.subscribe(() => late.push(1));
    expect(late).toEqual([1]);
  });

  it('resolves waitUntilStopped() on shutdown and on crash', async () => {
    const a = new Service();
    await a.start();
    const untilA = a.waitUntilStopped();
    expect(await isSettled(untilA)).toBeFalse();
    await a.stop();
    await expectAsync(untilA).toBeResolved();

    const b = new Service();
    await b.start();
    const untilB = b.waitUntilStopped();
    await b.crash(new Error('x'));
    await expectAsync(untilB).toBeResolved();
  });

  it('stops through [Symbol.asyncDispose]', async () => {
    const svc = new Service();
    await svc.start();
    await svc[Symbol.asyncDispose]();
    expect(svc.state).toBe('shutdown');
  });

  it('ends start() at the next step when stop() is called from onStart', async () => {
    const calls: string[] = [];
    class SelfStop extends Recorder {
      override async onStart() {
        this.rec('onStart');
        await this.stop();
      }
    }
    const parent = new SelfStop(calls, 'P');
    parent.addDependency(new Recorder(calls, 'C'));
    const states = history(parent);
    await parent.start();
    expect(calls).toEqual(['P.onFirstStart', 'P.onStart', 'P.onStop', 'P.onShutdown']);
    expect(states).toEqual(['init', 'running', 'stopping', 'shutdown']);
    expect(parent.children[0]!.state).toBe('init');
  });

  it('never starts tasks or children when stopped while onStart is pending', async () => {
    const gate = deferred();
    let subscribed = 0;
    class Slow extends Service {
      override onStart() {
        return gate.promise;
      }
      @task work() {
        return new Observable(() => void subscribed++);
      }
    }
    const svc = new Slow();
    const child = svc.addDependency(new Service());
    const starting = svc.start();
    // The stop waits for the pending onStart (API.md), so the gate opens before it ends.
    const stopping = svc.stop();
    gate.resolve();
    await stopping;
    await starting;
    expect(subscribed).toBe(0);
    expect(child.state).toBe('init');
    expect(svc.state).toBe('shutdown');
  });

  it('makes only legal transitions under a mix of operations', async () => {
    const parent = new Service({ name: 'P' });
    const child = parent.addDependency(new Service({ name: 'C' }));
    const seen = [history(parent), history(child)];
    await parent.start();
    await parent.restart();
    await child.crash(new Error('x'));
    await parent.stop();
    await parent.restart();
    const extra = await parent.addRuntimeDependency(new Service({ name: 'E' }));
    seen.push(history(extra));
    await parent.removeDependency(child);
    await parent.stop();
    for (const states of seen) expect(illegalStep(states)).toBeUndefined();
    expect(seen[0]).toEqual(['init', 'running', 'stopping', 'shutdown', 'init', 'running', 'crashed', 'init', 'running', 'stopping', 'shutdown']);
  });

  it('keeps stopped$ silent on a service that never starts', () => {
    const svc = new Service();
    let emitted = false;
    const sub = svc.stopped$.subscribe(() => (emitted = true));
    expect(emitted).toBeFalse();
    expect(svc.signal.aborted).toBeFalse();
    sub.unsubscribe();
  });
});
