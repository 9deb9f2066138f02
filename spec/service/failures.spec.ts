import { Observable, throwError } from 'rxjs';
import { Service, task } from '../../src/index.js';
import { Recorder, asyncContext, context, history } from '../support/fixtures.js';

type Fail = (error: Error) => unknown;
const ways: [string, Fail][] = [
  ['throws', (error) => { throw error; }],
  ['returns a rejected Promise', (error) => Promise.reject(error)],
  ['returns a failing Observable', (error) => throwError(() => error)],
];

describe('Service start failures', () => {
  for (const [how, fail] of ways) {
    it(`rolls back when onStart ${how}: crashed, contexts exited, start rejects`, async () => {
      const calls: string[] = [];
      const boom = new Error(`onStart ${how}`);
      class Failing extends Recorder {
        override onFirstStart() {
          this.addContext(context(calls, 'sync'));
        }
        override onStart() {
          return fail(boom) as never;
        }
      }
      const svc = new Failing(calls, 'F');
      const child = svc.addDependency(new Service({ name: 'C' }));
      const states = history(svc);
      await expectAsync(svc.start()).toBeRejectedWith(boom);
      expect(svc.state).toBe('crashed');
      expect(svc.crashReason).toBe(boom);
      expect(states).toEqual(['init', 'running', 'crashed']);
      expect(calls).toContain('exit sync');
      expect(child.state).toBe('init');
      expect(svc.signal.aborted).toBeTrue();
    });
  }

  it('rolls back when onFirstStart fails', async () => {
    const boom = new Error('first');
    let onStart = 0;
    class Failing extends Service {
      override onFirstStart() {
        throw boom;
      }
      override onStart() {
        onStart++;
      }
    }
    const svc = new Failing();
    await expectAsync(svc.start()).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
    expect(onStart).toBe(0);
  });

  it('rolls back when onInitDependencies throws', async () => {
    const boom = new Error('deps');
    class Failing extends Service {
      override onInitDependencies(): Iterable<Service> {
        throw boom;
      }
    }
    const svc = new Failing();
    await expectAsync(svc.start()).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(boom);
  });

  it('rolls back a failing child start: started children stopped, later ones untouched', async () => {
    const calls: string[] = [];
    const boom = new Error('child failed');
    class FailingChild extends Recorder {
      override onStart() {
        this.rec('onStart');
        throw boom;
      }
    }
    let live = 0;
    class Parent extends Recorder {
      override onStart() {
        this.rec('onStart');
        this.addContext(context(calls, 'P ctx'));
      }
      @task ticking() {
        return new Observable(() => {
          live++;
          return () => void live--;
        });
      }
    }
    const parent = new Parent(calls, 'P');
    const c1 = parent.addDependency(new Recorder(calls, 'C1'));
    const c2 = parent.addDependency(new FailingChild(calls, 'C2'));
    const c3 = parent.addDependency(new Recorder(calls, 'C3'));
    await expectAsync(parent.start()).toBeRejectedWith(boom);
    expect(parent.state).toBe('crashed');
    expect(parent.crashReason).toBe(boom);
    expect(c1.state).toBe('shutdown');
    expect(c2.state).toBe('crashed');
    expect(c3.state).toBe('init');
    expect(live).toBe(0);
    expect(calls).toContain('exit P ctx');
    expect(calls).toContain('C1.onStop');
    expect(calls).not.toContain('C3.onStart');
    expect(calls).not.toContain('P.onStarted');
  });

  it('rolls back a failing onStarted: tasks ended, children stopped, contexts exited', async () => {
    const calls: string[] = [];
    const boom = new Error('onStarted');
    let live = 0;
    class Failing extends Recorder {
      override onStart() {
        this.rec('onStart');
        this.addContext(context(calls, 'ctx'));
      }
      override onStarted() {
        throw boom;
      }
      @task ticking() {
        return new Observable(() => {
          live++;
          return () => void live--;
        });
      }
    }
    const svc = new Failing(calls, 'F');
    const child = svc.addDependency(new Recorder(calls, 'C'));
    const starting = svc.start();
    await expectAsync(starting).toBeRejectedWith(boom);
    expect(svc.state).toBe('crashed');
    expect(child.state).toBe('shutdown');
    expect(live).toBe(0);
    expect(calls).toContain('exit ctx');
    expect(calls.indexOf('C.onStop')).toBeGreaterThan(calls.indexOf('C.onStarted'));
  });
});

describe('Service start failures, what the start rejects with', () => {
  for (const reason of [null, 'no disk', 0]) {
    it(`rejects with ${JSON.stringify(reason)} itself when a child fails with it, and crashes the tree`, async () => {
      class Failing extends Service {
        override onStart() {
          throw reason;
        }
      }
      const parent = new Service();
      const child = parent.addDependency(new Failing());
      await expectAsync(parent.start()).toBeRejectedWith(reason);
      expect([parent.state, child.state]).toEqual(['crashed', 'crashed']);
      expect(parent.crashReason).toBe(reason);
    });
  }
});

describe('Service stop failures', () => {
  for (const [how, fail] of ways) {
    it(`finishes the teardown when onStop ${how}, then ends crashed and rejects`, async () => {
      const calls: string[] = [];
      const boom = new Error(`onStop ${how}`);
      class Failing extends Recorder {
        override onStart() {
          this.addContext(context(calls, 'ctx'));
        }
        override onStop() {
          this.rec('onStop');
          return fail(boom) as never;
        }
      }
      const svc = new Failing(calls, 'F');
      const child = svc.addDependency(new Recorder(calls, 'C'));
      const states = history(svc);
      await svc.start();
      calls.length = 0;
      await expectAsync(svc.stop()).toBeRejectedWith(boom);
      expect(calls).toEqual(['F.onStop', 'C.onStop', 'C.onShutdown', 'exit ctx', 'F.onShutdown']);
      expect(child.state).toBe('shutdown');
      expect(svc.state).toBe('crashed');
      expect(svc.crashReason).toBe(boom);
      expect(states).toEqual(['init', 'running', 'stopping', 'crashed']);
    });
  }

  it('still stops the other children when one fails to stop, and rejects with its error', async () => {
    const calls: string[] = [];
    const boom = new Error('child stop');
    class FailingChild extends Recorder {
      override onStop() {
        this.rec('onStop');
        throw boom;
      }
    }
    const parent = new Recorder(calls, 'P');
    const c1 = parent.addDependency(new Recorder(calls, 'C1'));
    const c2 = parent.addDependency(new FailingChild(calls, 'C2'));
    const c3 = parent.addDependency(new Recorder(calls, 'C3'));
    await parent.start();
    calls.length = 0;
    await expectAsync(parent.stop()).toBeRejectedWith(boom);
    expect(calls).toEqual([
      'P.onStop',
      'C3.onStop', 'C3.onShutdown',
      'C2.onStop', 'C2.onShutdown',
      'C1.onStop', 'C1.onShutdown',
      'P.onShutdown',
    ]);
    expect(c1.state).toBe('shutdown');
    expect(c2.state).toBe('crashed');
    expect(c3.state).toBe('shutdown');
    expect(parent.state).toBe('crashed');
    expect(parent.crashReason).toBe(boom);
  });

  for (const [how, fail] of ways) {
    it(`ends crashed and rejects when onShutdown ${how}`, async () => {
      const boom = new Error(`onShutdown ${how}`);
      class Failing extends Service {
        override onShutdown() {
          return fail(boom) as never;
        }
      }
      const svc = new Failing();
      await svc.start();
      await expectAsync(svc.stop()).toBeRejectedWith(boom);
      expect(svc.state).toBe('crashed');
      expect(svc.crashReason).toBe(boom);
    });
  }

  it('rejects with the failure itself when the only one is a child’s, in a parent without hooks', async () => {
    const jammed = new Error('jammed');
    class Stuck extends Service {
      override onStop() {
        throw jammed;
      }
    }
    const parent = new Service();
    parent.addDependency(new Service());
    parent.addDependency(new Stuck());
    await parent.start();
    await expectAsync(parent.stop()).toBeRejectedWith(jammed);
    expect(parent.crashReason).toBe(jammed);
  });

  it('rejects with an AggregateError of every failure, in teardown order', async () => {
    const e1 = new Error('onStop');
    const e2 = new Error('context');
    const e3 = new Error('onShutdown');
    class Failing extends Service {
      override onStart() {
        this.addContext({ [Symbol.dispose]: () => { throw e2; } });
      }
      override onStop() {
        throw e1;
      }
      override onShutdown() {
        throw e3;
      }
    }
    const svc = new Failing({ name: 'Multi' });
    await svc.start();
    let error: unknown;
    await svc.stop().catch((e: unknown) => (error = e));
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual([e1, e2, e3]);
    expect(svc.crashReason).toBe(error);
    expect(svc.state).toBe('crashed');
  });

  it('exits the other contexts when one fails to exit', async () => {
    const calls: string[] = [];
    const boom = new Error('exit');
    const svc = new Service();
    await svc.start();
    svc.addContext(context(calls, 'first'));
    await svc.addAsyncContext({ [Symbol.asyncDispose]: () => Promise.reject(boom) });
    await svc.addAsyncContext(asyncContext(calls, 'last'));
    await expectAsync(svc.stop()).toBeRejectedWith(boom);
    expect(calls).toEqual(['exit last', 'exit first']);
    expect(svc.state).toBe('crashed');
  });
});
