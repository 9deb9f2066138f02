import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootLogger, setRootLogger } from '../../src/logging/logger.js';
import { setupLogging } from '../../src/logging/setup.js';

// File logging needs Node (sonic-boom), so this lives here rather than in spec/logging/.
describe('setupLogging({ file })', () => {
  let dir: string;
  let previous: ReturnType<typeof rootLogger>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxmode-file-logging-'));
    previous = rootLogger();
  });
  afterEach(() => {
    setRootLogger(previous);
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends JSON lines to the file, making its directories, written at once', () => {
    const file = join(dir, 'logs', 'app', 'app.log');
    setupLogging({ level: 'info', file }).child({ label: 'Worker', depth: 1 }).info('first');
    setupLogging({ level: 'info', file }).warn('second');
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r['level'], r['label'], r['msg']])).toEqual([
      [30, 'Worker', 'first'],
      [40, undefined, 'second'],
    ]);
  });

  it('appends to a file that is there already, and writes pretty lines when asked', () => {
    const file = join(dir, 'app.log');
    writeFileSync(file, 'kept\n');
    setupLogging({ level: 'info', file, pretty: true, utc: true }).info('pretty');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe('kept');
    expect(lines[1]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: INFO\]: pretty$/);
  });
});
