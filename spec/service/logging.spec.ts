import { VirtualTimeScheduler } from 'rxjs';
import { Service } from '../../src/index.js';
import { rootLogger, setRootLogger } from '../../src/logging/logger.js';
import { LEVEL, type LogLine, captureLogger } from '../support/fixtures.js';

const find = (lines: LogLine[], msg: string) => lines.filter((line) => line.msg === msg);

describe('Service logging', () => {
  it('logs Starting... and Stopping... at info by default', async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Web', logger });
    expect(svc.mundaneLevel).toBe('info');
    await svc.start();
    await svc.stop();
    expect(find(lines, 'Starting...').map((l) => l.level)).toEqual([LEVEL.info]);
    expect(find(lines, 'Stopping...').map((l) => l.level)).toEqual([LEVEL.info]);
  });

  it("logs them at debug when mundaneLevel is 'debug' (on the class or the instance)", async () => {
    class Quiet extends Service {
      static override mundaneLevel = 'debug' as const;
    }
    const { logger, lines } = captureLogger();
    const quiet = new Quiet({ logger });
    expect(quiet.mundaneLevel).toBe('debug');
    await quiet.start();
    await quiet.stop();
    const other = new Service({ name: 'Other', logger });
    other.mundaneLevel = 'debug';
    await other.start();
    await other.stop();
    expect(find(lines, 'Starting...').map((l) => l.level)).toEqual([LEVEL.debug, LEVEL.debug]);
    expect(find(lines, 'Stopping...').map((l) => l.level)).toEqual([LEVEL.debug, LEVEL.debug]);
  });

  it('leaves the mundane lines out when the logger level is above them', async () => {
    const { logger, lines } = captureLogger('info');
    const svc = new Service({ logger });
    svc.mundaneLevel = 'debug';
    await svc.start();
    await svc.stop();
    expect(find(lines, 'Starting...')).toEqual([]);
  });

  it('binds each line to the service label and its depth in the tree', async () => {
    const { logger, lines } = captureLogger();
    const root = new Service({ name: 'App', logger });
    const child = root.addDependency(new Service({ name: 'Cache', logger }));
    const grandchild = child.addDependency(new Service({ name: 'Conn', logger }));
    await root.start();
    const starting = find(lines, 'Starting...').map((l) => [l.label, l.depth]);
    expect(starting).toEqual([['App', 1], ['Cache', 2], ['Conn', 3]]);
    grandchild.log.info('hello');
    expect(lines[lines.length - 1]).toEqual(jasmine.objectContaining({ msg: 'hello', label: 'Conn', depth: 3, level: LEVEL.info }));
    await root.stop();
  });

  it('follows the depth when the service moves in the tree', () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Mover', logger });
    svc.log.info('alone');
    const parent = new Service({ name: 'Parent' });
    parent.addDependency(svc);
    svc.log.info('below');
    expect(lines.map((l) => [l.msg, l.depth])).toEqual([['alone', 1], ['below', 2]]);
  });

  it('writes to the root logger of the moment when it was given none', () => {
    const first = captureLogger();
    const second = captureLogger();
    const before = rootLogger();
    try {
      const svc = new Service({ name: 'Roaming' });
      setRootLogger(first.logger);
      svc.log.info('one');
      setRootLogger(second.logger);
      svc.log.info('two');
      expect(first.lines.map((line) => line.msg)).toEqual(['one']);
      expect(second.lines.map((line) => [line.msg, line.label])).toEqual([['two', 'Roaming']]);
    } finally {
      setRootLogger(before);
    }
  });

  it('logs a crash at error with the reason', async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Db', logger });
    await svc.start();
    await svc.crash(new TypeError('bad row'));
    const errors = lines.filter((l) => l.level === LEVEL.error);
    expect(errors.length).toBe(1);
    expect(errors[0]!.msg).toContain('Crashed');
    expect(errors[0]!.msg).toContain('bad row');
    expect(errors[0]!.err?.message).toBe('bad row');
    expect(errors[0]!.label).toBe('Db');
  });

  it('logs a failing child stop at error, naming the child', async () => {
    class Failing extends Service {
      override onStop() {
        throw new Error('stuck');
      }
    }
    const { logger, lines } = captureLogger();
    const parent = new Service({ name: 'Parent', logger });
    parent.addDependency(new Failing({ name: 'Stuck', logger }));
    await parent.start();
    await parent.stop().catch(() => undefined);
    const fromParent = lines.filter((l) => l.level === LEVEL.error && l.label === 'Parent');
    expect(fromParent.some((l) => (l.msg ?? '').includes('Stuck') && (l.msg ?? '').includes('stuck'))).toBeTrue();
  });

  it('warns when waitForShutdown gives up after shutdownTimeout, then finishes the stop', async () => {
    const scheduler = new VirtualTimeScheduler();
    class Patient extends Service {
      static override waitForShutdown = true;
      static override shutdownTimeout = '5s';
    }
    const { logger, lines } = captureLogger();
    const svc = new Patient({ scheduler, logger });
    await svc.start();
    const stopping = svc.stop();
    expect(svc.state).toBe('stopping');
    scheduler.flush();
    await stopping;
    expect(svc.state).toBe('shutdown');
    expect(scheduler.now()).toBe(5000);
    const warnings = lines.filter((l) => l.level === LEVEL.warn);
    expect(warnings.length).toBe(1);
    expect(warnings[0]!.msg).toContain('5000');
  });

  it('stops at once on setShutdown() when waiting for it, without a warning', async () => {
    const scheduler = new VirtualTimeScheduler();
    class Patient extends Service {
      static override waitForShutdown = true;
    }
    const { logger, lines } = captureLogger();
    const svc = new Patient({ scheduler, logger });
    await svc.start();
    const stopping = svc.stop();
    expect(svc.state).toBe('stopping');
    svc.setShutdown();
    await stopping;
    expect(svc.state).toBe('shutdown');
    expect(scheduler.now()).toBe(0);
    expect(lines.filter((l) => l.level === LEVEL.warn)).toEqual([]);
  });
});

describe('Service logging, regressions (found by the spec suite in the first core)', () => {
  it("logs -Stopped! at mundaneLevel like Starting.../Stopping... (issue 2)", async () => {
    const { logger, lines } = captureLogger();
    const svc = new Service({ name: 'Web', logger });
    await svc.start();
    await svc.stop();
    expect(lines.filter((l) => l.msg === '-Stopped!').map((l) => l.level)).toEqual([LEVEL.info]);
  });
});
