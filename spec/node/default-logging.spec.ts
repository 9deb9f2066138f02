import { childProcessSuite } from './support/child.js';

const APP = 'spec/node/fixtures/default-logging-app.js';

describe('logging with nothing set up', () => {
  const runNode = childProcessSuite();

  it('writes warnings and errors as pino JSON lines on stdout in Node', async () => {
    const child = runNode(APP, [], { ENTRY: 'node' });
    expect((await child.exited()).code).toBe(0);
    const records = child.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r['level'], r['msg']])).toEqual([
      [40, 'disk at 91%'],
      [50, 'Crashed reason=Error: boom'],
    ]);
    expect(records[1]).toEqual(jasmine.objectContaining({ label: 'Doomed', depth: 1, err: jasmine.objectContaining({ type: 'Error', message: 'boom' }) }));
    expect(child.stderr).toBe('');
  });

  it('writes them as lines on the console from the browser entry, without pino', async () => {
    const child = runNode(APP, [], { ENTRY: 'core' });
    expect((await child.exited()).code).toBe(0);
    expect(child.stdout).toBe('');
    const lines = child.stderr.split('\n');
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: WARNING\]: \[app\]: disk at 91%$/);
    expect(lines[1]).toMatch(/^\[.*: ERROR\]: \[\^Doomed\]: Crashed reason=Error: boom \{$/);
    expect(child.stderr).toContain('err: Error: boom');
  });
});
