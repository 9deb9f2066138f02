import { Service } from '../../src/service/service.js';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Stat, captureLogger, virtualScheduler } from '../support/fixtures.js';

/** Lets pending promise callbacks run (a replacement is a Promise), then the scheduler's work. */
async function settle(scheduler: { flush(): void }, rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    scheduler.flush();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('replacement', () => {
  it('puts what replacement(service, index) returns in the crashed one\'s place and starts it', async () => {
    const scheduler = virtualScheduler();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => new Stat({ name })) as [Stat, Stat, Stat];
    let fresh: Stat | undefined;
    const replacement = jasmine.createSpy('replacement').and.callFake(async (old: Service) => {
      fresh = new Stat({ name: `${old.label}2` });
      return fresh;
    });
    const supervisor = new OneForOneSupervisor({ scheduler, replacement, services: [a, b, c] });
    supervisor.add(b, { restart: 'transient' });
    await supervisor.start();
    const reason = new Error('b died');
    await b.crash(reason);
    await settle(scheduler);

    expect(replacement).toHaveBeenCalledOnceWith(b, 1);
    expect(supervisor.services).toEqual([a, fresh!, c]);
    expect(supervisor.children).toEqual([a, fresh!, c]);
    expect(fresh!.state).toBe('running');
    expect(fresh!.starts).toBe(1);
    expect(fresh!.supervisor).toBe(supervisor);
    expect(supervisor.restartType(fresh!)).toBe('transient');
    // The crashed one was torn down and let go; its history goes on with its successor.
    expect([b.state, b.stops, b.starts]).toEqual(['crashed', 1, 1]);
    expect(b.supervisor).toBeNull();
    expect(b.beacon.parent).toBeUndefined();
    expect(supervisor.history(fresh!)).toEqual([jasmine.objectContaining({ reason, action: 'replaced' })]);
    expect([a.starts, c.starts]).toEqual([1, 1]);

    // The newcomer is supervised like the others.
    const first = fresh!;
    await first.crash(new Error('again'));
    await settle(scheduler);
    expect(replacement).toHaveBeenCalledTimes(2);
    expect(replacement.calls.mostRecent().args[0]).toBe(first);
    expect(replacement.calls.mostRecent().args[1]).toBe(1);
    expect(supervisor.services[1]).toBe(fresh!);
    expect(supervisor.history(fresh!).map((r) => r.action)).toEqual(['replaced', 'replaced']);
    await supervisor.stop();
  });

  it('does not start a replacement twice when it comes started', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat();
    let fresh: Stat | undefined;
    const supervisor = new OneForOneSupervisor({
      scheduler,
      services: [a],
      replacement: async () => {
        fresh = new Stat();
        await fresh.start();
        return fresh;
      },
    });
    await supervisor.start();
    await a.crash(new Error('a'));
    await settle(scheduler);
    expect([fresh!.state, fresh!.starts]).toEqual(['running', 1]);
    await supervisor.stop();
    expect(fresh!.state).toBe('shutdown');
  });

  it('replaces every service of a group restart', async () => {
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    const replacement = jasmine.createSpy('replacement').and.callFake(async (old: Service) => new Stat({ name: `${old.label}2` }));
    const supervisor = new OneForAllSupervisor({ scheduler, replacement, services: [a, b] });
    await supervisor.start();
    await b.crash(new Error('b'));
    await settle(scheduler);
    expect(replacement.calls.allArgs()).toEqual([[a, 0], [b, 1]]);
    expect(supervisor.services.map((s) => s.label)).toEqual(['a2', 'b2']);
    expect(supervisor.services.map((s) => s.state)).toEqual(['running', 'running']);
    expect([a.state, b.state]).toEqual(['shutdown', 'crashed']);
    await supervisor.stop();
  });

  it('a replacement that returns the crashed service itself is an error, logged and counted', async () => {
    const scheduler = virtualScheduler();
    const { logger, lines } = captureLogger();
    const a = new Stat({ name: 'a' });
    const supervisor = new OneForOneSupervisor({
      scheduler, logger, services: [a], maxRestarts: 2, over: '1m', replacement: async (old) => old,
    });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler, 10);
    expect(lines.filter((line) => /Could not restart a: TypeError: .*replacement returned a, which is the crashed service itself/.test(line.msg ?? '')).length).toBe(2);
    expect(supervisor.history(a).map((r) => r.action)).toEqual(['replaced', 'replaced', 'escalated']);
    expect(supervisor.state).toBe('crashed');
    expect(a.starts).toBe(1); // never started again as its own replacement
  });

  it('a replacement that returns one of its other services is an error naming that', async () => {
    const scheduler = virtualScheduler();
    const { logger, lines } = captureLogger();
    const a = new Stat({ name: 'a' });
    const b = new Stat({ name: 'b' });
    const supervisor = new OneForOneSupervisor({
      scheduler, logger, services: [a, b], maxRestarts: 1, over: '1m', replacement: async () => b,
    });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler, 10);
    expect(lines.some((line) => /Could not restart a: TypeError: .*replacement returned b, which is one of its services already/.test(line.msg ?? ''))).toBeTrue();
    expect(supervisor.services).toEqual([a, b]);
  });

  it('a replacement that throws instead of returning a Promise is a failed restart, logged and counted', async () => {
    const scheduler = virtualScheduler();
    const { logger, lines } = captureLogger();
    const a = new Stat({ name: 'a' });
    const replacement = (): Promise<Service> => {
      throw new Error('no spare');
    };
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [a], maxRestarts: 2, over: '1m', replacement });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler, 10);
    expect(lines.filter((line) => /Could not restart a: Error: no spare/.test(line.msg ?? '')).length).toBe(2);
    expect(supervisor.history(a).map((r) => r.action)).toEqual(['replaced', 'replaced', 'escalated']);
    expect(supervisor.state).toBe('crashed');
  });

  it('a replacement that comes after the crashed service\'s stopTimeout is stopped, not kept, with a warning', async () => {
    const scheduler = virtualScheduler();
    // The wait for a replacement is on the crashed service's scheduler: its own clock
    // here, moved on by hand, so the supervisor's work can run without it.
    const clockOfA = virtualScheduler();
    const { logger, lines } = captureLogger();
    const a = new Stat({ name: 'a', scheduler: clockOfA });
    a.stopTimeout = 30;
    let release!: (fresh: Service) => void;
    const late = new Stat({ name: 'late' });
    const inTime = new Stat({ name: 'inTime' });
    const replacement = jasmine.createSpy('replacement').and.returnValues(
      new Promise<Service>((resolve) => (release = resolve)),
      Promise.resolve(inTime),
    );
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [a], over: '1m', replacement });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler);
    expect(replacement).toHaveBeenCalledTimes(1);
    clockOfA.flush(); // 30 ms pass: given up on
    await settle(scheduler);
    expect(replacement).toHaveBeenCalledTimes(2);
    expect(supervisor.services).toEqual([inTime]);
    await late.start(); // comes started, too late
    release(late);
    await settle(scheduler);
    expect(late.state).toBe('shutdown');
    expect(late.supervisor).toBeNull();
    expect(supervisor.services).toEqual([inTime]);
    expect(lines.some((line) => line.msg === 'Replacement for a came after 30 ms: stopping it')).toBeTrue();
    await supervisor.stop();
  });

  it('a replacement still pending when the supervisor stops is stopped when it comes, without the late warning', async () => {
    const scheduler = virtualScheduler();
    const { logger, lines } = captureLogger();
    const a = new Stat({ name: 'a' });
    let release!: (fresh: Service) => void;
    const replacement = (): Promise<Service> => new Promise<Service>((resolve) => (release = resolve));
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [a], replacement });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler);
    const stopping = supervisor.stop();
    await settle(scheduler);
    await stopping;
    const fresh = new Stat({ name: 'fresh' });
    await fresh.start(); // comes started, after the supervisor stopped: nobody takes it
    release(fresh);
    await settle(scheduler);
    expect(fresh.state).toBe('shutdown');
    expect(fresh.supervisor).toBeNull();
    expect(supervisor.services).toEqual([a]);
    expect(lines.filter((line) => /Replacement for/.test(line.msg ?? ''))).toEqual([]);
    expect(scheduler.now()).toBe(0); // its wait for the replacement (a's stopTimeout) was let go of
  });

  it('a replacement for a service discarded while it was awaited is stopped, not left running unsupervised', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a' });
    let release!: (fresh: Service) => void;
    const replacement = (): Promise<Service> => new Promise<Service>((resolve) => (release = resolve));
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a], replacement });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler);
    supervisor.discard(a);
    const fresh = new Stat({ name: 'fresh' });
    await fresh.start(); // comes started: nobody takes it
    release(fresh);
    await settle(scheduler);
    expect([fresh.state, fresh.supervisor, supervisor.services]).toEqual(['shutdown', null, []]);
    expect(supervisor.state).toBe('running');
    await supervisor.stop();
  });

  it('a replacement takes the crashed service\'s place even if that place moved while it was awaited', async () => {
    const scheduler = virtualScheduler();
    const [first, a, last] = ['first', 'a', 'last'].map((name) => new Stat({ name })) as [Stat, Stat, Stat];
    let release!: (fresh: Service) => void;
    const replacement = (): Promise<Service> => new Promise<Service>((resolve) => (release = resolve));
    const supervisor = new OneForOneSupervisor({ scheduler, services: [first, a, last], replacement });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler);
    supervisor.discard(first); // a moves from 1 to 0
    const fresh = new Stat({ name: 'fresh' });
    release(fresh);
    await settle(scheduler);
    expect(supervisor.services).toEqual([fresh, last]);
    expect([fresh.state, fresh.supervisor]).toEqual(['running', supervisor]);
    expect(a.supervisor).toBeNull();
    await supervisor.stop();
    expect(fresh.state).toBe('shutdown');
    await first.stop();
  });

  it('a late replacement that another supervisor has is left to it, not stopped', async () => {
    const scheduler = virtualScheduler();
    const clockOfA = virtualScheduler();
    const a = new Stat({ name: 'a', scheduler: clockOfA });
    a.stopTimeout = 30;
    let release!: (fresh: Service) => void;
    const replacement = jasmine.createSpy('replacement').and.returnValues(
      new Promise<Service>((resolve) => (release = resolve)),
      Promise.resolve(new Stat({ name: 'inTime' })),
    );
    const supervisor = new OneForOneSupervisor({ scheduler, services: [a], over: '1m', replacement });
    await supervisor.start();
    await a.crash(new Error('a died'));
    await settle(scheduler);
    clockOfA.flush(); // 30 ms pass: given up on
    await settle(scheduler);
    const elsewhere = new Stat({ name: 'elsewhere' });
    const other = new OneForOneSupervisor({ scheduler, services: [elsewhere] });
    await other.start();
    release(elsewhere);
    await settle(scheduler);
    expect([elsewhere.state, elsewhere.stops]).toEqual(['running', 0]); // never stopped (its supervisor would restart it)
    expect(elsewhere.supervisor).toBe(other);
    await supervisor.stop();
    await other.stop();
  });

  it('a replacement that keeps failing spends the budget, then the supervisor crashes', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a' });
    const replacement = jasmine.createSpy('replacement').and.rejectWith(new Error('no spare'));
    const supervisor = new OneForOneSupervisor({ scheduler, replacement, services: [a], maxRestarts: 3, over: '1m' });
    await supervisor.start();
    const reason = new Error('a died');
    await a.crash(reason);
    await settle(scheduler, 10);
    expect(replacement).toHaveBeenCalledTimes(3);
    expect(supervisor.state).toBe('crashed');
    expect(supervisor.crashReason).toBeInstanceOf(MaxRestartsExceeded);
    expect((supervisor.crashReason as Error).cause).toBe(reason);
    expect(supervisor.history(a).map((r) => r.action)).toEqual(['replaced', 'replaced', 'replaced', 'escalated']);
  });
});
