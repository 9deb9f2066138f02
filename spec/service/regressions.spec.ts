// Bugs the spec suite found in the first core, each fixed and kept here as a regression test.
import { NEVER, finalize } from 'rxjs';
import { Service, ServiceProxy, type SupervisorStrategy, task } from '../../src/index.js';
import { LEVEL, aborted, captureLogger, context, deferred, isSettled, settle } from './fixtures.js';

class Proxied extends ServiceProxy {
  protected get service(): Service {
    return new Service({ name: 'Inner' });
  }
}

describe('Service regressions', () => {
  it('tracebacks(): a future shows the stack where it began (the code that called addFuture)', async () => {
    const svc = new Service({ name: 'Futures' });
    await svc.start();
    const pending = deferred();
    function spawnTheFutureHere() {
      return svc.addFuture(pending.promise);
    }
    void spawnTheFutureHere();
    const [stack] = Object.values(svc.tracebacks());
    expect(stack).toContain('spawnTheFutureHere');
    pending.resolve();
    await svc.stop();
  });

  it('tracebacks(): a task shows the stack where it began (the code that started the service)', async () => {
    class Worker extends Service {
      @task async loop(signal: AbortSignal) {
        await aborted(signal);
      }
    }
    const svc = new Worker();
    function startTheWorkerHere() {
      return svc.start();
    }
    await startTheWorkerHere();
    expect(svc.tracebacks()['Worker.loop']).toContain('startTheWorkerHere');
    await svc.stop();
  });

  it('ServiceProxy: a future added through the proxy is its target\'s (tracebacks show it, stop waits for it)', async () => {
    const proxy = new Proxied();
    await proxy.start();
    const pending = deferred();
    void proxy.addFuture(pending.promise);
    expect(Object.keys(proxy.tracebacks()).length).toBe(1);
    const stopping = proxy.stop();
    expect(await isSettled(stopping)).toBeFalse();
    pending.resolve();
    await stopping;
  });

  it('ServiceProxy: a supervisor set on the proxy supervises its target (the crash stays below it)', async () => {
    const app = new Service({ name: 'App' });
    const proxy = app.addDependency(new Proxied());
    proxy.supervisor = { childCrashed: () => undefined } as unknown as SupervisorStrategy;
    await app.start();
    await proxy.crash(new Error('inner failed'));
    expect(proxy.state).toBe('crashed');
    expect(app.state).toBe('running');
    await app.stop();
  });

  it("logs -Stopped! at mundaneLevel like Starting.../Stopping... (issue 2)", async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Web', logger });
    await svc.start();
    await svc.stop();
    expect(lines.filter((l) => l.msg === '-Stopped!').map((l) => l.level)).toEqual([LEVEL.info]);
  });

  it('stop during an Observable onStart that has not completed: start() ends and the hook is unsubscribed', async () => {
    let live = 0;
    class Slow extends Service {
      override onStart() {
        live++;
        return NEVER.pipe(finalize(() => live--));
      }
    }
    const svc = new Slow();
    const starting = svc.start();
    await svc.stop();
    expect(svc.state).toBe('shutdown');
    expect(live).toBe(0);
    expect(await isSettled(starting)).toBeTrue();
  });

  it('stop during a pending Promise onStart: a context the hook adds afterwards is still exited', async () => {
    const gate = deferred();
    const calls: string[] = [];
    class Slow extends Service {
      override async onStart() {
        await gate.promise;
        this.addContext(context(calls, 'late'));
      }
    }
    const svc = new Slow();
    const starting = svc.start();
    const stopping = svc.stop();
    gate.resolve();
    await starting;
    await stopping;
    await settle();
    expect(svc.state).toBe('shutdown');
    expect(calls).toEqual(['exit late']);
  });

  for (const hook of ['onStop', 'onShutdown'] as const) {
    it(`stop() awaited from inside ${hook} does not hang (API: stop from a hook must not hang)`, async () => {
      const svc = new Service();
      svc[hook] = async () => {
        await svc.stop();
      };
      await svc.start();
      const stopping = svc.stop();
      expect(await isSettled(stopping)).toBeTrue();
      expect(svc.state).toBe('shutdown');
    });
  }
});
