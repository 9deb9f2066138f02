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

  it('exits a context added after the stop exited the others at once: nothing stays entered', async () => {
    const calls: string[] = [];
    const svc = new Service();
    await svc.start();
    await svc.stop();
    svc.addContext(context(calls, 'sync'));
    expect(calls).toEqual(['exit sync']);
    await svc.addAsyncContext(asyncContext(calls, 'async'));
    expect(calls).toEqual(['exit sync', 'exit async']);
    // The same for a leaf with nothing to exit at its stop (the stop's shortest path).
    const leaf = new Service();
    await leaf.start();
    await leaf.stop();
    leaf.addContext(context(calls, 'leaf'));
    expect(calls).toEqual(['exit sync', 'exit async', 'exit leaf']);
    // And for a parent whose teardown had children to stop but nothing after them.
    const parent = new Service();
    parent.addDependency(new Service());
    await parent.start();
    await parent.stop();
    parent.addContext(context(calls, 'parent'));
    expect(calls).toEqual(['exit sync', 'exit async', 'exit leaf', 'exit parent']);
  });

  it('exits at once a context that onShutdown adds, after the others were exited', async () => {
    const calls: string[] = [];
    class Late extends Service {
      override onShutdown() {
        this.addContext(context(calls, 'from onShutdown'));
        calls.push('onShutdown done');
      }
    }
    const svc = new Late();
    await svc.start();
    svc.addContext(context(calls, 'early'));
    await svc.stop();
    expect(calls).toEqual(['exit early', 'exit from onShutdown', 'onShutdown done']);
  });

  it('says what it got instead of a context: its class, the object, or the value', async () => {
    const svc = new Service({ name: 'Host' });
    class Pool {
      async [Symbol.asyncDispose]() {}
    }
    expect(() => svc.addContext({} as Disposable)).toThrowError(TypeError, 'Host.addContext: an object {} is not a Disposable (no [Symbol.dispose]())');
    // A look-alike shows its keys: what tells it from a Disposable.
    expect(() => svc.addContext({ dispose() {} } as unknown as Disposable)).toThrowError(
      TypeError,
      'Host.addContext: an object {dispose} is not a Disposable (no [Symbol.dispose]())',
    );
    for (const [value, named] of [[null, 'null'], [undefined, 'undefined'], [Object.create(null), 'an object {}']] as const) {
      expect(() => svc.addContext(value as unknown as Disposable)).toThrowError(
        TypeError,
        `Host.addContext: ${named} is not a Disposable (no [Symbol.dispose]())`,
      );
    }
    expect(() => svc.addContext(new Pool() as unknown as Disposable)).toThrowError(
      TypeError,
      `Host.addContext: a ${Pool.name} is an AsyncDisposable; use await addAsyncContext(ctx)`, // renamed in a bundle
    );
    await expectAsync(svc.addAsyncContext('x' as unknown as AsyncDisposable)).toBeRejectedWithError(
      TypeError,
      "Host.addAsyncContext: 'x' is not an AsyncDisposable (no [Symbol.asyncDispose]())",
    );
    await expectAsync(svc.addAsyncContext({ [Symbol.dispose]() {} } as unknown as AsyncDisposable)).toBeRejectedWithError(
      TypeError,
      'Host.addAsyncContext: an object {} is a plain Disposable; use addContext(ctx)', // its key is a symbol
    );
  });

  it('takes a function that has [Symbol.dispose] as a context', async () => {
    const calls: string[] = [];
    const handle = Object.assign(() => undefined, { [Symbol.dispose]: () => void calls.push('exit fn') });
    const svc = new Service();
    await svc.start();
    expect(svc.addContext(handle)).toBe(handle);
    await svc.stop();
    expect(calls).toEqual(['exit fn']);
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
