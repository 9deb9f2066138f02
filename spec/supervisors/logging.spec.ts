import { ForfeitOneForAllSupervisor } from '../../src/supervisors/forfeit-one-for-all.js';
import { ForfeitOneForOneSupervisor } from '../../src/supervisors/forfeit-one-for-one.js';
import { OneForAllSupervisor } from '../../src/supervisors/one-for-all.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Flaky, Stat, captureLogger, virtualScheduler, type LogLine } from '../support/fixtures.js';

// What a supervisor tells the people reading its log (mode's wording where mode has one).
const INFO = 30;
const ERROR = 50;

/** The supervisor's own lines, as [level, message], leaving out the services' lifecycle lines. */
function said(lines: LogLine[], pattern: RegExp): Array<[number, string]> {
  return lines.filter((line) => pattern.test(line.msg ?? '')).map((line) => [line.level, line.msg!]);
}

class Unstoppable extends Stat {
  override onStop(): void {
    super.onStop();
    throw new Error('stuck');
  }
}

describe('what a supervisor logs', () => {
  it('restarting a crashed or a stopped service: "Restarting dead …! Last crash reason: …"', async () => {
    const { logger, lines } = captureLogger();
    const scheduler = virtualScheduler();
    const z = new Stat({ name: 'z' });
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [z] });
    await supervisor.start();
    await z.crash(new Error('z died'));
    scheduler.flush();
    await z.stop();
    scheduler.flush();
    expect(said(lines, /Restarting dead/)).toEqual([
      [INFO, 'Restarting dead z! Last crash reason: Error: z died'],
      [INFO, 'Restarting dead z! Last crash reason: stopped'],
    ]);
    await supervisor.stop();
  });

  it('says "Restarting dead …" at level info, and not at warn', async () => {
    for (const level of ['info', 'warn']) {
      const { logger, lines } = captureLogger(level);
      const scheduler = virtualScheduler();
      const z = new Stat({ name: 'z' });
      const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [z] });
      await supervisor.start();
      await z.crash(new Error('z died'));
      scheduler.flush();
      expect(said(lines, /Restarting dead/).length).withContext(level).toBe(level === 'info' ? 1 : 0);
      await supervisor.stop();
    }
  });

  it('leaving a temporary or transient service down: "Not restarting <type> … (…)"', async () => {
    const { logger, lines } = captureLogger();
    const scheduler = virtualScheduler();
    const t = new Stat({ name: 't' });
    const u = new Stat({ name: 'u' });
    const supervisor = new OneForOneSupervisor({ scheduler, logger });
    supervisor.add(t, { restart: 'temporary' });
    supervisor.add(u, { restart: 'transient' });
    await supervisor.start();
    await t.crash(new Error('t died'));
    await u.stop();
    scheduler.flush();
    expect(said(lines, /Not restarting/)).toEqual([
      [INFO, 'Not restarting temporary t (Error: t died)'],
      [INFO, 'Not restarting transient u (stopped)'],
    ]);
    await supervisor.stop();
  });

  it('forfeiting: "Giving up on … (…); stopping …", naming each service it stops', async () => {
    const { logger, lines } = captureLogger();
    const scheduler = virtualScheduler();
    const [a, b] = [new Stat({ name: 'a' }), new Stat({ name: 'b' })];
    const all = new ForfeitOneForAllSupervisor({ scheduler, logger, services: [a, b] });
    await all.start();
    await b.stop();
    scheduler.flush();
    const c = new Stat({ name: 'c' });
    const one = new ForfeitOneForOneSupervisor({ scheduler, logger, services: [c] });
    await one.start();
    await c.crash(new Error('c died'));
    scheduler.flush();
    expect(said(lines, /Giving up/)).toEqual([
      [ERROR, 'Giving up on b (stopped); stopping a, b'],
      [ERROR, 'Giving up on c (Error: c died); stopping c'],
    ]);
    await all.stop();
    await one.stop();
  });

  it('over budget: "Max restarts exceeded: …", with the error', async () => {
    const { logger, lines } = captureLogger();
    const scheduler = virtualScheduler();
    const a = new Stat({ name: 'a' });
    const supervisor = new OneForOneSupervisor({ scheduler, logger, services: [a], maxRestarts: 0, name: 'sup' });
    await supervisor.start();
    await a.crash(new Error('once'));
    scheduler.flush();
    const line = lines.find((l) => /Max restarts exceeded/.test(l.msg ?? ''))!;
    expect(line.level).toBe(ERROR);
    expect(line.msg).toMatch(/^Max restarts exceeded: MaxRestartsExceeded: sup: more than 0 restarts within \d+ms$/);
    expect(line['err']).toEqual(jasmine.objectContaining({ message: jasmine.stringMatching(/more than 0 restarts/) }));
  });

  it('a start, restart or stop that fails: "Could not start …", "Could not restart …", "Unable to stop …"', async () => {
    const { logger, lines } = captureLogger();
    const scheduler = virtualScheduler();
    const flaky = new Flaky({ name: 'flaky' });
    const supervisor = new OneForOneSupervisor({ scheduler, logger });
    await supervisor.start();
    supervisor.add(flaky); // started by the supervisor, and failing
    scheduler.flush();

    const [a, stuck] = [new Flaky({ name: 'a' }), new Unstoppable({ name: 'stuck' })];
    a.failing = false;
    const group = new OneForAllSupervisor({ scheduler, logger, services: [a, stuck], maxRestarts: 100, over: '1h' });
    await group.start();
    a.failing = true;
    await a.crash(new Error('a died'));
    scheduler.flush();
    a.failing = false;
    scheduler.flush();

    const first = (pattern: RegExp) => lines.find((l) => pattern.test(l.msg ?? ''));
    expect(first(/Could not start/)?.msg).toBe('Could not start flaky: Error: flaky cannot start');
    expect(first(/Could not start/)?.['err']).toEqual(jasmine.objectContaining({ message: 'flaky cannot start' }));
    expect(first(/Could not restart a/)?.msg).toBe('Could not restart a: Error: a cannot start');
    expect(first(/Could not restart a/)?.['err']).toEqual(jasmine.objectContaining({ message: 'a cannot start' }));
    expect(first(/Unable to stop/)?.msg).toBe('Unable to stop stuck: Error: stuck');
    expect(first(/Unable to stop/)?.['err']).toEqual(jasmine.objectContaining({ message: 'stuck' }));
    expect([first(/Could not start/)?.level, first(/Could not restart a/)?.level, first(/Unable to stop/)?.level]).toEqual([
      ERROR,
      ERROR,
      ERROR,
    ]);
    await supervisor.stop().catch(() => undefined);
    await group.stop().catch(() => undefined); // stuck fails to stop again
  });
});
