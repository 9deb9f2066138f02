import { pino } from 'pino';
import { Service } from '../../src/service/service.js';
import type { Logger } from '../../src/logging/logger.js';

// A type test as much as a spec: `tsc` (npm run typecheck) checks that pino's logger is a
// Logger, so `new Service({ logger: pino() })` keeps compiling.
describe('Logger', () => {
  it('is satisfied by a pino logger, which a service then logs through', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger: Logger = pino(
      // Node's pino writes JSON lines to the stream; its browser build hands records to `write`.
      { level: 'info', base: undefined, browser: { asObject: true, write: (record: object) => void lines.push(record as Record<string, unknown>) } },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    const svc = new Service({ name: 'Typed', logger });
    await svc.start();
    await svc.stop();
    expect(lines.map((l) => [l['label'], l['msg']])).toEqual([
      ['Typed', 'Starting...'],
      ['Typed', 'Stopping...'],
      ['Typed', '-Stopped!'],
    ]);
  });
});
