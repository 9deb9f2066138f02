// What a service says: every line it logs over a start and a stop, at its level, and the
// wording of its errors. People read these (and tools grep them), so they are behaviour.
import { Service, ServiceStateError } from '../../src/index.js';
import { LEVEL, type LogLine, captureLogger, deferred, failureOf, settle } from '../support/fixtures.js';

/** Each line as `label level msg`, for lines of the lifecycle (not the user's). */
const story = (lines: LogLine[]) => lines.map((line) => `${line.label} ${line.level} ${line.msg}`);

describe('Service messages', () => {
  it('logs a leaf’s start and stop step by step, each line at its level', async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Web', logger });
    await svc.start();
    await svc.stop();
    expect(story(lines)).toEqual([
      `Web ${LEVEL.info} Starting...`,
      `Web ${LEVEL.debug} Started.`,
      `Web ${LEVEL.info} Stopping...`,
      `Web ${LEVEL.debug} Shutting down...`,
      `Web ${LEVEL.info} -Stopped!`,
    ]);
  });

  it('logs a parent’s shutdown after its children stopped', async () => {
    const { logger, lines } = captureLogger();
    const parent = new Service({ name: 'App', logger });
    parent.addDependency(new Service({ name: 'Db', logger }));
    await parent.start();
    await parent.stop();
    expect(story(lines)).toEqual([
      `App ${LEVEL.info} Starting...`,
      `Db ${LEVEL.info} Starting...`,
      `Db ${LEVEL.debug} Started.`,
      `App ${LEVEL.debug} Started.`,
      `App ${LEVEL.info} Stopping...`,
      `Db ${LEVEL.info} Stopping...`,
      `Db ${LEVEL.debug} Shutting down...`,
      `Db ${LEVEL.info} -Stopped!`,
      `App ${LEVEL.debug} Shutting down...`,
      `App ${LEVEL.info} -Stopped!`,
    ]);
  });

  it('logs the wait for setShutdown() and its end', async () => {
    class Patient extends Service {
      static override waitForShutdown = true;
    }
    const { logger, lines } = captureLogger();
    const svc = new Patient({ name: 'Patient', logger });
    await svc.start();
    const stopping = svc.stop();
    await settle();
    expect(story(lines).slice(-3)).toEqual([
      `Patient ${LEVEL.info} Stopping...`,
      `Patient ${LEVEL.debug} Shutting down...`,
      `Patient ${LEVEL.debug} Waiting for shutdown`,
    ]);
    svc.setShutdown();
    await stopping;
    expect(story(lines).slice(-2)).toEqual([`Patient ${LEVEL.debug} Shutting down now`, `Patient ${LEVEL.info} -Stopped!`]);
  });

  it('gives a crash reason in one line: Name: message for an Error, a string as it is, JSON else, String() where JSON fails', async () => {
    const { logger, lines } = captureLogger('error');
    const reasons: unknown[] = [new RangeError('too far'), 'plain words', { code: 7 }, [1, 'a'], 12n, null];
    for (const reason of reasons) {
      const svc = new Service({ name: 'S', logger });
      await svc.start();
      await svc.crash(reason);
    }
    expect(lines.map((line) => line.msg)).toEqual([
      'Crashed reason=RangeError: too far',
      'Crashed reason=plain words',
      'Crashed reason={"code":7}',
      'Crashed reason=[1,"a"]',
      'Crashed reason=12',
      'Crashed reason=null',
    ]);
  });

  it('logs a failed start once at error where it failed, and at debug in each ancestor it rolls back', async () => {
    const boom = new Error('no disk');
    class Failing extends Service {
      override onStart() {
        throw boom;
      }
    }
    const { logger, lines } = captureLogger();
    const root = new Service({ name: 'App', logger });
    const middle = root.addDependency(new Service({ name: 'Store', logger }));
    middle.addDependency(new Failing({ name: 'Disk', logger }));
    expect(await failureOf(root.start())).toBe(boom);
    const said = lines.filter((line) => line.level >= LEVEL.error || /failed/.test(line.msg ?? ''));
    expect(said.map((line) => `${line.label} ${line.level} ${line.msg}`)).toEqual([
      `Disk ${LEVEL.error} Crashed reason=Error: no disk`,
      `Store ${LEVEL.debug} Start failed in a dependency: Error: no disk`,
      `App ${LEVEL.debug} Start failed in a dependency: Error: no disk`,
    ]);
    expect(said[0]!.err?.message).toBe('no disk');
  });

  it('logs each start failure that is not an object at error wherever it happens (nothing to recognise it by)', async () => {
    class Failing extends Service {
      override onStart() {
        throw 'no disk';
      }
    }
    const { logger, lines } = captureLogger();
    const root = new Service({ name: 'App', logger });
    root.addDependency(new Failing({ name: 'Disk', logger }));
    await expectAsync(root.start()).toBeRejectedWith('no disk');
    const errors = lines.filter((line) => line.level === LEVEL.error);
    expect(errors.map((line) => `${line.label} ${line.msg}`)).toEqual(['Disk Crashed reason=no disk', 'App Crashed reason=no disk']);
  });

  it('logs an async start failure once, with no warning from the rollback’s stop', async () => {
    class Failing extends Service {
      override async onStart() {
        await settle();
        throw new Error('late no');
      }
    }
    const { logger, lines } = captureLogger('warn');
    const svc = new Failing({ name: 'Disk', logger });
    await expectAsync(svc.start()).toBeRejectedWithError('late no');
    expect(story(lines)).toEqual([`Disk ${LEVEL.error} Crashed reason=Error: late no`]);
  });

  it('logs a crash once: a crashed service whose stop then fails is logged as failing to stop, not as crashing again', async () => {
    class Clumsy extends Service {
      override onStop() {
        throw new Error('stuck');
      }
    }
    const { logger, lines } = captureLogger('error');
    const svc = new Clumsy({ name: 'Clumsy', logger });
    await svc.start();
    await svc.crash(new Error('boom'));
    await expectAsync(svc.stop()).toBeRejectedWithError('stuck');
    // The stop's failure is logged too: a restart does not replay it (restart.spec.ts).
    expect(story(lines)).toEqual([
      `Clumsy ${LEVEL.error} Crashed reason=Error: boom`,
      `Clumsy ${LEVEL.error} Stop failed reason=Error: stuck`,
    ]);
    expect((svc.crashReason as Error).message).toBe('boom');
  });

  it('warns with the hook’s name when a start hook fails after a stop began, and stops cleanly', async () => {
    const gate = deferred();
    class Slow extends Service {
      override onStart() {
        return gate.promise;
      }
    }
    const { logger, lines } = captureLogger('warn');
    const svc = new Slow({ name: 'Slow', logger });
    const starting = svc.start();
    const stopping = svc.stop();
    gate.reject(new RangeError('late'));
    await stopping;
    await starting;
    expect(svc.state).toBe('shutdown');
    expect(story(lines)).toEqual([`Slow ${LEVEL.warn} Slow.onStart failed after the stop began: RangeError: late`]);
  });

  it('names the child and its failure when a child fails to stop', async () => {
    class Stuck extends Service {
      override onStop() {
        throw new Error('jammed');
      }
    }
    const { logger, lines } = captureLogger('error');
    const parent = new Service({ name: 'App', logger });
    parent.addDependency(new Stuck({ name: 'Door', logger }));
    await parent.start();
    await failureOf(parent.stop());
    expect(story(lines.filter((line) => line.label === 'App'))).toContain(
      `App ${LEVEL.error} Error while stopping child Door: Error: jammed`,
    );
  });

  it('counts the failures of a stop in its AggregateError’s message', async () => {
    class Clumsy extends Service {
      override onStop() {
        throw new Error('first');
      }
      override onShutdown() {
        throw new Error('second');
      }
    }
    const svc = new Clumsy({ name: 'Clumsy' });
    await svc.start();
    const error = await failureOf(svc.stop());
    expect(error).toEqual(jasmine.any(AggregateError));
    expect(error.message).toBe('Clumsy: 2 failures while stopping');
  });

  it('says why a reset is refused: the service itself, or which dependency still runs', async () => {
    const leaf = new Service({ name: 'Leaf' });
    await leaf.start();
    expect(() => leaf.serviceReset()).toThrow(new ServiceStateError('cannot reset Leaf: it is running; stop it first'));
    await leaf.stop();

    const parent = new Service({ name: 'App' });
    const child = parent.addDependency(new Service({ name: 'Db' }));
    await parent.start();
    expect(() => parent.serviceReset()).toThrow(new ServiceStateError('cannot reset App: it is running; stop it first'));
    await parent.stop();
    expect(child.state).toBe('shutdown');
    // A dependency added since, started on its own, blocks the reset of its stopped parent.
    const busy = parent.addDependency(new Service({ name: 'Cache' }));
    await busy.start();
    let refused: unknown;
    try {
      parent.serviceReset();
    } catch (error) {
      refused = error;
    }
    expect(refused).toEqual(jasmine.any(ServiceStateError));
    expect((refused as ServiceStateError).message).toBe('cannot reset App: it is shutdown (its dependency Cache is running); stop it first');
    expect((refused as ServiceStateError).state).toBe('running');
    await busy.stop();
  });

  it('refuses to reset a tree while its stop is under way, naming the service, and resets none', async () => {
    const gate = deferred();
    class Slow extends Service {
      override onStop() {
        return gate.promise;
      }
    }
    const parent = new Service({ name: 'App' });
    const child = parent.addDependency(new Slow({ name: 'Db' }));
    await parent.start();
    const stopping = parent.stop();
    expect(() => parent.serviceReset()).toThrow(new ServiceStateError('cannot reset App: it is stopping; stop it first'));
    expect([parent.restartCount, child.restartCount]).toEqual([0, 0]);
    gate.resolve();
    await stopping;
  });

  it('says why a start is refused, with the state it found', async () => {
    const svc = new Service({ name: 'Web' });
    await svc.start();
    const error = await failureOf(svc.start());
    expect(error).toEqual(jasmine.any(ServiceStateError));
    expect(error.name).toBe('ServiceStateError');
    expect(error.message).toBe('cannot start Web: it is running (start needs init; restart() or serviceReset() first)');
    expect((error as ServiceStateError).state).toBe('running');
    await svc.stop();
  });
});
