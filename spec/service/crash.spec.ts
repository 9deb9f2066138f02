import { NEVER, finalize, throwError } from 'rxjs';
import { Service, type SupervisorStrategy, task } from '../../src/index.js';
import { aborted, captureLogger, history, LEVEL, settle } from '../support/fixtures.js';

/** A stand-in for a SupervisorStrategy: the three calls a service makes to its supervisor. */
const supervisor = () =>
  ({
    childCrashed: jasmine.createSpy('childCrashed'),
    childStopped: jasmine.createSpy('childStopped'),
    childReset: jasmine.createSpy('childReset'),
  }) as unknown as SupervisorStrategy & Record<'childCrashed' | 'childStopped' | 'childReset', jasmine.Spy>;

/** R(A(A1, A2(A21)), B(B1)), each running. */
async function tree() {
  const r = new Service({ name: 'R' });
  const a = r.addDependency(new Service({ name: 'A' }));
  const a1 = a.addDependency(new Service({ name: 'A1' }));
  const a2 = a.addDependency(new Service({ name: 'A2' }));
  const a21 = a2.addDependency(new Service({ name: 'A21' }));
  const b = r.addDependency(new Service({ name: 'B' }));
  const b1 = b.addDependency(new Service({ name: 'B1' }));
  await r.start();
  return { r, a, a1, a2, a21, b, b1, all: [r, a, a1, a2, a21, b, b1] };
}

describe('Service crash', () => {
  it('records the first reason, emits stopped$ and aborts the signal', async () => {
    const svc = new Service();
    await svc.start();
    const states = history(svc);
    let stopped = 0;
    svc.stopped$.subscribe(() => stopped++);
    const reason = new Error('first');
    await svc.crash(reason);
    expect(svc.state).toBe('crashed');
    expect(svc.crashed).toBeTrue();
    expect(svc.crashReason).toBe(reason);
    expect(stopped).toBe(1);
    expect(svc.signal.aborted).toBeTrue();
    expect(svc.shouldStop).toBeTrue();
    expect(states).toEqual(['running', 'crashed']);
  });

  it('only logs a later crash: the reason stays the first one', async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Twice', logger });
    await svc.start();
    const first = new Error('first');
    const second = new Error('second');
    await svc.crash(first);
    const states = history(svc);
    await svc.crash(second);
    expect(svc.crashReason).toBe(first);
    expect(states).toEqual(['crashed']);
    const errors = lines.filter((line) => line.level === LEVEL.error);
    expect(errors.length).toBe(2);
    expect(errors[1]!.msg).toContain('second');
  });

  it('ends Observable tasks, Promise tasks and sleeps', async () => {
    let unsubscribed = 0;
    let promiseTaskEnded = false;
    class Busy extends Service {
      @task observe() {
        return NEVER.pipe(finalize(() => unsubscribed++));
      }
      @task async hold(signal: AbortSignal) {
        await aborted(signal);
        promiseTaskEnded = true;
      }
    }
    const svc = new Busy();
    await svc.start();
    let slept = false;
    const sleeping = svc.sleep('1h').then(() => (slept = true));
    await settle();
    expect(slept).toBeFalse();
    await svc.crash(new Error('x'));
    await sleeping;
    await settle();
    expect(slept).toBeTrue();
    expect(unsubscribed).toBe(1);
    expect(promiseTaskEnded).toBeTrue();
    expect(svc.tracebacks()).toEqual({});
  });

  it('does nothing to a service that is not running (init or shutdown)', async () => {
    const idle = new Service();
    await idle.crash(new Error('x'));
    expect(idle.state).toBe('init');
    expect(idle.crashReason).toBeUndefined();
    const done = new Service();
    await done.start();
    await done.stop();
    await done.crash(new Error('x'));
    expect(done.state).toBe('shutdown');
  });

  it('crashes a stopping service, and the stop still finishes its teardown', async () => {
    let shutdown = 0;
    let release!: () => void;
    class Slow extends Service {
      override onStop() {
        return new Promise<void>((resolve) => (release = resolve));
      }
      override onShutdown() {
        shutdown++;
      }
    }
    const svc = new Slow();
    const states = history(svc);
    await svc.start();
    const stopping = svc.stop();
    const reason = new Error('during stop');
    await svc.crash(reason);
    expect(svc.state).toBe('crashed');
    release();
    await stopping.catch(() => undefined);
    expect(shutdown).toBe(1);
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(reason);
    expect(states).toEqual(['init', 'running', 'stopping', 'crashed']);
  });

  it('spreads an unsupervised crash to the whole tree from its root, siblings included, with the same reason', async () => {
    const { a21, all } = await tree();
    const reason = new Error('leaf');
    await a21.crash(reason);
    for (const svc of all) {
      expect(svc.state).withContext(svc.label).toBe('crashed');
      expect(svc.crashReason).withContext(svc.label).toBe(reason);
      expect(svc.signal.aborted).withContext(svc.label).toBeTrue();
    }
  });

  it('leaves services outside the tree alone', async () => {
    const { b1 } = await tree();
    const other = new Service({ name: 'Other' });
    await other.start();
    await b1.crash(new Error('x'));
    expect(other.state).toBe('running');
    await other.stop();
  });

  it('crashes a supervised service with its descendants only, ancestors and siblings untouched', async () => {
    const { r, a, a1, a2, a21, b, b1 } = await tree();
    a.supervisor = supervisor();
    const reason = new Error('supervised');
    await a.crash(reason);
    for (const svc of [a, a1, a2, a21]) {
      expect(svc.state).withContext(svc.label).toBe('crashed');
      expect(svc.crashReason).withContext(svc.label).toBe(reason);
    }
    for (const svc of [r, b, b1]) {
      expect(svc.state).withContext(svc.label).toBe('running');
      expect(svc.signal.aborted).withContext(svc.label).toBeFalse();
    }
    await r.stop();
  });

  it('hands the crash of an unsupervised descendant to the nearest supervised ancestor, not the root', async () => {
    const { r, a, a1, a2, a21, b, b1 } = await tree();
    const told = (a.supervisor = supervisor());
    const reason = new Error('deep');
    await a21.crash(reason);
    expect(told.childCrashed.calls.allArgs()).toEqual([[a]]);
    for (const svc of [a, a1, a2, a21]) {
      expect(svc.state).withContext(svc.label).toBe('crashed');
      expect(svc.crashReason).withContext(svc.label).toBe(reason);
    }
    for (const svc of [r, b, b1]) expect(svc.state).withContext(svc.label).toBe('running');
    await r.stop();
  });

  it('stops at the nearest supervised ancestor when several are supervised', async () => {
    const { r, a, a1, a2, a21 } = await tree();
    a.supervisor = supervisor();
    a2.supervisor = supervisor();
    await a21.crash(new Error('x'));
    expect(a2.state).toBe('crashed');
    expect(a21.state).toBe('crashed');
    expect(a.state).toBe('running');
    expect(a1.state).toBe('running');
    expect(r.state).toBe('running');
    await r.stop();
  });

  it('crashes the service on an error of an Observable task', async () => {
    const reason = new Error('task failed');
    class Failing extends Service {
      @task fail() {
        return throwError(() => reason);
      }
    }
    const parent = new Service({ name: 'Parent' });
    const svc = parent.addDependency(new Failing());
    await parent.start();
    await settle();
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(reason);
    expect(parent.state).toBe('crashed');
    expect(parent.crashReason).toBe(reason);
  });

  it('crashes the service on a rejection of a Promise task', async () => {
    const reason = new Error('async task failed');
    class Failing extends Service {
      @task async fail() {
        await settle();
        throw reason;
      }
    }
    const svc = new Failing();
    await svc.start();
    await svc.waitUntilStopped();
    expect(svc.state).toBe('crashed');
    expect(svc.crashReason).toBe(reason);
  });

  it('logs the crash at error level with the reason', async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Logged', logger });
    await svc.start();
    await svc.crash(new Error('disk full'));
    const errors = lines.filter((line) => line.level === LEVEL.error);
    expect(errors.length).toBe(1);
    expect(errors[0]!.msg).toContain('disk full');
    expect(errors[0]!.label).toBe('Logged');
    expect(errors[0]!.err?.message).toBe('disk full');
  });
});
