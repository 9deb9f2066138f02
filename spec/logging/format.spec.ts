import fc from 'fast-check';
import { formatRecord, formatTime, levelName, localTime, servicePrefix } from '../../src/logging/format.js';

const NOON = Date.UTC(2026, 10, 21, 12, 0, 0, 0);

describe('formatRecord (mode-style lines)', () => {
  it('renders a service line with one dash per level below the root', () => {
    expect(formatRecord({ level: 30, time: NOON, label: 'Worker', depth: 1, msg: 'Starting...' }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: INFO]: [^Worker]: Starting...');
    expect(formatRecord({ level: 30, time: NOON, label: 'AppService', depth: 2, msg: 'Starting...' }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: INFO]: [^-AppService]: Starting...');
    expect(formatRecord({ level: 30, time: NOON + 164, label: 'Webserver', depth: 3, msg: 'Serving on port 8000' }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,164: INFO]: [^--Webserver]: Serving on port 8000');
  });

  it('uses Python level names', () => {
    expect([10, 20, 30, 40, 50, 60].map(levelName)).toEqual(['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
    expect(levelName('warn')).toBe('WARNING');
    expect(levelName('fatal')).toBe('CRITICAL');
  });

  it('shows a named logger by name, and extra fields after the message', () => {
    expect(formatRecord({ level: 40, time: NOON, name: 'app.cache', msg: 'slow', key: 'u1', ms: 12 }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: WARNING]: [app.cache]: slow key="u1", ms=12');
  });

  it('writes an err that is no object (pino passes it on as it is) as an extra field, unless the message shows it', () => {
    expect(formatRecord({ level: 50, time: NOON, name: 'app', msg: 'failed', err: 'timed out' as never }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: [app]: failed err="timed out"');
    expect(formatRecord({ level: 50, time: NOON, name: 'app', err: 404 as never }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: [app]:  err=404');
    expect(formatRecord({ level: 50, time: NOON, name: 'app', msg: 'Crashed reason=timed out', err: 'timed out' as never }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: [app]: Crashed reason=timed out');
  });

  it('puts an error stack on the lines after', () => {
    const line = formatRecord(
      { level: 50, time: NOON, label: 'App', depth: 2, msg: 'Crashed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } },
      { utc: true },
    );
    expect(line).toBe('[2026-11-21 12:00:00,000: ERROR]: [^-App]: Crashed\nError: boom\n    at x');
  });

  it('adds nothing for a one-line error the message already shows', () => {
    expect(formatRecord(
      { level: 50, time: NOON, label: 'Webserver', depth: 3, msg: 'Crashed reason=PortInUse: port 8000 is in use', err: { type: 'PortInUse', message: 'port 8000 is in use', stack: 'PortInUse: port 8000 is in use' } },
      { utc: true },
    )).toBe('[2026-11-21 12:00:00,000: ERROR]: [^--Webserver]: Crashed reason=PortInUse: port 8000 is in use');
  });

  it('uses the error message when there is no msg', () => {
    expect(formatRecord({ level: 50, time: NOON, err: { type: 'TypeError', message: 'bad' } }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: bad');
  });

  it('colours the level name only when asked', () => {
    const plain = formatRecord({ level: 40, time: NOON, msg: 'x' }, { utc: true });
    const coloured = formatRecord({ level: 40, time: NOON, msg: 'x' }, { utc: true, colors: true });
    expect(plain).not.toContain('\x1b[');
    expect(coloured).toContain('\x1b[33mWARNING\x1b[0m');
  });

  it('formats local time by default, like Python asctime', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatTime(at)).toBe('2026-01-02 03:04:05,006');
  });

  it("writes the console logger's local time as formatTime does, for any time of the years 1970 to 9999", () => {
    expect(localTime(new Date(2026, 0, 2, 3, 4, 5, 6).getTime())).toBe('2026-01-02 03:04:05,006');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(localTime(ms)).toBe(formatTime(ms));
      }),
    );
  });

  it('treats a missing depth as the root', () => {
    expect(servicePrefix('X', undefined)).toBe('[^X]');
    expect(servicePrefix('X', 0)).toBe('[^X]');
    expect(servicePrefix('X', 4)).toBe('[^---X]');
  });

  it('names a level it does not know by its own text, in upper case', () => {
    expect(levelName(35)).toBe('35');
    expect(levelName('verbose')).toBe('VERBOSE');
  });

  // The zone is the machine's (UTC on CI, where local and UTC read the same): a
  // stubbed offset shows which one each function reads.
  it('shifts local time by the offset of the zone, and UTC not at all', () => {
    spyOn(Date.prototype, 'getTimezoneOffset').and.returnValue(-330); // India, UTC+5:30
    expect(formatTime(NOON)).toBe('2026-11-21 17:30:00,000');
    expect(formatTime(NOON, { utc: false })).toBe('2026-11-21 17:30:00,000');
    expect(formatTime(NOON, { utc: true })).toBe('2026-11-21 12:00:00,000');
    expect(localTime(NOON)).toBe('2026-11-21 17:30:00,000');
    expect(formatRecord({ level: 30, time: NOON, msg: 'x' })).toBe('[2026-11-21 17:30:00,000: INFO]: x');
  });

  it('writes a time no Date can hold as NaN, and the last one a Date holds as a date', () => {
    expect(formatTime(NaN, { utc: true })).toBe('0NaN-NaN-NaN NaN:NaN:NaN,NaN');
    expect(formatTime(8.64e15 + 1, { utc: true })).toBe('0NaN-NaN-NaN NaN:NaN:NaN,NaN');
    expect(formatTime(8.64e15, { utc: true })).toMatch(/^\+275760-09-13 00:00:00/);
    expect(formatTime(-8.64e15, { utc: true })).toMatch(/^-271821-04-20 00:00:00/);
  });

  it('takes an ISO time as pino writes it with a custom timestamp, and the current time for one it cannot read', () => {
    expect(formatRecord({ level: 30, time: '2026-11-21T12:00:00.250Z', msg: 'x' }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,250: INFO]: x');
    jasmine.clock().install();
    try {
      jasmine.clock().mockDate(new Date(NOON + 7));
      expect(formatRecord({ level: 30, time: 'soon', msg: 'x' }, { utc: true })).toBe('[2026-11-21 12:00:00,007: INFO]: x');
      expect(formatRecord({ level: 30, msg: 'x' }, { utc: true })).toBe('[2026-11-21 12:00:00,007: INFO]: x');
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('writes an empty message for a record with neither msg nor err', () => {
    expect(formatRecord({ level: 30, time: NOON }, { utc: true })).toBe('[2026-11-21 12:00:00,000: INFO]: ');
  });

  it('writes extra fields as JSON, leaves out undefined ones, and falls back to String for what JSON cannot write', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const line = formatRecord(
      { level: 30, time: NOON, msg: 'm', gone: undefined, obj: { a: [1, 'b'] }, big: 10n, cyclic, sym: Symbol('s') },
      { utc: true },
    );
    expect(line).toBe('[2026-11-21 12:00:00,000: INFO]: m obj={"a":[1,"b"]}, big=10, cyclic=[object Object], sym=Symbol(s)');
  });

  it('puts a one-line stack the line does not show on the line after', () => {
    expect(formatRecord(
      { level: 50, time: NOON, msg: 'Crashed', err: { type: 'Error', message: 'boom', stack: 'Error: boom' } },
      { utc: true },
    )).toBe('[2026-11-21 12:00:00,000: ERROR]: Crashed\nError: boom');
  });

  it('adds nothing for a one-line stack the line already shows, whatever its message', () => {
    expect(formatRecord(
      { level: 50, time: NOON, msg: 'Custom failure', err: { message: 'other words', stack: 'Custom failure' } },
      { utc: true },
    )).toBe('[2026-11-21 12:00:00,000: ERROR]: Custom failure');
  });

  it('names an error without a stack by its type and message, Error when it has no type', () => {
    expect(formatRecord({ level: 50, time: NOON, msg: 'Crashed', err: { type: 'TypeError', message: 'bad' } }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: Crashed\nTypeError: bad');
    expect(formatRecord({ level: 50, time: NOON, msg: 'Crashed', err: { message: 'bad' } }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: Crashed\nError: bad');
    // Nothing to add for an error with neither stack nor message.
    expect(formatRecord({ level: 50, time: NOON, msg: 'Crashed', err: { type: 'TypeError' } }, { utc: true }))
      .toBe('[2026-11-21 12:00:00,000: ERROR]: Crashed');
  });
});
