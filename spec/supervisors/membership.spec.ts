import { Service } from '../../src/service/service.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { SupervisorStrategy } from '../../src/supervisors/supervisor-strategy.js';
import { Flaky, Stat, virtualScheduler } from '../support/fixtures.js';

describe('SupervisorStrategy membership', () => {
  it('claims the services given to the constructor exactly as add() does', () => {
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new SupervisorStrategy({ services: [a, b] });
    expect(supervisor.services).toEqual([a, b]);
    expect(a.supervisor).toBe(supervisor);
    expect(b.supervisor).toBe(supervisor);
    expect(a.beacon.parent).toBe(supervisor.beacon);
    expect(supervisor.restartType(a)).toBe('permanent');
  });

  it('refuses what is not a Service, itself, or a service another supervisor has', () => {
    const supervisor = new SupervisorStrategy({ name: 'sup' });
    const other = new SupervisorStrategy({ name: 'other' });
    const s = new Stat({ name: 'taken' });
    other.add(s);
    expect(() => supervisor.add({} as never)).toThrowError(TypeError, /expected a Service, got \[object Object\]/);
    expect(() => supervisor.add(s)).toThrowError(TypeError, /taken is already supervised by other/);
    expect(() => supervisor.add(supervisor)).toThrowError(TypeError, /sup cannot supervise itself/);
    expect(() => new SupervisorStrategy({ services: [42 as never] })).toThrowError(TypeError, /42/);
    expect(supervisor.services).toEqual([]);
    // Adding twice is adding once.
    const t = new Stat();
    supervisor.add(t, t);
    supervisor.add(t);
    expect(supervisor.services).toEqual([t]);
  });

  it('add() checks everything before it changes anything: a cycle claims nothing', () => {
    const app = new Service({ name: 'app' });
    const supervisor = app.addDependency(new SupervisorStrategy({ name: 'sup' }));
    const a = new Stat({ name: 'a' });
    expect(() => supervisor.add(a, app)).toThrowError(TypeError, /sup cannot supervise app: it is above sup in the tree/);
    expect(supervisor.services).toEqual([]);
    expect(a.supervisor).toBeNull();
    expect(a.beacon.parent).toBeUndefined();
    expect(app.supervisor).toBeNull();
    expect(supervisor.beacon.parent).toBe(app.beacon);
    expect(() => supervisor.insert(0, app)).toThrowError(RangeError); // nothing to replace
    supervisor.add(a);
    expect(() => supervisor.insert(0, app)).toThrowError(TypeError, /cannot supervise app/);
    expect(supervisor.services).toEqual([a]);
    expect(app.supervisor).toBeNull();
  });

  it('a supervised service moved elsewhere with addDependency() leaves its supervisor', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b] });
    const elsewhere = new Service({ name: 'elsewhere' });
    await supervisor.start();
    await elsewhere.start();
    elsewhere.addDependency(a);
    expect(supervisor.services).toEqual([b]);
    expect(supervisor.children).toEqual([b]);
    expect(a.supervisor).toBeNull();
    expect(supervisor.restartType(a)).toBeUndefined();
    // Its crash is no longer the supervisor's: it spreads up its new tree.
    await a.crash(new Error('a'));
    scheduler.flush();
    expect([a.state, a.starts, elsewhere.state, supervisor.state]).toEqual(['crashed', 1, 'crashed', 'running']);
    await supervisor.stop();
    await elsewhere.stop();
  });

  it('checks its options, naming the bad value', () => {
    expect(() => new SupervisorStrategy({ maxRestarts: -2 })).toThrowError(RangeError, /maxRestarts: -2/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => new SupervisorStrategy({ over: 'a while' })).toThrowError(TypeError, /'a while'/);
    expect(() => new SupervisorStrategy({ over: 0 })).toThrowError(RangeError, /over: 0/);
    expect(() => new SupervisorStrategy({ raises: 'nope' as never })).toThrowError(TypeError, /raises: nope/);
    expect(() => new SupervisorStrategy({ replacement: 1 as never })).toThrowError(TypeError, /replacement: 1/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => new SupervisorStrategy({ backoff: { initial: '1s', max: '1x' } })).toThrowError(TypeError, /'1x'/);
    expect(() => new SupervisorStrategy({ services: 'ab' as never })).toThrowError(TypeError, /services: ab/);
    const defaults = new SupervisorStrategy();
    expect([defaults.maxRestarts, defaults.over]).toEqual([100, 1000]);
  });

  it('discard() lets services go: out of the list, the tree and the supervision, still running', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b] });
    await supervisor.start();
    supervisor.discard(a, new Stat());
    expect(supervisor.services).toEqual([b]);
    expect(a.supervisor).toBeNull();
    expect(a.beacon.parent).toBeUndefined();
    expect(a.state).toBe('running');
    await supervisor.stop();
    expect(a.state).toBe('running');
    await a.stop();
  });

  it('a discarded service that crashes is not restarted, nor does it reach the supervisor', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b] });
    await supervisor.start();
    supervisor.discard(a);
    await a.crash(new Error('alone'));
    scheduler.flush();
    expect([a.state, a.starts, supervisor.state, b.state]).toEqual(['crashed', 1, 'running', 'running']);
    await supervisor.stop();
  });

  it('insert() puts a service in place of another (mode: [s1,s2,s3,s4] → [s1,s2,s5,s4])', () => {
    const [s1, s2, s3, s4, s5] = [1, 2, 3, 4, 5].map((n) => new Stat({ name: `s${n}` }));
    const supervisor = new SupervisorStrategy({ services: [s1!, s2!, s3!, s4!] });
    supervisor.add(s3!, { restart: 'transient' });
    supervisor.insert(2, s5!);
    expect(supervisor.services).toEqual([s1, s2, s5, s4]);
    expect(supervisor.children).toEqual([s1, s2, s5, s4]);
    expect(s5!.supervisor).toBe(supervisor);
    expect(s3!.supervisor).toBeNull();
    expect(supervisor.restartType(s5!)).toBe('transient');
    expect(() => supervisor.insert(4, new Stat())).toThrowError(RangeError, /index 4/);
    expect(() => supervisor.insert(-1, new Stat())).toThrowError(RangeError, /index -1/);
    expect(() => supervisor.insert(0, null as never)).toThrowError(TypeError, /null/);
  });

  it('discard() ignores a service that is only its child (addDependency), not one of its services', () => {
    const supervisor = new SupervisorStrategy();
    const helper = supervisor.addDependency(new Stat({ name: 'helper' }));
    supervisor.discard(helper);
    expect(supervisor.children).toEqual([helper]);
    expect(supervisor.services).toEqual([]);
  });

  it('insert() refuses an index that is not a whole number within its services, naming it', () => {
    const supervisor = new SupervisorStrategy();
    expect(() => supervisor.insert(0, new Stat())).toThrowError(RangeError, /index 0 \(it has 0 services\)/);
    supervisor.add(new Stat(), new Stat());
    expect(() => supervisor.insert(0.5, new Stat())).toThrowError(RangeError, /index 0\.5 \(it has 2 services\)/);
    expect(() => supervisor.insert(Number.NaN, new Stat())).toThrowError(RangeError, /index NaN/);
    expect(() => supervisor.insert(2, new Stat())).toThrowError(RangeError, /index 2/);
    expect(supervisor.services.length).toBe(2);
  });

  it('insert() of a service in its own place changes nothing: it keeps its restart type and history', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a] });
    supervisor.add(b, { restart: 'transient' });
    await supervisor.start();
    await b.crash(new Error('b'));
    scheduler.flush();
    supervisor.insert(1, b);
    expect(supervisor.services).toEqual([a, b]);
    expect(supervisor.children).toEqual([a, b]);
    expect(b.supervisor).toBe(supervisor);
    expect(supervisor.restartType(b)).toBe('transient');
    expect(supervisor.history(b).map((r) => r.action)).toEqual(['restarted']);
    await supervisor.stop();
  });

  it('insert() of one of its own services moves it there, listed once', () => {
    const [s1, s2, s3] = [1, 2, 3].map((n) => new Stat({ name: `s${n}` })) as [Stat, Stat, Stat];
    const supervisor = new SupervisorStrategy({ services: [s1, s2, s3] });
    supervisor.insert(0, s3); // in place of s1
    expect(supervisor.services).toEqual([s3, s2]);
    expect(supervisor.children).toEqual([s3, s2]);
    expect(s1.supervisor).toBeNull();
    supervisor.add(s1);
    supervisor.insert(0, s2); // in place of s3, from further on: it comes first
    expect(supervisor.services).toEqual([s2, s1]);
    expect(supervisor.children).toEqual([s2, s1]);
  });

  it('insert() on a running supervisor starts the newcomer and supervises it', async () => {
    const scheduler = virtualScheduler();
    const [a, b, fresh] = [new Stat({ name: 'a' }), new Stat({ name: 'b' }), new Stat({ name: 'fresh' })];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b] });
    await supervisor.start();
    supervisor.insert(0, fresh);
    scheduler.flush();
    expect(supervisor.services).toEqual([fresh, b]);
    expect([fresh.state, fresh.starts]).toEqual(['running', 1]);
    expect(a.state).toBe('running'); // discarded, not stopped
    await fresh.crash(new Error('fresh'));
    scheduler.flush();
    expect([fresh.state, fresh.starts]).toEqual(['running', 2]);
    await supervisor.stop();
    await a.stop();
  });

  it('add() on a running supervisor starts the service at once', async () => {
    const scheduler = virtualScheduler();
    const supervisor = new OneForOneSupervisor({ scheduler });
    await supervisor.start();
    const late = new Stat();
    supervisor.add(late);
    scheduler.flush();
    expect([late.state, late.starts]).toEqual(['running', 1]);
    await late.crash(new Error('late'));
    scheduler.flush();
    expect([late.state, late.starts]).toEqual(['running', 2]);
    await supervisor.stop();
    expect(late.state).toBe('shutdown');
  });

  it('wakeup() restarts a service that serviceOperational() says is not working', async () => {
    const scheduler = virtualScheduler();
    class Sickly extends Stat {
      sick = false;
      override onRestart(): void {
        super.onRestart();
        this.sick = false;
      }
    }
    class Picky extends OneForOneSupervisor {
      override serviceOperational(service: Service): boolean {
        return super.serviceOperational(service) && !(service as Sickly).sick;
      }
    }
    const [a, b] = [new Sickly(), new Sickly()];
    const supervisor = new Picky({ scheduler, services: [a, b] });
    await supervisor.start();
    b.sick = true;
    scheduler.flush();
    expect(b.starts).toBe(1); // no polling: nothing happens until it is woken
    supervisor.wakeup();
    scheduler.flush();
    expect([a.starts, b.starts, b.stops, b.sick]).toEqual([1, 2, 1, false]);
    expect(supervisor.history(b)).toEqual([jasmine.objectContaining({ crashed: true, action: 'restarted' })]);
    await supervisor.stop();
  });

  it('removeDependency() of a supervised service stops it without restarting it', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat(), new Stat()];
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a, b] });
    await supervisor.start();
    await supervisor.removeDependency(a);
    scheduler.flush();
    expect([a.state, a.starts]).toEqual(['shutdown', 1]);
    expect(supervisor.services).toEqual([b]);
    expect(a.supervisor).toBeNull();
    await supervisor.stop();
  });

  it('keeps a short history per service: time, reason, action', async () => {
    const scheduler = virtualScheduler();
    class Short extends OneForOneSupervisor {
      static override historyLimit = 3;
    }
    const s = new Stat();
    const supervisor = new Short({ scheduler, services: [s] });
    await supervisor.start();
    for (let i = 1; i <= 5; i++) {
      scheduler.schedule(() => void s.crash(new Error(`crash ${i}`)), i * 10);
    }
    scheduler.flush();
    const history = supervisor.history(s);
    expect(history.map((r) => [r.at, (r.reason as Error).message, r.action])).toEqual([
      [30, 'crash 3', 'restarted'], [40, 'crash 4', 'restarted'], [50, 'crash 5', 'restarted'],
    ]);
    expect(Object.isFrozen(history[0])).toBeTrue();
    expect(supervisor.history(new Stat())).toEqual([]);
    await supervisor.stop();
  });

  it('a service that fails to start while the supervisor starts fails the supervisor\'s start', async () => {
    const scheduler = virtualScheduler();
    const flaky = new Flaky({ name: 'flaky' });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [new Stat(), flaky] });
    await expectAsync(supervisor.start()).toBeRejectedWithError(/flaky cannot start/);
    expect(supervisor.state).toBe('crashed');
  });
});
