import { Beacon, Service } from '../../src/index.js';
import { Recorder, deferred, isSettled } from '../support/fixtures.js';

describe('Service tree', () => {
  it('adds dependencies as children, in order, under its beacon', () => {
    const parent = new Service({ name: 'P' });
    const a = new Service({ name: 'A' });
    const b = new Service({ name: 'B' });
    expect(parent.addDependency(a)).toBe(a);
    expect(parent.addDependency(b)).toBe(b);
    expect(parent.children).toEqual([a, b]);
    expect(a.beacon.parent).toBe(parent.beacon);
    expect(parent.beacon.children.map((node) => node.data)).toEqual([a, b]);
    expect(b.beacon.depth).toBe(2);
    expect(b.beacon.root).toBe(parent.beacon);
  });

  it('does not add a dependency twice', () => {
    const parent = new Service();
    const child = new Service();
    parent.addDependency(child);
    parent.addDependency(child);
    expect(parent.children).toEqual([child]);
  });

  it('moves a dependency that already had another parent', () => {
    const first = new Service({ name: 'First' });
    const second = new Service({ name: 'Second' });
    const child = first.addDependency(new Service({ name: 'C' }));
    second.addDependency(child);
    expect(first.children).toEqual([]);
    expect(second.children).toEqual([child]);
  });

  it('throws a TypeError on adding a service to itself', () => {
    const svc = new Service({ name: 'Loop' });
    expect(() => svc.addDependency(svc)).toThrowError(TypeError, /Loop/);
    expect(svc.children).toEqual([]);
  });

  it('throws a TypeError on a cycle and leaves the tree as it was', () => {
    const a = new Service({ name: 'A' });
    const b = a.addDependency(new Service({ name: 'B' }));
    const c = b.addDependency(new Service({ name: 'C' }));
    expect(() => c.addDependency(a)).toThrowError(TypeError, /cycle/);
    expect(() => b.addDependency(a)).toThrowError(TypeError);
    expect(a.beacon.parent).toBeUndefined();
    expect(a.children).toEqual([b]);
    expect(b.children).toEqual([c]);
    expect(c.children).toEqual([]);
  });

  it('throws a TypeError naming what it got when addDependency is given a non-service', () => {
    const svc = new Service({ name: 'Host' });
    expect(() => svc.addDependency({ label: 'fake' } as unknown as Service)).toThrowError(TypeError, /Host.*object/);
  });

  it('does not start a dependency added with addDependency to a running service', async () => {
    const parent = new Service();
    await parent.start();
    const late = parent.addDependency(new Service());
    expect(late.state).toBe('init');
    await parent.stop();
    expect(late.state).toBe('init');
  });

  it('starts a runtime dependency at once when running, and stops it with the parent', async () => {
    const parent = new Service();
    await parent.start();
    const child = await parent.addRuntimeDependency(new Service({ name: 'Late' }));
    expect(child.state).toBe('running');
    expect(parent.children).toEqual([child]);
    await parent.stop();
    expect(child.state).toBe('shutdown');
  });

  it('only adds a runtime dependency when not running; the next start starts it', async () => {
    const parent = new Service();
    const child = await parent.addRuntimeDependency(new Service());
    expect(child.state).toBe('init');
    await parent.start();
    expect(child.state).toBe('running');
    await parent.stop();
  });

  it('waits for a runtime dependency to finish starting', async () => {
    const gate = deferred();
    class Slow extends Service {
      override onStart() {
        return gate.promise;
      }
    }
    const parent = new Service();
    await parent.start();
    const adding = parent.addRuntimeDependency(new Slow());
    expect(await isSettled(adding)).toBeFalse();
    gate.resolve();
    const child = await adding;
    expect(child.state).toBe('running');
    await parent.stop();
  });

  it('stops and detaches a removed dependency, and resolves to it', async () => {
    const parent = new Service({ name: 'P' });
    const a = parent.addDependency(new Service({ name: 'A' }));
    const b = parent.addDependency(new Service({ name: 'B' }));
    await parent.start();
    expect(await parent.removeDependency(a)).toBe(a);
    expect(a.state).toBe('shutdown');
    expect(a.beacon.parent).toBeUndefined();
    expect(parent.children).toEqual([b]);
    expect([...parent.beacon.traverse()].map((node) => node.data)).toEqual([parent, b]);
    // no longer part of the tree: its crash stays its own
    a.serviceReset();
    await a.start();
    await a.crash(new Error('alone'));
    expect(parent.state).toBe('running');
    await parent.stop();
  });

  it('rejects removeDependency of a service that is not its child with a TypeError naming it', async () => {
    const parent = new Service({ name: 'P' });
    const stranger = new Service({ name: 'Stranger' });
    const grandchild = parent.addDependency(new Service({ name: 'C' })).addDependency(new Service({ name: 'G' }));
    await expectAsync(parent.removeDependency(stranger)).toBeRejectedWithError(TypeError, /Stranger/);
    await expectAsync(parent.removeDependency(grandchild)).toBeRejectedWithError(TypeError, /G/);
    expect(grandchild.beacon.parent).toBeDefined();
  });

  it('rejects removeDependency of what is no service at all with a TypeError naming the value', async () => {
    const parent = new Service({ name: 'P' });
    const cases: [unknown, string][] = [
      [null, 'null'],
      [undefined, 'undefined'],
      [42, '42'],
      [{ label: 'web' }, 'web (an object)'],
      [{}, 'an object {}'],
      [new Map(), 'a Map'],
      ['web', "'web'"],
    ];
    for (const [value, named] of cases) {
      await expectAsync(parent.removeDependency(value as Service)).toBeRejectedWithError(
        TypeError,
        `P.removeDependency: ${named} is not a dependency of P`,
      );
    }
  });

  it('names a service from elsewhere by its label and class', async () => {
    class Cache extends Service {}
    const parent = new Service({ name: 'P' });
    await expectAsync(parent.removeDependency(new Cache({ name: 'c1' }))).toBeRejectedWithError(
      TypeError,
      // The class's own name: a browser bundle may rename a class whose name another uses.
      `P.removeDependency: c1 (a ${Cache.name}) is not a dependency of P`,
    );
    expect(() => parent.addDependency(Object.create(null) as Service)).toThrowError(
      TypeError,
      'P.addDependency: expected a Service, got an object {}',
    );
  });

  it('adds the services of onInitDependencies on the first start only', async () => {
    const calls: string[] = [];
    let asked = 0;
    class WithDeps extends Recorder {
      override onInitDependencies() {
        asked++;
        return [new Recorder(this.calls, 'D1'), new Recorder(this.calls, 'D2')];
      }
    }
    const svc = new WithDeps(calls, 'P');
    const own = svc.addDependency(new Recorder(calls, 'Own'));
    await svc.start();
    expect(asked).toBe(1);
    expect(svc.children.map((c) => c.label)).toEqual(['Own', 'D1', 'D2']);
    expect(svc.children.every((c) => c.state === 'running')).toBeTrue();
    expect(calls.slice(0, 3)).toEqual(['P.onFirstStart', 'P.onStart', 'Own.onFirstStart']);
    await svc.restart();
    expect(asked).toBe(1);
    expect(svc.children.length).toBe(3);
    expect(svc.children.every((c) => c.state === 'running')).toBeTrue();
    expect(own.restartCount).toBe(1);
    await svc.stop();
  });

  it('starts children in the order they were added, one after the other', async () => {
    const order: string[] = [];
    const gate = deferred();
    class Slow extends Service {
      override async onStart() {
        order.push('slow start');
        await gate.promise;
        order.push('slow started');
      }
    }
    class Fast extends Service {
      override onStart() {
        order.push('fast start');
      }
    }
    const parent = new Service();
    parent.addDependency(new Slow());
    parent.addDependency(new Fast());
    const starting = parent.start();
    await isSettled(starting);
    expect(order).toEqual(['slow start']);
    gate.resolve();
    await starting;
    expect(order).toEqual(['slow start', 'slow started', 'fast start']);
    await parent.stop();
  });

  it('starts a child that an earlier child adds to the parent while starting', async () => {
    const parent = new Service();
    const late = new Service({ name: 'Late' });
    class Adder extends Service {
      override onStart() {
        parent.addDependency(late);
      }
    }
    parent.addDependency(new Adder());
    await parent.start();
    expect(late.state).toBe('running');
    await parent.stop();
    expect(late.state).toBe('shutdown');
  });

  it('throws a ServiceStateError naming a running dependency on serviceReset, resetting none', async () => {
    const parent = new Service({ name: 'P' });
    const child = parent.addDependency(new Service({ name: 'Busy' }));
    await child.start();
    expect(() => parent.serviceReset()).toThrowError(/Busy/);
    expect(parent.restartCount).toBe(0);
    expect(child.restartCount).toBe(0);
    await child.stop();
  });

  it('starts, stops and crashes the services of a tree that holds plain Beacons too, leaving the Beacons alone', async () => {
    const calls: string[] = [];
    const root = new Beacon('root');
    const parent = new Recorder(calls, 'P');
    parent.beacon.reattach(root);
    parent.addDependency(new Recorder(calls, 'A'));
    parent.beacon.new('group');
    parent.addDependency(new Recorder(calls, 'B'));
    await parent.start();
    await parent.stop();
    expect(parent.state).toBe('shutdown');
    expect(calls.filter((call) => call.endsWith('.onStop'))).toEqual(['P.onStop', 'B.onStop', 'A.onStop']);
    parent.serviceReset();
    await parent.start();
    await parent.children[0]!.crash(new Error('x'));
    expect(parent.state).toBe('crashed');
    expect(parent.children.map((child) => child.state)).toEqual(['crashed', 'crashed']);
    await parent.stop();
  });

  it('attaches under the beacon given in the options', () => {
    const root = new Beacon('root');
    const svc = new Service({ name: 'Under', beacon: root });
    expect(svc.beacon.parent).toBe(root);
    expect(svc.beacon.data).toBe(svc);
    expect(svc.beacon.path).toBe('root/Under');
  });
});

describe('Service.joinServices', () => {
  it('starts each in order, then stops them in reverse', async () => {
    const calls: string[] = [];
    const joiner = new Service();
    await joiner.start();
    const services = ['A', 'B', 'C'].map((name) => new Recorder(calls, name));
    await joiner.joinServices(services);
    expect(calls).toEqual([
      'A.onFirstStart', 'A.onStart', 'A.onStarted',
      'B.onFirstStart', 'B.onStart', 'B.onStarted',
      'C.onFirstStart', 'C.onStart', 'C.onStarted',
      'C.onStop', 'C.onShutdown', 'B.onStop', 'B.onShutdown', 'A.onStop', 'A.onShutdown',
    ]);
    expect(services.map((s) => s.state)).toEqual(['shutdown', 'shutdown', 'shutdown']);
    expect(joiner.state).toBe('running');
    await joiner.stop();
  });

  it('crashes the joiner on a failing start and goes on with the next', async () => {
    const calls: string[] = [];
    const boom = new Error('B failed');
    class Failing extends Recorder {
      override onStart() {
        throw boom;
      }
    }
    const joiner = new Service({ name: 'Joiner' });
    await joiner.start();
    const a = new Recorder(calls, 'A');
    const b = new Failing(calls, 'B');
    const c = new Recorder(calls, 'C');
    await joiner.joinServices([a, b, c]);
    expect(joiner.state).toBe('crashed');
    expect(joiner.crashReason).toBe(boom);
    expect(calls).toContain('C.onStart');
    expect(c.state).toBe('shutdown');
    expect(a.state).toBe('shutdown');
    expect(b.state).toBe('crashed');
  });
});

describe('Beacon', () => {
  function sample() {
    const app = new Beacon('app');
    const web = app.new('web');
    const db = app.new('db');
    const pool = db.new('pool');
    const route = web.new('route');
    return { app, web, db, pool, route };
  }

  it('knows parent, children, root, depth and path', () => {
    const { app, web, db, pool } = sample();
    expect(app.parent).toBeUndefined();
    expect(app.children).toEqual([web, db]);
    expect(pool.parent).toBe(db);
    expect(pool.root).toBe(app);
    expect(app.root).toBe(app);
    expect(app.depth).toBe(1);
    expect(db.depth).toBe(2);
    expect(pool.depth).toBe(3);
    expect(pool.path).toBe('app/db/pool');
    expect(String(pool)).toContain('app/db/pool');
  });

  it('walks up to the root and traverses down breadth first', () => {
    const { app, web, db, pool, route } = sample();
    expect([...pool.walk()]).toEqual([pool, db, app]);
    expect([...app.traverse()]).toEqual([app, web, db, route, pool]);
    expect([...db.traverse()]).toEqual([db, pool]);
  });

  it('reattaches a subtree under a new parent: root, depth and path follow', () => {
    const { app, web, db, pool } = sample();
    const other = new Beacon('other');
    db.reattach(other);
    expect(app.children).toEqual([web]);
    expect(other.children).toEqual([db]);
    expect(pool.root).toBe(other);
    expect(pool.depth).toBe(3);
    expect(pool.path).toBe('other/db/pool');
    db.reattach(web);
    expect(pool.root).toBe(app);
    expect(pool.depth).toBe(4);
    expect(other.children).toEqual([]);
  });

  it('detaches a subtree, which becomes its own root', () => {
    const { app, db, pool } = sample();
    expect(db.detach()).toBe(db);
    expect(db.parent).toBeUndefined();
    expect(pool.root).toBe(db);
    expect(pool.depth).toBe(2);
    expect([...app.traverse()].includes(db)).toBeFalse();
    expect(db.detach()).toBe(db);
  });

  it('refuses to attach itself or a descendant as parent with a TypeError naming it', () => {
    const { app, db, pool } = sample();
    expect(() => app.reattach(app)).toThrowError(TypeError, /app.*itself/);
    expect(() => db.reattach(pool)).toThrowError(TypeError, /db.*pool.*cycle/);
    expect(db.parent).toBe(app);
  });

  it('keeps a child once when reattached to the same parent', () => {
    const { app, web, db } = sample();
    web.reattach(app);
    expect(app.children).toEqual([web, db]);
  });

  it('names services by their label in paths', () => {
    const parent = new Service({ name: 'Api' });
    const child = parent.addDependency(new Service({ name: 'Cache' }));
    expect(child.beacon.path).toBe('Api/Cache');
  });
});
