import fc from 'fast-check';
import { NEVER, type Observable, filter, finalize } from 'rxjs';
import { OneForOneSupervisor, Service, ServiceProxy, type ServiceState, task, timer } from '../../src/index.js';
import { type LifecycleCommand, LifecycleFailure, checkLifecycle, lifecycleCommands } from '../../src/testing/index.js';
import { failureOf } from '../support/fixtures.js';

// checkLifecycle and lifecycleCommands (rxmode/testing) on services written the way users
// write them: a correct one passes, each planted bug fails with its short sequence.
// Runs in Node and in Chromium.

/** A worker with the three kinds of declared work: a timer, an Observable task, a Promise task. */
class Poller extends Service {
  polls = 0;
  @timer('2ms') poll() {
    this.polls++;
  }
  @task watch() {
    return NEVER.pipe(finalize(() => undefined));
  }
  @task async hold() {
    await this.sleep('1h');
  }
}

class Connection extends Service {}

/** Two children added once, a connection made for each run and removed when it stops. */
class App extends Service {
  connection?: Connection;
  opened = false;

  constructor() {
    super({ name: 'App' });
    this.addDependency(new Poller({ name: 'P1' }));
    this.addDependency(new Poller({ name: 'P2' }));
  }

  override async onStart() {
    if (this.opened) throw new Error('already connected');
    this.opened = true;
    this.connection = await this.addRuntimeDependency(new Connection({ name: 'Connection' }));
    this.addContext({ [Symbol.dispose]: () => undefined });
  }

  override async onStop() {
    await this.removeDependency(this.connection!);
    this.connection = undefined;
    this.opened = false;
  }
}

/** The restart bug: onStop forgets to reset `opened`, so the next start refuses. */
class ForgetfulApp extends App {
  override async onStop() {
    await this.removeDependency(this.connection!);
  }
}

/** The child left running: onStop lets go of the connection without stopping it. */
class LeakyApp extends App {
  override async onStop() {
    this.connection!.beacon.detach();
    this.connection = undefined;
    this.opened = false;
  }
}

/** A task that fails soon after the start: the service crashes on its own. */
class Flaky extends Service {
  @task async fetch() {
    await Promise.resolve();
    throw new Error('connection refused');
  }
}

/** A run of 100 sequences takes about a second on a busy machine: room for a slow one. */
const FULL_RUN = 20_000;

describe('checkLifecycle', () => {
  it('passes a correct service with timers, tasks, children and a dependency made each run', async () => {
    await expectAsync(checkLifecycle(() => new App())).toBeResolved();
  }, FULL_RUN);

  it('passes a correct tree with a supervisor inside', async () => {
    const factory = () => {
      const root = new Service({ name: 'Root' });
      root.addDependency(new OneForOneSupervisor({ services: [new Poller({ name: 'A' }), new Poller({ name: 'B' })] }));
      return root;
    };
    await expectAsync(checkLifecycle(factory, { numRuns: 50 })).toBeResolved();
  }, FULL_RUN);

  it('passes a correct ServiceProxy, following the service behind it', async () => {
    class Front extends ServiceProxy {
      protected get service() {
        return new App();
      }
    }
    await expectAsync(checkLifecycle(() => new Front({ name: 'Front' }), { numRuns: 50 })).toBeResolved();
    const error = await failureOf(
      checkLifecycle(() => {
        class LeakyFront extends ServiceProxy {
          protected get service() {
            return new LeakyApp();
          }
        }
        return new LeakyFront({ name: 'LeakyFront' });
      }),
    );
    expect(error.message).toContain('checkLifecycle: LeakyFront fails after start\n');
    expect(error.message).toContain('Connection is running; the model expected shutdown');
  }, FULL_RUN);

  it('finds the restart bug in two calls, with the service\'s own error, its seed and path', async () => {
    const error = await failureOf(checkLifecycle(() => new ForgetfulApp()));
    expect(error.message).toContain('checkLifecycle: App fails after start, restart\n');
    expect(error.message).toContain('restart rejected with Error: already connected');
    expect(error.message).toMatch(/replay: checkLifecycle\(factory, \{ seed: -?\d+, path: "\d+(:\d+)*" \}\)/);
    expect(error.cause).toEqual(new Error('already connected'));
  });

  it('replays a failure from the seed and path it printed', async () => {
    const first = await failureOf(checkLifecycle(() => new ForgetfulApp(), { numRuns: 30 }));
    const [, seed, path] = /seed: (-?\d+), path: "([\d:]+)"/.exec(first.message)!;
    const again = await failureOf(checkLifecycle(() => new ForgetfulApp(), { seed: Number(seed), path }));
    expect(again.message.split('\n')[0]).toBe(first.message.split('\n')[0]!);
  });

  it('finds a child left running after its parent stopped', async () => {
    const error = await failureOf(checkLifecycle(() => new LeakyApp()));
    expect(error.message).toContain('checkLifecycle: App fails after start\n');
    expect(error.message).toContain('after the final stop of App, Connection is running; the model expected shutdown');
  });

  it('finds a service that crashes on its own, in one call, with its crash reason', async () => {
    const error = await failureOf(checkLifecycle(() => new Flaky({ name: 'Flaky' })));
    expect(error.message).toContain('checkLifecycle: Flaky fails after start\n');
    expect(error.message).toContain('after start, Flaky is crashed, crashed with Error: connection refused; the model expected running');
    expect(error.cause).toEqual(new Error('connection refused'));
  });

  it('finds a start that resolves where the state machine refuses it', async () => {
    // The bug: start() swallows the ServiceStateError of a service already started.
    class Lenient extends Service {
      override async start(): Promise<void> {
        if (this.state === 'init') await super.start();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Lenient({ name: 'Lenient' })));
    expect(error.message).toContain('checkLifecycle: Lenient fails after start, start\n');
    expect(error.message).toContain('start resolved, but the model expected a ServiceStateError');
  });

  it('finds a state$ that skips a state: a transition the state machine does not have', async () => {
    // The bug: state$ overridden to hide 'stopping' (say, for a UI), so running → shutdown.
    class Quiet extends Service {
      override get state$(): Observable<ServiceState> {
        return super.state$.pipe(filter((state) => state !== 'stopping'));
      }
    }
    const error = await failureOf(checkLifecycle(() => new Quiet({ name: 'Quiet' })));
    expect(error.message).toMatch(/Quiet went from running to shutdown, which the state machine does not have \(init → running → shutdown\)/);
  });

  it('finds a restart count that does not count', async () => {
    class Forgetful extends Service {
      override get restartCount(): number {
        return 0;
      }
    }
    const error = await failureOf(checkLifecycle(() => new Forgetful({ name: 'Forgetful' })));
    expect(error.message).toContain('checkLifecycle: Forgetful fails after restart\n');
    expect(error.message).toContain('after restart, Forgetful.restartCount is 0; the model expected 1');
  });

  it('finds children stopped in their start order rather than in reverse', async () => {
    // The bug: onStop stops the children itself, in the order they were added.
    class Eager extends Service {
      readonly first = this.addDependency(new Service({ name: 'First' }));
      readonly second = this.addDependency(new Service({ name: 'Second' }));
      override async onStop(): Promise<void> {
        await this.first.stop();
        await this.second.stop();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Eager({ name: 'Eager' })));
    expect(error.message).toContain('stopped the children of Eager as First, Second; reverse start order is Second, First');
  });

  it('reports a factory that throws, before any call', async () => {
    const error = await failureOf(
      checkLifecycle(() => {
        throw new Error('no config');
      }),
    );
    expect(error.message).toContain('fails before any call\n  the factory threw Error: no config');
    expect(error.cause).toEqual(new Error('no config'));
  });

  it('rejects a factory that does not make a fresh service each time, with a TypeError', async () => {
    const one = new App();
    await expectAsync(checkLifecycle(() => one)).toBeRejectedWithError(TypeError, /the factory returned App a second time/);
    await expectAsync(checkLifecycle(() => 42 as unknown as Service)).toBeRejectedWithError(TypeError, /the factory returned 42, not a Service/);
  });

  it('rejects bad options with a TypeError naming the value', async () => {
    await expectAsync(checkLifecycle('App' as unknown as () => Service)).toBeRejectedWithError(TypeError, /first argument .* got 'App'/);
    await expectAsync(checkLifecycle(() => new App(), { numRuns: 0 })).toBeRejectedWithError(TypeError, /numRuns .* got 0/);
    await expectAsync(checkLifecycle(() => new App(), { maxCommands: 2.5 })).toBeRejectedWithError(TypeError, /maxCommands .* got 2.5/);
    await expectAsync(checkLifecycle(() => new App(), { targets: 'all' as 'tree' })).toBeRejectedWithError(TypeError, /targets .* got 'all'/);
    await expectAsync(checkLifecycle(() => new App(), { path: 'x' })).toBeRejectedWithError(TypeError, /path .* got 'x'/);
  });

  it('says that handles: true needs Node where the runtime cannot list its handles', async () => {
    const process = (globalThis as { process?: { getActiveResourcesInfo?: unknown } }).process;
    const saved = process?.getActiveResourcesInfo;
    if (process) process.getActiveResourcesInfo = undefined;
    try {
      await expectAsync(checkLifecycle(() => new App(), { handles: true })).toBeRejectedWithError(Error, /handles: true needs Node/);
      expect(() => lifecycleCommands(() => new App(), { handles: true })).toThrowError(/handles: true needs Node/);
    } finally {
      if (process) process.getActiveResourcesInfo = saved;
    }
  });

  it('leaves rxmode\'s root logger as it found it', async () => {
    const { rootLogger } = await import('../../src/logging/logger.js');
    const before = rootLogger();
    await checkLifecycle(() => new Flaky({ name: 'Flaky' })).catch(() => undefined);
    expect(rootLogger()).toBe(before);
  });
});

/** A cache whose lookups the user's own command makes; the leaky one never settles a future. */
class Cache extends Service {
  static override stopTimeout = '20ms';
  lookups = 0;
  lookup(): void {
    this.lookups++;
  }
}
class LeakyCache extends Cache {
  override lookup(): void {
    void this.addFuture(new Promise<void>(() => undefined)); // never settles: the bug
  }
}

const lookup: fc.Arbitrary<LifecycleCommand<Cache>> = fc.constant({
  check: () => true,
  run: async (_model, real) => {
    if (real.service.state === 'running') real.service.lookup();
  },
  toString: () => 'lookup',
});

describe('lifecycleCommands', () => {
  it('runs with fast-check\'s own asyncModelRun, mixing in the user\'s commands', async () => {
    let lookups = 0;
    const { commands, setup } = lifecycleCommands(() => new Cache(), {
      commands: [lookup],
      check: (real) => void (lookups = Math.max(lookups, real.service.lookups)),
    });
    await expectAsync(fc.assert(fc.asyncProperty(commands, (cmds) => fc.asyncModelRun(setup, cmds)), { numRuns: 50 })).toBeResolved();
    expect(lookups).toBeGreaterThan(0);
  }, FULL_RUN);

  it('finds what the user\'s own command leaves behind', async () => {
    const { commands, setup } = lifecycleCommands(() => new LeakyCache({ name: 'LeakyCache' }), { commands: [lookup] });
    const details = await fc.check(fc.asyncProperty(commands, (cmds) => fc.asyncModelRun(setup, cmds)), { numRuns: 100 });
    expect(details.failed).toBeTrue();
    const error = details.errorInstance as LifecycleFailure;
    expect(error).toBeInstanceOf(LifecycleFailure);
    expect(error.calls).toEqual(['start', 'lookup']);
    expect(error.message).toMatch(/^after the final stop of LeakyCache, LeakyCache \(shutdown\) still has 1 task\(s\) or future\(s\) going/);
    expect(String(details.counterexample![0])).toBe('start, lookup');
  });

  it('replays a given sequence, such as a counterexample kept as a regression test', async () => {
    const { setup, sequence } = lifecycleCommands(() => new ForgetfulApp());
    await expectAsync(fc.asyncModelRun(setup, sequence('start', 'stop', 'start'))).toBeResolved();
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'restart')));
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect((failure as LifecycleFailure).calls).toEqual(['start', 'restart']);
    expect(failure.message).toBe('restart rejected with Error: already connected');
  });

  it('stops what a failed run left running', async () => {
    const made: LeakyApp[] = [];
    const { setup, sequence } = lifecycleCommands(() => {
      const app = new LeakyApp();
      made.push(app);
      return app;
    });
    await failureOf(fc.asyncModelRun(setup, sequence('start', 'stop')));
    expect(made[0]!.state).toBe('shutdown');
    const connections = made[0]!.children.filter((c) => c instanceof Connection);
    expect(connections).toEqual([]);
  });

  it('fails a step whose user check throws, naming the calls so far', async () => {
    const { setup, sequence } = lifecycleCommands(() => new Cache(), {
      check: (real) => {
        if (real.service.state === 'crashed') throw new Error('crashed!');
      },
    });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'crash')));
    expect(failure.message).toBe('crashed!');
  });

  it('rejects a call it does not know with a TypeError', () => {
    const { sequence } = lifecycleCommands(() => new Cache());
    expect(() => sequence('pause')).toThrowError(TypeError, /'pause' is not a call/);
    expect(() => sequence('stop(S1)')).toThrowError(TypeError, /'stop\(S1\)' is not a call/);
  });
});
