import { NEVER, finalize } from 'rxjs';
import { Service, ServiceProxy, ServiceStateError, task, type SupervisorStrategy } from '../../src/index.js';
import { Recorder, context, history, deferred, isSettled } from '../support/fixtures.js';

class Target extends Recorder {
  live = 0;
  @task watch() {
    this.live++;
    return NEVER.pipe(finalize(() => this.live--));
  }
}

class Database extends ServiceProxy {
  made = 0;
  readonly calls: string[] = [];
  protected get service(): Target {
    this.made++;
    return new Target(this.calls, 'Pool');
  }
  get pool(): Target {
    return this.target as Target;
  }
}

describe('ServiceProxy', () => {
  it('makes its target lazily, once', async () => {
    const db = new Database();
    expect(db.made).toBe(0);
    expect(db.state).toBe('init');
    expect(db.made).toBe(1);
    await db.start();
    await db.stop();
    void db.beacon;
    void db.state$;
    expect(db.made).toBe(1);
  });

  it('hands start, stop and restart to its target, hooks and tasks included', async () => {
    const db = new Database();
    const states = history(db);
    await db.start();
    expect(db.pool.state).toBe('running');
    expect(db.state).toBe('running');
    expect(db.started).toBeTrue();
    expect(db.pool.live).toBe(1);
    await db.restart();
    expect(db.restartCount).toBe(1);
    expect(db.pool.restartCount).toBe(1);
    await db.stop();
    expect(db.pool.live).toBe(0);
    expect(db.calls).toEqual([
      'Pool.onFirstStart', 'Pool.onStart', 'Pool.onStarted',
      'Pool.onStop', 'Pool.onShutdown', 'Pool.onRestart', 'Pool.onStart', 'Pool.onStarted',
      'Pool.onStop', 'Pool.onShutdown',
    ]);
    expect(states).toEqual(['init', 'running', 'stopping', 'shutdown', 'init', 'running', 'stopping', 'shutdown']);
  });

  it('shows the state$, ready$, stopped$, signal and events$ of its target', async () => {
    const db = new Database();
    const ready: boolean[] = [];
    db.ready$.subscribe((r) => ready.push(r));
    const events: string[] = [];
    db.events$.subscribe((e) => events.push(`${e.label}:${e.to}`));
    let stopped = 0;
    db.stopped$.subscribe(() => stopped++);
    await db.start();
    expect(db.signal).toBe(db.pool.signal);
    await db.stop();
    expect(ready).toEqual([false, true, false]);
    expect(stopped).toBe(1);
    expect(db.signal.aborted).toBeTrue();
    expect(events).toEqual(['Pool:running', 'Pool:stopping', 'Pool:shutdown']);
  });

  it('shares its beacon and diag with its target, and keeps its own label', () => {
    const db = new Database();
    expect(db.beacon).toBe(db.pool.beacon);
    expect(db.diag).toBe(db.pool.diag);
    expect(db.label).toBe('Database');
  });

  it('crashes its target, which keeps the reason', async () => {
    const db = new Database();
    await db.start();
    const reason = new Error('pool lost');
    await db.crash(reason);
    expect(db.pool.state).toBe('crashed');
    expect(db.crashed).toBeTrue();
    expect(db.crashReason).toBe(reason);
    expect(db.shouldStop).toBeTrue();
    await db.stop();
  });

  it('rejects a second start with the ServiceStateError of its target', async () => {
    const db = new Database();
    await db.start();
    await expectAsync(db.start()).toBeRejectedWithError(ServiceStateError);
    await db.stop();
  });

  it('is started and stopped by a parent it was added to', async () => {
    const app = new Service({ name: 'App' });
    const db = app.addDependency(new Database());
    await app.start();
    expect(db.state).toBe('running');
    expect(app.children).toContain(db.pool);
    await app.stop();
    expect(db.state).toBe('shutdown');
  });

  it('adds dependencies and contexts to its target', async () => {
    const db = new Database();
    const replica = db.addDependency(new Service({ name: 'Replica' }));
    expect(db.pool.children).toEqual([replica]);
    expect(db.children).toEqual([replica]);
    await db.start();
    expect(replica.state).toBe('running');
    const late = await db.addRuntimeDependency(new Service({ name: 'Late' }));
    expect(late.state).toBe('running');
    const exits: string[] = [];
    db.addContext(context(exits, 'conn'));
    await db.removeDependency(late);
    expect(late.state).toBe('shutdown');
    expect(db.children).toEqual([replica]);
    await db.stop();
    expect(exits).toEqual(['exit conn']);
    expect(replica.state).toBe('shutdown');
  });

  it('shows the tracebacks of its target and waits with it', async () => {
    const db = new Database();
    await db.start();
    expect(Object.keys(db.tracebacks())).toEqual(['Pool.watch']);
    const waiting = db.waitForStopped(NEVER);
    const until = db.waitUntilStopped();
    await db[Symbol.asyncDispose]();
    expect(await waiting).toBeTrue();
    await expectAsync(until).toBeResolved();
    expect(db.tracebacks()).toEqual({});
  });
});

class Proxied extends ServiceProxy {
  protected get service(): Service {
    return new Service({ name: 'Inner' });
  }
}

describe('ServiceProxy, regressions (found by the spec suite in the first core)', () => {
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
});
