import fc from 'fast-check';
import { Service } from '../../src/index.js';
import { LifecycleFailure, checkLifecycle, lifecycleCommands } from '../../src/testing/index.js';
import { failureOf } from '../support/fixtures.js';

// checkLifecycle's `handles: true` against a stand-in for Node's list of active handles
// (`process.getActiveResourcesInfo()`), so that what the check does with the list runs in
// Node and in Chromium alike, without real timers or sockets: the services below "open" a
// handle by adding its type to `open`. spec/node/check-lifecycle-handles.spec.ts runs the
// real thing.

/** The handles the stand-in lists, one type a handle, as Node lists them. */
let open: string[] = [];
/** How many more looks a handle closed "lately" stays listed (a closed socket lingers a tick or more). */
let lingering = 0;
/** When set, what the stand-in lists at each look instead of `open`, by the number of the look. */
let script: ((look: number) => string[]) | undefined;
let looks = 0;

interface ProcessLike {
  getActiveResourcesInfo?: () => string[];
}
const host = globalThis as { process?: ProcessLike };

/** A timer of its own, opened in onStart and closed in onStop. */
class Pinger extends Service {
  handle?: string;
  override async onStart() {
    this.handle = 'Timeout';
    open.push(this.handle);
  }
  override async onStop() {
    open.splice(open.indexOf(this.handle!), 1);
  }
}

/** The leak: onStop forgets the timer. */
class LeakyPinger extends Pinger {
  override async onStop() {}
}

/** Correct, but its handle leaves the list a few looks after its close, as a closed server's does. */
class SlowPinger extends Pinger {
  override async onStop() {
    lingering = 3;
  }
}

describe('checkLifecycle with handles: true (any runtime, handles stood in for)', () => {
  let saved: ProcessLike | undefined;
  let savedList: ProcessLike['getActiveResourcesInfo'];

  beforeEach(() => {
    open = [];
    lingering = 0;
    script = undefined;
    looks = 0;
    const list = () => {
      if (script) return script(++looks);
      if (lingering > 0 && --lingering === 0) open.splice(open.indexOf('Timeout'), 1);
      return [...open];
    };
    saved = host.process;
    if (saved) {
      savedList = saved.getActiveResourcesInfo;
      saved.getActiveResourcesInfo = list;
    } else {
      host.process = { getActiveResourcesInfo: list };
    }
  });

  afterEach(() => {
    if (saved) saved.getActiveResourcesInfo = savedList;
    else delete host.process;
  });

  it('passes a service that closes what it opened, also when the close shows a few looks later', async () => {
    await expectAsync(checkLifecycle(() => new Pinger({ name: 'Pinger' }), { handles: true, numRuns: 20 })).toBeResolved();
    const { setup, sequence } = lifecycleCommands(() => new SlowPinger({ name: 'SlowPinger' }), { handles: true });
    await expectAsync(fc.asyncModelRun(setup, sequence('start', 'stop'))).toBeResolved();
  });

  it('finds a handle left open at the first stop that leaves everything stopped, naming its type and count', async () => {
    const { setup, sequence } = lifecycleCommands(() => new LeakyPinger({ name: 'LeakyPinger' }), { handles: true });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'crash', 'restart', 'stop', 'restart')));
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect((failure as LifecycleFailure).calls).toEqual(['start', 'crash', 'restart', 'stop']);
    expect(failure.message).toBe('after stop, 2 Timeout still open, opened since the factory made LeakyPinger');
  });

  it('finds a handle left open after the final stop, in one call', async () => {
    const error = await failureOf(checkLifecycle(() => new LeakyPinger({ name: 'LeakyPinger' }), { handles: true, numRuns: 20 }));
    expect(error.message).toContain('checkLifecycle: LeakyPinger fails after start\n');
    expect(error.message).toContain('after the final stop, 1 Timeout still open, opened since the factory made LeakyPinger');
  });

  it('lists each type of handle left open', async () => {
    class Mixed extends LeakyPinger {
      override async onStart() {
        await super.onStart();
        open.push('TCPSocketWrap', 'Timeout');
      }
    }
    const { setup, sequence } = lifecycleCommands(() => new Mixed({ name: 'Mixed' }), { handles: true });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'stop')));
    expect(failure.message).toBe('after stop, 2 Timeout, 1 TCPSocketWrap still open, opened since the factory made Mixed');
  });

  it('does not count what was open before the factory ran', async () => {
    open.push('Timeout', 'FSReqCallback');
    await expectAsync(checkLifecycle(() => new Pinger({ name: 'Pinger' }), { handles: true, numRuns: 10 })).toBeResolved();
    const { setup, sequence } = lifecycleCommands(() => new LeakyPinger({ name: 'LeakyPinger' }), { handles: true });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'stop')));
    expect(failure.message).toBe('after stop, 1 Timeout still open, opened since the factory made LeakyPinger');
  });

  it('with targets: \'tree\', looks once everything is stopped, not while a parent still runs', async () => {
    class Parent extends Pinger {
      readonly child = this.addDependency(new Service({ name: 'Child' }));
    }
    const { setup, sequence } = lifecycleCommands(() => new Parent({ name: 'Parent' }), { handles: true, targets: 'tree' });
    await expectAsync(fc.asyncModelRun(setup, sequence('start', 'stop(Child)', 'stop(Parent)'))).toBeResolved();
    // A service never started is stopped too: the leak shows at the stop of the one that ran.
    const leaky = lifecycleCommands(
      () => {
        const root = new Service({ name: 'Root' });
        root.addDependency(new LeakyPinger({ name: 'Leaky' }));
        return root;
      },
      { handles: true, targets: 'tree' },
    );
    const failure = await failureOf(fc.asyncModelRun(leaky.setup, leaky.sequence('start(Leaky)', 'stop(Leaky)')));
    expect(failure.message).toBe('after stop(Leaky), 1 Timeout still open, opened since the factory made Root');
  });

  it('waits while the list still changes, and reports only what stays', async () => {
    // Three lists of five looks each (a look every 10 ms: about 40 ms each, 140 ms in all,
    // more than the 100 ms a list must stand still), then none: each change starts the
    // wait again, so none is reported.
    const { setup, sequence } = lifecycleCommands(() => new Pinger({ name: 'Pinger' }), { handles: true });
    const made = setup();
    const lists = [['Timeout', 'Timeout'], ['Timeout'], ['Timeout', 'TCPSocketWrap']];
    script = (look) => lists[Math.floor((look - 1) / 5)] ?? [];
    await expectAsync(fc.asyncModelRun(() => made, sequence('start', 'stop'))).toBeResolved();
    expect(looks).toBe(17); // 16 after the stop, the last one empty; 1 after the final stop
  });

  it('gives up on a list that never stands still, after a second, with what it lists then', async () => {
    const { setup, sequence } = lifecycleCommands(() => new Pinger({ name: 'Pinger' }), { handles: true });
    const made = setup();
    script = (look) => Array.from({ length: look }, () => 'Timeout');
    const failure = await failureOf(fc.asyncModelRun(() => made, sequence('start', 'stop')));
    expect(failure.message).toMatch(/^after stop, \d+ Timeout still open, opened since the factory made Pinger$/);
    expect(looks).toBeGreaterThan(10);
  });

  it('looks at no handle without handles: true', async () => {
    await expectAsync(checkLifecycle(() => new LeakyPinger({ name: 'LeakyPinger' }), { numRuns: 10 })).toBeResolved();
  });
});
