import { NEVER } from 'rxjs';
import { Service } from '../../src/service/service.js';
import { ForfeitOneForOneSupervisor } from '../../src/supervisors/forfeit-one-for-one.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Stat, captureLogger, virtualScheduler } from '../support/fixtures.js';

/** Its onStop and its onShutdown each hang until stop() gives up on them: its whole stop takes 100 (twice its stopTimeout). */
class Hung extends Stat {
  static override stopTimeout = 50;
  override onStop() {
    super.onStop();
    return NEVER;
  }
  override onShutdown() {
    return NEVER;
  }
}

describe('a hung service under a supervisor', () => {
  it('holds only itself: its siblings\' crashes are handled meanwhile, and it is logged by name past its stopTimeout', async () => {
    const scheduler = virtualScheduler();
    const { logger, lines } = captureLogger();
    const hung = new Hung({ name: 'hung', scheduler, logger });
    const [a, b] = [new Stat({ name: 'a', scheduler }), new Stat({ name: 'b', scheduler })];
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [hung, a, b] });
    await supervisor.start();
    await hung.crash(new Error('hung'));
    scheduler.schedule(() => void a.crash(new Error('a')), 10);
    scheduler.schedule(() => void b.crash(new Error('b')), 20);
    const seen: string[] = [];
    const look = () => seen.push(`${scheduler.now()}: ${a.state} ${a.starts} ${b.state} ${b.starts} ${hung.state} ${hung.starts}`);
    for (const at of [30, 60, 110]) scheduler.schedule(look, at);
    scheduler.flush();
    expect(seen).toEqual([
      '30: running 2 running 2 crashed 1', // a and b restarted while hung's stop hangs
      '60: running 2 running 2 crashed 1', // past its stopTimeout: left to finish on its own
      '110: running 2 running 2 running 2', // its stop ended (at 100): restarted, as at a crash
    ]);
    expect(lines.some((line) => line.msg === 'hung did not stop within 50 ms: going on without it')).toBeTrue();
    expect(supervisor.history(hung).map((r) => [r.at, r.action])).toEqual([[0, 'restarted'], [100, 'restarted']]);
    const stopping = supervisor.stop();
    scheduler.flush(); // hung's stop takes its time, in virtual time
    await stopping.catch(() => undefined); // its onStop and onShutdown timed out: the stop fails
  });

  it('wakeup() while its stop hangs neither stops nor restarts it again', async () => {
    const scheduler = virtualScheduler();
    const hung = new Hung({ name: 'hung', scheduler });
    const supervisor = new OneForOneSupervisor({ scheduler, services: [hung] });
    await supervisor.start();
    await hung.crash(new Error('hung'));
    scheduler.schedule(() => supervisor.wakeup(), 60); // hung since 50
    scheduler.flush();
    expect([hung.state, hung.starts, hung.stops]).toEqual(['running', 2, 1]);
    expect(supervisor.history(hung).map((r) => [r.at, r.action])).toEqual([[0, 'restarted'], [100, 'restarted']]);
    const stopping = supervisor.stop();
    scheduler.flush();
    await stopping.catch(() => undefined);
  });

  it('in a group restart, one whose stop hangs is started once its stop has ended, the others at once', async () => {
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a', scheduler });
    const hung = new Hung({ name: 'hung', scheduler });
    const supervisor = new OneForAllSupervisor({ scheduler, services: [a, hung] });
    await supervisor.start();
    await a.crash(new Error('a'));
    const seen: string[] = [];
    const look = () => seen.push(`${scheduler.now()}: a ${a.state} ${a.starts}, hung ${hung.state} ${hung.starts}`);
    for (const at of [60, 110]) scheduler.schedule(look, at);
    scheduler.flush();
    expect(seen[0]).toBe('60: a running 2, hung stopping 1'); // past hung's stopTimeout (50): a is back
    expect(seen[1]).toBe('110: a running 3, hung running 2'); // its stop ended at 100: the group's next attempt
    const stopping = supervisor.stop();
    scheduler.flush();
    await stopping.catch(() => undefined);
  });

  it('a crashed temporary service whose stop hangs leaves once its stop ends, and is not restarted', async () => {
    const scheduler = virtualScheduler();
    const temp = new Hung({ name: 'temp', scheduler });
    const supervisor = new OneForOneSupervisor({ scheduler });
    supervisor.add(temp, { restart: 'temporary' });
    await supervisor.start();
    await temp.crash(new Error('temp'));
    const seen: string[] = [];
    const look = () => seen.push(`${scheduler.now()}: [${supervisor.services.map((s) => s.label).join()}] ${temp.starts}`);
    for (const at of [60, 110]) scheduler.schedule(look, at);
    scheduler.flush();
    expect(seen).toEqual([
      '60: [temp] 1', // hung: still the supervisor's until its stop ends
      '110: [] 1', // its stop ended (at 100): let go, not started again
    ]);
    expect(temp.supervisor).toBeNull();
    expect(supervisor.history(temp)).toEqual([]);
    await supervisor.stop();
  });

  it('a forfeited service whose stop hangs is not restarted once its stop ends', async () => {
    const scheduler = virtualScheduler();
    const hung = new Hung({ name: 'hung', scheduler });
    const supervisor = new ForfeitOneForOneSupervisor({ scheduler, services: [hung] });
    await supervisor.start();
    await hung.crash(new Error('hung'));
    scheduler.flush();
    expect(scheduler.now()).toBe(100); // its stop ended
    expect([hung.state, hung.starts]).toEqual(['crashed', 1]);
    expect(supervisor.services).toEqual([hung]);
    expect(supervisor.history(hung).map((r) => r.action)).toEqual(['forfeited']);
    const stopping = supervisor.stop();
    scheduler.flush();
    await stopping.catch(() => undefined); // its hooks hang again and time out: the stop fails
  });

  it('a replacement that never resolves is given up on after the crashed service\'s stopTimeout, logged and counted', async () => {
    const { logger, lines } = captureLogger();
    // a's wait is bounded on a's scheduler: virtual, so that its 30 ms pass only when the
    // spec says so, after other's replacement came (however slowly the machine runs).
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a', scheduler });
    a.stopTimeout = 30;
    const made: Stat[] = [];
    let hangs = true;
    const replacement = (old: Service): Promise<Service> => {
      if (old === a && hangs) {
        hangs = false;
        return new Promise<Service>(() => undefined); // never
      }
      const fresh = new Stat({ name: `${old.label}2` });
      made.push(fresh);
      return Promise.resolve(fresh);
    };
    const other = new Stat({ name: 'other' });
    const supervisor = new OneForOneSupervisor({ logger, replacement, services: [a, other] });
    await supervisor.start();
    await a.crash(new Error('a'));
    await other.crash(new Error('other'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    // other's replacement came while a's hangs.
    expect(made.map((s) => [s.label, s.state])).toEqual([['other2', 'running']]);
    expect(supervisor.services[1]).toBe(made[0]!);
    scheduler.maxFrames = 29;
    scheduler.flush();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(made.length).toBe(1); // not given up on before its stopTimeout
    scheduler.maxFrames = 30;
    scheduler.flush();
    expect(scheduler.now()).toBe(30);
    while (made.length < 2 || made[1]!.state !== 'running') await new Promise((resolve) => setTimeout(resolve, 5));
    expect(lines.some((line) => /Could not restart a: StopTimeoutError: .*replacement for a did not finish within 30 ms/.test(line.msg ?? ''))).toBeTrue();
    expect(supervisor.services.map((s) => s.label)).toEqual(['a2', 'other2']);
    // Both attempts counted against the budget.
    expect(supervisor.history(made[1]!).map((r) => r.action)).toEqual(['replaced', 'replaced']);
    await supervisor.stop();
  });

  it('the supervisor\'s own stop() does not hang on it: bounded by the hung service\'s stopTimeout', async () => {
    class Stuck extends Service {
      static override stopTimeout = 50;
      override onStop(): Promise<void> {
        return new Promise<void>(() => undefined);
      }
    }
    const supervisor = new OneForOneSupervisor({ services: [new Stuck({ name: 'stuck' })] });
    await supervisor.start();
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      supervisor.stop().then(() => 'stopped', () => 'crashed'),
      new Promise((resolve) => (deadline = setTimeout(() => resolve('still stopping'), 2_000))),
    ]);
    clearTimeout(deadline); // nothing left behind for the specs that count timers
    expect(outcome).not.toBe('still stopping');
  });
});
