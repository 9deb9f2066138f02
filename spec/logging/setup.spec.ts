import { getLogger, rootLogger, setRootLogger } from '../../src/logging/logger.js';
import { prettyDestination } from '../../src/logging/pretty.js';
import { normalizeLevel, setupLogging } from '../../src/logging/setup.js';

function sink(): { lines: string[]; write(text: string): void } {
  const lines: string[] = [];
  return {
    lines,
    write(text: string) {
      for (const line of text.split('\n')) if (line) lines.push(line);
    },
  };
}

describe('setupLogging', () => {
  let previous: ReturnType<typeof rootLogger>;
  beforeEach(() => {
    previous = rootLogger();
  });
  afterEach(() => setRootLogger(previous));

  it('writes mode-style lines when pretty, with label and depth from the bindings', () => {
    const out = sink();
    const root = setupLogging({ level: 'info', pretty: true, destination: out });
    expect(rootLogger()).toBe(root);
    root.child({ label: 'Webserver', depth: 3 }).info('Starting...');
    root.child({ label: 'Worker', depth: 1 }).debug('not at info');
    expect(out.lines.length).toBe(1);
    expect(out.lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: INFO\]: \[\^--Webserver\]: Starting\.\.\.$/);
  });

  it('writes JSON lines with label and depth fields otherwise', () => {
    const out = sink();
    const root = setupLogging({ level: 'debug', destination: out });
    root.child({ label: 'UserCache', depth: 3 }).debug('removed %d users', 2);
    expect(out.lines.length).toBe(1);
    const record = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(record['label']).toBe('UserCache');
    expect(record['depth']).toBe(3);
    expect(record['msg']).toBe('removed 2 users');
    expect(record['level']).toBe(20);
    expect(typeof record['time']).toBe('number');
  });

  it('makes getLogger loggers descend from the new root', () => {
    const out = sink();
    setupLogging({ level: 'warn', pretty: true, destination: out, utc: true });
    getLogger('app.db').warn('slow query');
    getLogger('app.db').info('dropped below level');
    expect(out.lines.length).toBe(1);
    expect(out.lines[0]).toMatch(/: WARNING\]: \[app\.db\]: slow query$/);
  });

  it('accepts Python level names and refuses unknown ones, naming them', () => {
    expect(normalizeLevel('WARNING')).toBe('warn');
    expect(normalizeLevel('critical')).toBe('fatal');
    expect(normalizeLevel('Debug')).toBe('debug');
    expect(() => setupLogging({ level: 'loud' })).toThrowError(TypeError, /'loud'/);
    expect(() => normalizeLevel(3)).toThrowError(TypeError, /3/);
  });
  it('writes from info up when no level is given', () => {
    const out = sink();
    setupLogging({ pretty: true, destination: out }).debug('below');
    rootLogger().info('at info');
    expect(out.lines.length).toBe(1);
    expect(out.lines[0]).toMatch(/: INFO\]: at info$/);
  });

  it('writes pretty times in UTC and colours the level when asked', () => {
    const out = sink();
    jasmine.clock().install();
    try {
      jasmine.clock().mockDate(new Date(Date.UTC(2026, 10, 21, 12, 0, 0, 5)));
      // The zone is the machine's (UTC on CI): a stubbed offset tells UTC from local.
      spyOn(Date.prototype, 'getTimezoneOffset').and.returnValue(-60);
      setupLogging({ level: 'info', pretty: true, destination: out, utc: true, colors: true }).warn('hot');
    } finally {
      jasmine.clock().uninstall();
    }
    expect(out.lines).toEqual(['[2026-11-21 12:00:00,005: \x1b[33mWARNING\x1b[0m]: hot']);
  });

  it('refuses an empty or non-string file, naming it', () => {
    // In Node: not a path; in browsers: no file logging at all. Both name the file.
    expect(() => setupLogging({ file: '' })).toThrowError(TypeError, /""/);
    expect(() => setupLogging({ file: 42 as unknown as string })).toThrowError(TypeError, /42/);
  });

  it('trims a level name, and names a level that is not a string in full', () => {
    expect(normalizeLevel(' warn ')).toBe('warn');
    expect(() => normalizeLevel(3)).toThrowError(
      TypeError,
      'invalid log level: 3 (expected one of trace, debug, info, warn, error, fatal, silent)',
    );
    expect(() => normalizeLevel('loud')).toThrowError(
      TypeError,
      "invalid log level: 'loud' (expected one of trace, debug, info, warn, error, fatal, silent)",
    );
  });
});

describe('prettyDestination', () => {
  it('formats each JSON line and passes other text through', () => {
    const out = sink();
    const dest = prettyDestination(out, { utc: true });
    dest.write(`${JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 21, 12), label: 'App', depth: 2, msg: 'hi' })}\nnot json\n`);
    expect(out.lines).toEqual(['[2026-11-21 12:00:00,000: INFO]: [^-App]: hi', 'not json']);
  });

  it('skips blank lines and passes through JSON that is not a record', () => {
    const writes: string[] = [];
    const dest = prettyDestination({ write: (text: string) => void writes.push(text) }, { utc: true });
    dest.write('\n42\nnull\n"text"\n\n');
    expect(writes).toEqual(['42\n', 'null\n', '"text"\n']);
  });
});
