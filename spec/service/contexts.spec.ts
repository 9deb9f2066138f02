import { Service } from '../../src/index.js';
import { Recorder, asyncContext, context, deferred, isSettled } from '../support/fixtures.js';

describe('Service contexts', () => {
  it('exits sync and async contexts in reverse order on stop, each async one awaited before the next', async () => {
    const calls: string[] = [];
    const svc = new Service();
    await svc.start();
    const a = context(calls, 'a');
    expect(svc.addContext(a)).toBe(a);
    const b = asyncContext(calls, 'b');
    expect(await svc.addAsyncContext(b)).toBe(b);
    svc.addContext(context(calls, 'c'));
    await svc.addAsyncContext(asyncContext(calls, 'd'));
    await svc.stop();
    expect(calls).toEqual(['exit d', 'exit c', 'exit b', 'exit a']);
  });

  it('exits contexts after the children stopped and before onShutdown', async () => {
    const calls: string[] = [];
    class Host extends Recorder {
      override onStart() {
        this.addContext(context(calls, 'ctx'));
      }
    }
    const svc = new Host(calls, 'H');
    svc.addDependency(new Recorder(calls, 'C'));
    await svc.start();
    calls.length = 0;
    await svc.stop();
    expect(calls).toEqual(['H.onStop', 'C.onStop', 'C.onShutdown', 'exit ctx', 'H.onShutdown']);
  });

  it('waits for an async context to finish exiting before the stop completes', async () => {
    const gate = deferred();
    const svc = new Service();
    await svc.start();
    await svc.addAsyncContext({ [Symbol.asyncDispose]: () => gate.promise });
    const stopping = svc.stop();
    expect(await isSettled(stopping)).toBeFalse();
    expect(svc.state).toBe('stopping');
    gate.resolve();
    await stopping;
    expect(svc.state).toBe('shutdown');
  });

  it('exits each context once per run, and not again on the next stop', async () => {
    let exits = 0;
    class Host extends Service {
      override onStart() {
        this.addContext({ [Symbol.dispose]: () => void exits++ });
      }
    }
    const svc = new Host();
    await svc.start();
    await svc.restart();
    expect(exits).toBe(1);
    await svc.stop();
    expect(exits).toBe(2);
    await svc.stop();
    expect(exits).toBe(2);
  });

  it('throws a TypeError naming the wrong kind when addContext gets an AsyncDisposable', () => {
    const svc = new Service({ name: 'Host' });
    class Pool {
      async [Symbol.asyncDispose]() {}
    }
    expect(() => svc.addContext(new Pool() as unknown as Disposable)).toThrowError(TypeError, /Pool.*AsyncDisposable.*addAsyncContext/);
  });

  it('rejects with a TypeError naming the wrong kind when addAsyncContext gets a plain Disposable', async () => {
    const svc = new Service({ name: 'Host' });
    class Lock {
      [Symbol.dispose]() {}
    }
    await expectAsync(svc.addAsyncContext(new Lock() as unknown as AsyncDisposable)).toBeRejectedWithError(
      TypeError,
      /Lock.*Disposable.*addContext/,
    );
  });

  it('throws a TypeError for something that is neither', async () => {
    const svc = new Service({ name: 'Host' });
    expect(() => svc.addContext({} as Disposable)).toThrowError(TypeError, /Host\.addContext.*not a Disposable/);
    expect(() => svc.addContext(null as unknown as Disposable)).toThrowError(TypeError, /null/);
    await expectAsync(svc.addAsyncContext(42 as unknown as AsyncDisposable)).toBeRejectedWithError(TypeError, /42/);
  });

  it('exits the contexts of a crashed service when it is stopped', async () => {
    const calls: string[] = [];
    const svc = new Service();
    await svc.start();
    svc.addContext(context(calls, 'sync'));
    await svc.addAsyncContext(asyncContext(calls, 'async'));
    await svc.crash(new Error('x'));
    await svc.stop();
    expect(calls).toEqual(['exit async', 'exit sync']);
  });
});
