import { consoleLogger } from '../../src/logging/console-logger.js';

describe('consoleLogger (the default root logger outside Node)', () => {
  let calls: Array<[string, unknown[]]>;
  beforeEach(() => {
    calls = [];
    for (const method of ['debug', 'info', 'warn', 'error'] as const) {
      spyOn(console, method).and.callFake((...args: unknown[]) => void calls.push([method, args]));
    }
  });

  it('writes only from its level up, each level to its console method', () => {
    const log = consoleLogger({ level: 'warn' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.fatal('f');
    expect(calls.map(([method, args]) => [method, String(args[0]).replace(/^\[[^\]]*\]: /, '')])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
      ['error', 'f'],
    ]);
    expect(log.levelVal).toBe(40);
  });

  it('writes trace to console.debug and fatal to console.error, which have no method of their own', () => {
    const log = consoleLogger({ level: 'trace' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.fatal('f');
    expect(calls.map(([method, args]) => [method, String(args[0]).replace(/^\[[^\]]*\]: /, '')])).toEqual([
      ['debug', 't'],
      ['debug', 'd'],
      ['info', 'i'],
      ['error', 'f'],
    ]);
  });

  it('prefixes mode-style, leaves printf arguments to the console and puts fields last', () => {
    const err = new Error('boom');
    consoleLogger({ level: 'info' }).child({ label: '50%', depth: 2 }).error({ err }, 'Crashed reason=%s', 'Error: boom');
    const [method, args] = calls[0]!;
    expect(method).toBe('error');
    expect(args[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: ERROR\]: \[\^-50%%\]: Crashed reason=%s$/);
    expect(args.slice(1)).toEqual(['Error: boom', { err }]);
  });

  it('names getLogger loggers and takes an Error as the fields', () => {
    const err = new Error('lost');
    consoleLogger({ level: 'info' }).child({ name: 'app.db' }).warn(err);
    expect(calls[0]![1][0]).toMatch(/: WARNING\]: \[app\.db\]: lost$/);
    expect(calls[0]![1][1]).toEqual({ err });
  });

  it('follows a change of level, and refuses an unknown one naming it', () => {
    const log = consoleLogger({ level: 'error' });
    log.info('before');
    log.level = 'info';
    log.info('after');
    expect(calls.length).toBe(1);
    expect(log.levelVal).toBe(30);
    expect(() => (log.level = 'loud')).toThrowError(TypeError, /'loud'/);
    expect(() => consoleLogger({ level: 'LOUD' })).toThrowError(TypeError, /'LOUD'/);
  });

  it('gives the console the line alone when there are no fields, and bound fields when there are', () => {
    const log = consoleLogger({ level: 'warn' });
    log.warn('plain');
    log.child({ requestId: 7 }).warn('bound');
    expect(calls[0]![1].length).toBe(1);
    expect(calls[1]![1].slice(1)).toEqual([{ requestId: 7 }]);
  });

  it('writes a call with fields and no message as an empty message, the fields after it', () => {
    consoleLogger({ level: 'warn' }).warn({ key: 'u1' });
    expect(calls[0]![1][0]).toMatch(/: WARNING\]: $/);
    expect(calls[0]![1].slice(1)).toEqual([{ key: 'u1' }]);
  });

  it('reads back its level, and gives it to its children', () => {
    const log = consoleLogger({ level: 'error' });
    expect(log.level).toBe('error');
    log.level = 'debug';
    expect(log.child({ name: 'c' }).level).toBe('debug');
  });
});
