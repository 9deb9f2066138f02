import fc from 'fast-check';
import { NEVER, type Observable, filter, finalize } from 'rxjs';
import { OneForOneSupervisor, Service, ServiceProxy, type ServiceState, ServiceStateError, task, timer } from '../../src/index.js';
import {
  type LifecycleCheck,
  type LifecycleCommand,
  LifecycleFailure,
  checkLifecycle,
  inspectService,
  lifecycleCommands,
} from '../../src/testing/index.js';
import { Run } from '../../src/service/run.js';
import { captureLogger, failureOf } from '../support/fixtures.js';

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

  it('finds a start refused with an error that is not a ServiceStateError, naming the refusal the model expected', async () => {
    // The bug: start() guards against a second start with an Error of its own.
    class Touchy extends Service {
      override async start(): Promise<void> {
        if (this.state !== 'init') throw new Error('already started');
        await super.start();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Touchy({ name: 'Touchy' })));
    expect(error.message).toContain('checkLifecycle: Touchy fails after start, start\n');
    expect(error.message).toContain(
      'start rejected with Error: already started (the model expected a ServiceStateError: Touchy is running, and start() needs init)',
    );
    expect(error.cause).toEqual(new Error('already started'));
  });

  it('finds a restart refused with a ServiceStateError where the model expected it to resolve', async () => {
    // The bug: restart() of a running service refused as if it had to be stopped first.
    class Strict extends Service {
      override async restart(): Promise<void> {
        if (this.state === 'running') throw new ServiceStateError(`cannot restart ${this.label}: stop it first`, this.state);
        await super.restart();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Strict({ name: 'Strict' })));
    expect(error.message).toContain('checkLifecycle: Strict fails after start, restart\n');
    expect(error.message).toContain('restart rejected with ServiceStateError: cannot restart Strict: stop it first\n');
  });

  it('quotes an error that is a string', async () => {
    class Blunt extends Service {
      override async onStart(): Promise<void> {
        throw 'no config'; // the planted bug: a string thrown, not an Error
      }
    }
    const error = await failureOf(checkLifecycle(() => new Blunt({ name: 'Blunt' })));
    expect(error.message).toContain("start rejected with 'no config'");
  });

  it('finds a restart that leaves a crashed service crashed, with the reason of the check\'s own crash', async () => {
    // The bug: restart() skips a crashed service, as if only a running one needed it.
    class Stubborn extends Service {
      override async restart(): Promise<void> {
        if (this.state !== 'crashed') await super.restart();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Stubborn({ name: 'Stubborn' })));
    expect(error.message).toContain('checkLifecycle: Stubborn fails after start, crash, restart\n');
    expect(error.message).toContain(
      'after restart, Stubborn is crashed, crashed with Error: crash() called by the lifecycle check; the model expected running',
    );
    expect(error.cause).toEqual(new Error('crash() called by the lifecycle check'));
  });

  it('finds a stop that leaves a crashed service as it is: its contexts never exit', async () => {
    // The bug: stop() skips a crashed service, yet only the stop of a crashed one exits its contexts.
    class Careless extends Service {
      exits = 0;
      override async onStart(): Promise<void> {
        this.addContext({ [Symbol.dispose]: () => void this.exits++ });
      }
      override async stop(): Promise<void> {
        if (this.state !== 'crashed') await super.stop();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Careless({ name: 'Careless' })));
    expect(error.message).toContain('checkLifecycle: Careless fails after start, crash\n');
    expect(error.message).toContain('after the final stop of Careless, Careless (crashed) still has 1 context(s) not exited');
  });

  it('finds a child added while running that never starts', async () => {
    // The bug: a task adds a worker with addDependency, where addRuntimeDependency would start it.
    class Host extends Service {
      @task async spawn() {
        await Promise.resolve();
        this.addDependency(new Service({ name: 'Worker' }));
      }
    }
    const error = await failureOf(checkLifecycle(() => new Host({ name: 'Host' })));
    expect(error.message).toContain('checkLifecycle: Host fails after start\n');
    expect(error.message).toContain('after start, Worker is init; the model expected running');
  });

  it('waits, after a crash, for Promise work that takes some turns to end on the aborted signal', async () => {
    // Correct: a crash does not wait for Promise tasks as a stop does, and this one, told
    // to stop, flushes for some macrotasks first. The check must not take it for a leak.
    const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
    class Draining extends Service {
      @task async flush() {
        await new Promise<void>((resolve) => this.signal.addEventListener('abort', () => resolve()));
        for (let i = 0; i < 20; i++) await turn(); // longer than settle()'s first look, 5 ms on
      }
    }
    const { setup, sequence } = lifecycleCommands(() => new Draining({ name: 'Draining' }));
    await expectAsync(fc.asyncModelRun(setup, sequence('start', 'crash', 'restart', 'crash'))).toBeResolved();
  });

  it('reports each thing rxmode itself would leave behind a stop', async () => {
    // No service can leave these through the public API (a stop ends its sleeps, closes
    // the subscriptions of its work and aborts its signal); each stands in for a
    // regression of rxmode, which the check is there to catch too.
    const failureOfStartStop = async (name: string): Promise<string> => {
      const { setup, sequence } = lifecycleCommands(() => new Service({ name }));
      return (await failureOf(fc.asyncModelRun(setup, sequence('start', 'stop')))).message;
    };
    const workClosed = spyOnProperty(Run.prototype, 'workClosed').and.returnValue(false);
    expect(await failureOfStartStop('Open')).toBe('after stop, Open (shutdown) still has task or timer subscriptions open');
    workClosed.and.callThrough();
    const sleeps = spyOnProperty(Run.prototype, 'stopListenerCount').and.returnValue(2);
    expect(await failureOfStartStop('Sleepy')).toBe('after stop, Sleepy (shutdown) still has 2 sleep(s) waiting');
    sleeps.and.callThrough();
    spyOnProperty(Run.prototype, 'signal').and.returnValue(new AbortController().signal);
    expect(await failureOfStartStop('Unaborted')).toBe('after stop, Unaborted (shutdown) has an AbortSignal not aborted');
  });

  it('names the calls before an error that is not its own: a user command\'s check(model) that throws', async () => {
    let made: Service | undefined;
    const peek: LifecycleCommand<Service> = {
      check: () => {
        if (made?.state === 'running') throw new Error('cannot peek');
        return true;
      },
      run: async () => undefined,
      toString: () => 'peek',
    };
    const factory = () => (made = new Service({ name: 'Cache' }));
    const error = await failureOf(checkLifecycle(factory, { commands: [fc.constant(peek)] }));
    expect(error.message).toMatch(/^checkLifecycle: Cache fails after start\n {2}it threw Error: cannot peek\n {2}replay: /);
    expect(error.cause).toEqual(new Error('cannot peek'));
  });

  it('names the calls before a failure of the user\'s own check', async () => {
    const check: LifecycleCheck<Service> = (real) => {
      if (real.service.state === 'crashed') throw new Error('crashed!');
    };
    const error = await failureOf(checkLifecycle(() => new Service({ name: 'Cache' }), { check }));
    expect(error.message).toMatch(/^checkLifecycle: Cache fails after start, crash\n {2}after crash, the check threw Error: crashed!\n {2}replay: /);
    expect(error.cause).toEqual(new Error('crashed!'));
  });

  it('finds, after a crash, a Promise task that ignores its signal, once its stopTimeout is over', async () => {
    class Deaf extends Service {
      static override stopTimeout = '20ms';
      @task async listen() {
        await new Promise<void>(() => undefined); // the bug: never looks at this.signal
      }
    }
    const { setup, sequence } = lifecycleCommands(() => new Deaf({ name: 'Deaf' }));
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'crash')));
    expect(failure.message).toBe('after crash, Deaf (crashed) still has 1 task(s) or future(s) going: Deaf.listen');
  });

  it('finds three children stopped out of order, the last one started stopped first', async () => {
    // The bug: onStop stops the last child first, as it should, then the other two in start order.
    class Eager extends Service {
      readonly first = this.addDependency(new Service({ name: 'First' }));
      readonly second = this.addDependency(new Service({ name: 'Second' }));
      readonly third = this.addDependency(new Service({ name: 'Third' }));
      override async onStop(): Promise<void> {
        await this.third.stop();
        await this.first.stop();
        await this.second.stop();
      }
    }
    const error = await failureOf(checkLifecycle(() => new Eager({ name: 'Eager' })));
    expect(error.message).toContain('stopped the children of Eager as Third, First, Second; reverse start order is Third, Second, First');
  });

  it('shows the last eight states of a long history with an illegal transition', async () => {
    // The bug: from the third restart on, state$ hides 'stopping'.
    class Tired extends Service {
      override get state$(): Observable<ServiceState> {
        return super.state$.pipe(filter((state) => state !== 'stopping' || this.restartCount < 3));
      }
    }
    const { setup, sequence } = lifecycleCommands(() => new Tired({ name: 'Tired' }));
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'restart', 'restart', 'restart', 'stop')));
    expect(failure.message).toBe(
      'after stop, Tired went from running to shutdown, which the state machine does not have ' +
        '(shutdown → init → running → stopping → shutdown → init → running → shutdown)',
    );
  });

  it('describes an error that is not an Error: a string quoted, anything else as it prints', async () => {
    class Odd extends Service {
      @task async fail() {
        await Promise.resolve();
        throw 42; // the planted bug: a number thrown, not an Error
      }
    }
    const error = await failureOf(checkLifecycle(() => new Odd({ name: 'Odd' })));
    expect(error.message).toContain('after start, Odd is crashed, crashed with 42; the model expected running');
  });

  it('runs the user\'s own check after the final stop too', async () => {
    const check: LifecycleCheck<Service> = (real) => {
      if (real.service.state === 'shutdown') throw new Error('stopped!');
    };
    const { setup, sequence } = lifecycleCommands(() => new Service({ name: 'Cache' }), { check });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start')));
    expect(failure.message).toBe('after the final stop of Cache, the check threw Error: stopped!');
    expect(failure.cause).toEqual(new Error('stopped!'));
  });

  it('follows a service that a step started and let go on its own, and stops it at the end', async () => {
    const helpers: Service[] = [];
    class Launcher extends Service {
      override async onStart(): Promise<void> {
        const helper = await this.addRuntimeDependency(new Service({ name: 'Helper' }));
        helpers.push(helper);
        helper.beacon.detach(); // on its own from now on
      }
    }
    await expectAsync(checkLifecycle(() => new Launcher({ name: 'Launcher' }), { numRuns: 30 })).toBeResolved();
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.filter((helper) => helper.state !== 'shutdown')).toEqual([]);
  });

  it('passes children that start in another order than they were added, and stop in reverse of it', async () => {
    // Later is added first but starts after onStart, with the children; Now starts at
    // once. The check sees each at its first transition, not when it next walks the tree.
    class Mixed extends Service {
      override async onStart(): Promise<void> {
        this.addDependency(new Service({ name: 'Later' }));
        await this.addRuntimeDependency(new Service({ name: 'Now' }));
      }
    }
    await expectAsync(checkLifecycle(() => new Mixed({ name: 'Mixed' }), { numRuns: 30 })).toBeResolved();
  });

  it('stops watching the services once a run is over', async () => {
    const made: App[] = [];
    await checkLifecycle(
      () => {
        const app = new App();
        made.push(app);
        return app;
      },
      { numRuns: 5 },
    );
    const watched = made.flatMap((app) => [app, ...app.children]).filter((service) => inspectService(service).stateWatched);
    expect(watched.map((service) => service.label)).toEqual([]);
  });

  it('sees a crash a macrotask after the call, at that call', async () => {
    // The step waits a macrotask before it checks, so a task that fails on the next turn
    // is seen at the start, not at some later step.
    const nextTurn = (): Promise<void> =>
      new Promise((resolve) => {
        const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
        if (immediate) return void immediate(resolve);
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(undefined);
      });
    class Late extends Service {
      @task async connect() {
        await nextTurn();
        throw new Error('connection refused');
      }
    }
    const { setup, sequence } = lifecycleCommands(() => new Late({ name: 'Late' }));
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'stop')));
    expect(failure.message).toBe('after start, Late is crashed, crashed with Error: connection refused; the model expected running');
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

describe('checkLifecycle\'s options and messages', () => {
  it('replays a failure to the same message, replay line included', async () => {
    const first = await failureOf(checkLifecycle(() => new ForgetfulApp(), { numRuns: 30 }));
    const [, seed, path] = /seed: (-?\d+), path: "([\d:]+)"/.exec(first.message)!;
    const again = await failureOf(checkLifecycle(() => new ForgetfulApp(), { seed: Number(seed), path }));
    expect(again.message).toBe(first.message);
  });

  it('takes a path of any whole numbers, and no seed or path that is not one', async () => {
    for (const path of ['12', '1:12:3']) await expectAsync(checkLifecycle(() => new App(), { seed: 42, path })).toBeResolved();
    await expectAsync(checkLifecycle(() => new App(), { path: 3 as unknown as string })).toBeRejectedWithError(
      TypeError,
      'checkLifecycle: path must read like "12:0:3", got 3',
    );
    for (const path of ['x1', '1x', '1:', '1::2']) {
      await expectAsync(checkLifecycle(() => new App(), { path })).toBeRejectedWithError(
        TypeError,
        `checkLifecycle: path must read like "12:0:3", got '${path}'`,
      );
    }
    await expectAsync(checkLifecycle(() => new App(), { seed: 1.5 })).toBeRejectedWithError(
      TypeError,
      'checkLifecycle: seed must be a whole number, got 1.5',
    );
  });

  it('takes numRuns and maxCommands of 1: one call is too few for the restart bug', async () => {
    await expectAsync(checkLifecycle(() => new ForgetfulApp(), { numRuns: 1, maxCommands: 1 })).toBeResolved();
    await expectAsync(checkLifecycle(() => new ForgetfulApp(), { maxCommands: 1 })).toBeResolved();
  });

  it('names itself and the bad value in each TypeError', async () => {
    const cases: [unknown, string][] = [
      [undefined, 'the first argument must be a function that makes a fresh Service, got undefined'],
      ['opts', "options must be an object, got 'opts'"],
      [null, 'options must be an object, got null'],
      [{ numRuns: 0 }, 'numRuns must be a whole number >= 1, got 0'],
      [{ maxCommands: [2] }, 'maxCommands must be a whole number >= 1, got an array'],
      [{ handles: 'yes' }, "handles must be true or false, got 'yes'"],
      [{ targets: 'all' }, "targets must be 'root' or 'tree', got 'all'"],
      [{ commands: 'lookup' }, "commands must be an array of fast-check arbitraries of commands, got 'lookup'"],
      [{ commands: [lookup, null] }, 'commands must be an array of fast-check arbitraries of commands, got null'],
      [{ commands: [function fetchAll() {}] }, 'commands must be an array of fast-check arbitraries of commands, got a function fetchAll'],
      [{ commands: [() => 1] }, 'commands must be an array of fast-check arbitraries of commands, got a function (anonymous)'],
      [{ commands: [{}] }, 'commands must be an array of fast-check arbitraries of commands, got a Object'],
      [{ check: Object.create(null) }, 'check must be a function, got a null-prototype object'],
    ];
    for (const [options, message] of cases) {
      // Bad on purpose: `never` lets each through the types.
      const factory = (options === undefined ? undefined : () => new App()) as never;
      await expectAsync(checkLifecycle(factory, options as never)).toBeRejectedWithError(TypeError, `checkLifecycle: ${message}`);
      if (!('numRuns' in Object(options))) {
        expect(() => lifecycleCommands(factory, options as never)).toThrowError(TypeError, `lifecycleCommands: ${message}`);
      }
    }
    await expectAsync(checkLifecycle(() => new App(), { targets: 'root', numRuns: 5 })).toBeResolved();
  });

  it('rejects a factory that returns a service already started, naming its state', async () => {
    const started = new Service({ name: 'Started' });
    await started.start();
    try {
      await expectAsync(checkLifecycle(() => started)).toBeRejectedWithError(
        TypeError,
        'lifecycle check: the factory returned Started in state running; it must make a fresh service on each call',
      );
    } finally {
      await started.stop();
    }
  });

  it('calls the service "the service" when the factory threw before making one', async () => {
    const error = await failureOf(
      checkLifecycle(() => {
        throw new Error('no config');
      }),
    );
    expect(error.message).toMatch(/^checkLifecycle: the service fails before any call\n {2}the factory threw Error: no config\n {2}replay: /);
  });

  it('gives a service\'s own error once, in the line that quotes it', async () => {
    const error = await failureOf(checkLifecycle(() => new Flaky({ name: 'Flaky' })));
    expect(error.message).toMatch(
      /^checkLifecycle: Flaky fails after start\n {2}after start, Flaky is crashed, crashed with Error: connection refused; the model expected running\n {2}replay: /,
    );
  });

  it('silences rxmode\'s logs while it runs, unless logs: true', async () => {
    const { setRootLogger, rootLogger } = await import('../../src/logging/logger.js');
    const before = rootLogger();
    const { logger, lines } = captureLogger();
    setRootLogger(logger);
    try {
      await failureOf(checkLifecycle(() => new Flaky({ name: 'Flaky' })));
      expect(lines).toEqual([]);
      const error = await failureOf(checkLifecycle(() => new Flaky({ name: 'Flaky' }), { logs: true }));
      expect(error.message).toContain('checkLifecycle: Flaky fails after start\n');
      expect(lines.some((line) => line.err?.message === 'connection refused')).toBeTrue();
      expect(rootLogger()).toBe(logger);
    } finally {
      setRootLogger(before);
    }
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

  it('names every future a stopped service still has', async () => {
    const lookupOnce: LifecycleCommand<Cache> = {
      check: () => true,
      run: async (_model, real) => {
        if (real.service.state === 'running') real.service.lookup();
      },
      toString: () => 'lookup',
    };
    const { setup, sequence } = lifecycleCommands(() => new LeakyCache({ name: 'LeakyCache' }));
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', lookupOnce, lookupOnce)));
    // Futures are numbered across the process, so the numbers depend on what ran before.
    expect(failure.message).toMatch(
      /^after the final stop of LeakyCache, LeakyCache \(shutdown\) still has 2 task\(s\) or future\(s\) going: LeakyCache\.future#\d+, LeakyCache\.future#\d+$/,
    );
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

  it('tears down, after a failure, what the run left running or crashed', async () => {
    const connections: Connection[] = [];
    class TrackedLeakyApp extends LeakyApp {
      override async onStart() {
        await super.onStart();
        connections.push(this.connection!);
      }
    }
    const leaky = lifecycleCommands(() => new TrackedLeakyApp());
    await failureOf(fc.asyncModelRun(leaky.setup, leaky.sequence('start', 'stop')));
    expect(connections.map((c) => c.state)).toEqual(['shutdown']); // let go by its parent, stopped all the same

    const flaky: CountedFlaky[] = [];
    class CountedFlaky extends Flaky {
      stops = 0;
      override async onStop() {
        this.stops++;
      }
    }
    const crashing = lifecycleCommands(() => {
      const service = new CountedFlaky({ name: 'Flaky' });
      flaky.push(service);
      return service;
    });
    await failureOf(fc.asyncModelRun(crashing.setup, crashing.sequence('start')));
    expect(flaky[0]!.stops).toBe(1); // crashed on its own, then torn down
  });

  it('fails a step whose user check throws, naming the calls so far', async () => {
    const { setup, sequence } = lifecycleCommands(() => new Cache(), {
      check: (real) => {
        if (real.service.state === 'crashed') throw new Error('crashed!');
      },
    });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'crash')));
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect(failure.message).toBe('after crash, the check threw Error: crashed!');
    expect((failure as LifecycleFailure).calls).toEqual(['start', 'crash']);
    expect(failure.cause).toEqual(new Error('crashed!'));
  });

  it('fails a step whose user command throws, naming it, with its error as the cause', async () => {
    const broken: LifecycleCommand<Cache> = { check: () => true, run: () => { throw new Error('no such key'); }, toString: () => 'get' };
    const { setup, sequence } = lifecycleCommands(() => new Cache());
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', broken)));
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect(failure.message).toBe('get threw Error: no such key');
    expect((failure as LifecycleFailure).calls).toEqual(['start', 'get']);
    expect(failure.cause).toEqual(new Error('no such key'));
  });

  it('predicts what a user command announced with real.expect, and takes what it did not announce as it is', async () => {
    /** A pool whose worker can be retired (stopped and let go) or paused (stopped, kept), and temps hired. */
    class Pool extends Service {
      readonly worker = this.addDependency(new Service({ name: 'Worker' }));
      async retire(): Promise<void> {
        await this.removeDependency(this.worker);
      }
      hire(): Promise<Service> {
        return this.addRuntimeDependency(new Service({ name: 'Temp' }));
      }
    }
    /** The bug: retire() lets the worker go without stopping it. */
    class LeakyPool extends Pool {
      override async retire(): Promise<void> {
        this.worker.beacon.detach();
      }
    }
    /** The bug: hire() adds a temp without starting it. */
    class IdlePool extends Pool {
      override async hire(): Promise<Service> {
        return this.addDependency(new Service({ name: 'Temp' }));
      }
    }
    const retire: LifecycleCommand<Pool> = {
      check: () => true,
      run: async (_model, real) => {
        const pool = real.service;
        if (pool.state !== 'running' || pool.worker.beacon.parent !== pool.beacon) return;
        real.expect(pool.worker, 'stop');
        await pool.retire();
      },
      toString: () => 'retire',
    };
    const pause: LifecycleCommand<Pool> = {
      check: () => true,
      run: async (_model, real) => {
        if (real.service.worker.state === 'running') await real.service.worker.stop();
      },
      toString: () => 'pause',
    };
    const hire: LifecycleCommand<Pool> = {
      check: () => true,
      run: async (_model, real) => {
        if (real.service.state === 'running') real.expect(await real.service.hire(), 'start');
      },
      toString: () => 'hire',
    };
    const correct = lifecycleCommands(() => new Pool({ name: 'Pool' }));
    await expectAsync(
      fc.asyncModelRun(correct.setup, correct.sequence('start', pause, hire, 'restart', retire, retire, hire, 'stop')),
    ).toBeResolved();
    const leaky = lifecycleCommands(() => new LeakyPool({ name: 'Pool' }));
    const failure = await failureOf(fc.asyncModelRun(leaky.setup, leaky.sequence('start', retire)));
    expect(failure.message).toBe('after retire, Worker is running; the model expected shutdown');
    expect(failure.name).toBe('LifecycleFailure');
    expect('cause' in failure).toBeFalse(); // a wrong state has no error of its own to give
    const idle = lifecycleCommands(() => new IdlePool({ name: 'Pool' }));
    const idleFailure = await failureOf(fc.asyncModelRun(idle.setup, idle.sequence('start', hire)));
    expect(idleFailure.message).toBe('after hire, Temp is init; the model expected running');
  });

  it('with targets: \'tree\', expects a restart refused while a child started on its own still runs', async () => {
    const { setup, sequence } = lifecycleCommands(() => new App(), { targets: 'tree' });
    await expectAsync(fc.asyncModelRun(setup, sequence('start(P1)', 'restart(App)', 'stop(1)', 'restart(0)'))).toBeResolved();
    // The bug: restart() hides the refusal of the reset.
    class Hushed extends Service {
      readonly child = this.addDependency(new Service({ name: 'Child' }));
      override async restart(): Promise<void> {
        await super.restart().catch((error: unknown) => {
          if (!(error instanceof ServiceStateError)) throw error;
        });
      }
    }
    const hushed = lifecycleCommands(() => new Hushed({ name: 'Hushed' }), { targets: 'tree' });
    const failure = await failureOf(fc.asyncModelRun(hushed.setup, hushed.sequence('start(Child)', 'restart(Hushed)')));
    expect(failure.message).toBe('restart(Hushed) resolved, but the model expected a ServiceStateError: its reset finds Child running');
    expect((failure as LifecycleFailure).calls).toEqual(['start(Child)', 'restart(Hushed)']);
  });

  it('prints a run as the calls that ran, each with the label of the service it went to', async () => {
    const noop: LifecycleCommand<App> = { check: () => true, run: async () => undefined, toString: () => 'noop' };
    const { setup, sequence } = lifecycleCommands(() => new ForgetfulApp());
    const run = sequence('start', 'restart', noop, 'stop');
    expect([...run].map(String)).toEqual(['start', 'restart', 'noop', 'stop', 'the final stop']); // as given until they run
    await failureOf(fc.asyncModelRun(setup, run));
    expect(String(run)).toBe('start, restart'); // the restart failed: nothing after it ran

    const tree = lifecycleCommands(() => new ForgetfulApp(), { targets: 'tree' });
    const treeRun = tree.sequence(' start ', 'stop(1)', 'restart(12)', 'restart(App) ');
    // Each command prints as it was given until it runs (the run prints only those that ran).
    expect([...treeRun].map(String)).toEqual(['start(0)', 'stop(1)', 'restart(12)', 'restart(App)', 'the final stop']);
    const failure = await failureOf(fc.asyncModelRun(tree.setup, treeRun));
    // 12 modulo the 4 services seen (App, P1, P2 and the Connection of the first start) is App.
    expect((failure as LifecycleFailure).calls).toEqual(['start(App)', 'stop(P1)', 'restart(App)']);
    expect(String(treeRun)).toBe('start(App), stop(P1), restart(App)');
  });

  it('takes, with targets: \'tree\', a label that begins with digits as a label', async () => {
    const factory = () => {
      const root = new Service({ name: 'Root' });
      root.addDependency(new Service({ name: '2nd' }));
      return root;
    };
    const { setup, sequence } = lifecycleCommands(factory, { targets: 'tree' });
    await expectAsync(fc.asyncModelRun(setup, sequence('start(2nd)', 'stop(2nd)', 'start(Root)'))).toBeResolved();
  });

  it('stops, after a failure with targets: \'tree\', a child started or crashed on its own under a parent never started', async () => {
    class Counted extends Service {
      stops = 0;
      override async onStop() {
        this.stops++;
      }
    }
    const children: Counted[] = [];
    const factory = () => {
      const root = new Service({ name: 'Root' });
      children.push(root.addDependency(new Counted({ name: 'Child' })));
      return root;
    };
    const failWhen = (state: ServiceState): LifecycleCheck<Service> => (real) => {
      if (real.services[1]!.state === state) throw new Error(`Child is ${state}`);
    };
    const running = lifecycleCommands(factory, { targets: 'tree', check: failWhen('running') });
    await failureOf(fc.asyncModelRun(running.setup, running.sequence('start(Child)')));
    expect(children[0]!.state).toBe('shutdown');
    const crashed = lifecycleCommands(factory, { targets: 'tree', check: failWhen('crashed') });
    await failureOf(fc.asyncModelRun(crashed.setup, crashed.sequence('start(Child)', 'crash(Child)')));
    expect(children[1]!.state).toBe('crashed');
    expect(children[1]!.stops).toBe(1); // torn down
  });

  it('rejects, with targets: \'tree\', a label no service of the run has', async () => {
    const { setup, sequence } = lifecycleCommands(() => new App(), { targets: 'tree' });
    await expectAsync(fc.asyncModelRun(setup, sequence('start', 'stop(Nope)'))).toBeRejectedWithError(
      TypeError,
      "stop(Nope): no service labelled 'Nope' in this run (App, P1, P2, Connection)",
    );
  });

  it('asks for the list of handles only with handles: true', () => {
    const process = (globalThis as { process?: { getActiveResourcesInfo?: unknown } }).process;
    const saved = process?.getActiveResourcesInfo;
    if (process) process.getActiveResourcesInfo = undefined;
    try {
      expect(() => lifecycleCommands(() => new App())).not.toThrow();
      expect(() => lifecycleCommands(() => new App(), { handles: false })).not.toThrow();
      expect(() => lifecycleCommands(() => new App(), { handles: true })).toThrowError(/^lifecycleCommands: handles: true needs Node/);
    } finally {
      if (process) process.getActiveResourcesInfo = saved;
    }
  });

  it('rejects a call it does not know with a TypeError', () => {
    const { sequence } = lifecycleCommands(() => new Cache());
    expect(() => sequence('pause')).toThrowError(TypeError, /'pause' is not a call/);
    expect(() => sequence('stop(S1)')).toThrowError(TypeError, /'stop\(S1\)' is not a call/);
    expect(() => sequence('pause')).toThrowError(
      TypeError,
      "lifecycle sequence: 'pause' is not a call; expected 'start', 'stop', 'restart' or 'crash'",
    );
    expect(() => lifecycleCommands(() => new Cache(), { targets: 'tree' }).sequence('pause')).toThrowError(
      TypeError,
      "lifecycle sequence: 'pause' is not a call; expected 'start', 'stop', 'restart' or 'crash', optionally with a label or index: 'stop(S1)'",
    );
  });
});
