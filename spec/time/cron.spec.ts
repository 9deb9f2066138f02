import fc from 'fast-check';
import { take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { offsetScheduler } from '../../src/testing/virtual-clock.js';
import { cron$, nextCronRun, validateCron } from '../../src/time/cron.js';

describe('validateCron', () => {
  it('accepts five fields, six with seconds, and IANA zones', () => {
    expect(() => validateCron('0 9 * * 1')).not.toThrow();
    expect(() => validateCron('*/15 0 9 * * 1-5', 'Europe/Paris')).not.toThrow();
    expect(() => validateCron('@daily', 'America/New_York')).not.toThrow();
  });

  it('throws a TypeError naming a malformed expression', () => {
    for (const bad of ['0 9 * *', '61 * * * *', 'every monday', '', '   ', '* * * * * * *', '0 0 30 2 *']) {
      expect(() => validateCron(bad)).toThrowMatching(
        (error) => error instanceof TypeError && error.message.includes(`invalid cron expression: '${bad}'`),
      );
    }
    // blanks around the fields are not fields: four fields are still four
    expect(() => validateCron('  0 9 * *')).toThrowError(TypeError, /^invalid cron expression: '  0 9 \* \*' \(expected 5 fields/);
    expect(() => validateCron(' 0 9 * * 1 ')).not.toThrow();
    expect(() => validateCron(42 as unknown as string)).toThrowMatching(
      (error) => error instanceof TypeError && error.message.includes('42'),
    );
  });

  it("gives the same verdict whatever today's date: it looks for a run from 1970", () => {
    // Three days before the last moment a Date holds, no Monday 09:00 is left to find.
    jasmine.clock().install();
    try {
      jasmine.clock().mockDate(new Date(8.64e15 - 3 * 86_400_000));
      expect(() => validateCron('0 9 * * 1', 'Europe/Paris')).not.toThrow();
      expect(() => validateCron('0 9 * *')).toThrowError(TypeError, /^invalid cron expression: '0 9 \* \*'/);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('names a zone that is no string as it is, and keeps the parser\'s error as the cause', () => {
    expect(() => validateCron('0 9 * * 1', 5 as never)).toThrowError(TypeError, /^invalid cron timezone: 5 \(/);
    let thrown: unknown;
    try {
      validateCron('61 * * * *');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).cause).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(((thrown as Error).cause as Error).message);
  });

  it('throws a TypeError naming an unknown time zone', () => {
    for (const zone of ['Mars/Olympus', 'local', '']) {
      expect(() => validateCron('0 9 * * 1', zone)).toThrowMatching(
        (error) => error instanceof TypeError && error.message.includes(`invalid cron timezone: '${zone}'`),
      );
    }
  });

  it('refuses a zone that is no string even when it reads as a valid one (a String object)', () => {
    // Intl.DateTimeFormat reads it as 'UTC' and it has a trim(): without the type check it
    // passes for a zone, and cron-parser then fails on it as if the expression were bad.
    expect(() => validateCron('0 9 * * 1', new String('UTC') as never)).toThrowError(
      TypeError,
      /^invalid cron timezone: UTC \(expected an IANA zone/,
    );
  });
});

describe('cron$', () => {
  it('throws at call time, before any subscription', () => {
    expect(() => cron$('0 9 * *')).toThrowError(TypeError, /'0 9 \* \*'/);
    expect(() => cron$('0 9 * * 1', { timezone: 'Europe/Pariss' })).toThrowError(TypeError, /'Europe\/Pariss'/);
  });
});

describe('nextCronRun', () => {
  it('gives the first run strictly after the given time, in the given zone', () => {
    expect(new Date(nextCronRun('0 9 * * 1', 'Europe/Paris', Date.UTC(2026, 2, 1))).toISOString()).toBe(
      '2026-03-02T08:00:00.000Z',
    );
    expect(new Date(nextCronRun('0 9 * * 1', 'UTC', Date.parse('2026-03-02T09:00:00Z'))).toISOString()).toBe(
      '2026-03-09T09:00:00.000Z',
    );
  });
});

describe('cron$ invariants (property)', () => {
  const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
  const expressions = ['30 2 * * *', '0 * * * *', '*/20 1-3 * * *', '0 9 * * 1', '15 0 1 * *', '0 0 12 * * *'];
  // 2026 holds every DST change of these zones
  const year = { min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) };

  it('emits each run time when the virtual clock reaches it, strictly increasing, each a match', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...expressions),
        fc.constantFrom(...zones),
        fc.integer(year),
        (expression, timezone, startMs) => {
          const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
          const seen: Array<{ date: number; clock: number }> = [];
          testScheduler.run(({ flush }) => {
            const clock = offsetScheduler(testScheduler, startMs);
            cron$(expression, { timezone, scheduler: clock })
              .pipe(take(6))
              .subscribe((date) => seen.push({ date: date.getTime(), clock: clock.now() }));
            flush();
          });
          // Thrown, not expect()ed: fast-check must see a failure to report and shrink it.
          const ensure = (ok: boolean, what: string) => {
            if (!ok) throw new Error(`${expression} in ${timezone} from ${new Date(startMs).toISOString()}: ${what}`);
          };
          ensure(seen.length === 6, `${seen.length} runs, expected 6`);
          let previous = startMs;
          for (const { date, clock } of seen) {
            ensure(clock === date, `emitted at ${clock}, not at its time ${date}`);
            ensure(date > previous, `run ${date} not after ${previous}`); // never twice, never backwards
            // and it is the very next run after the previous one
            ensure(date === nextCronRun(expression, timezone, previous), `run ${date} is not the next after ${previous}`);
            previous = date;
          }
        },
      ),
      { numRuns: 60, examples: [['0 0 12 * * *', 'Australia/Lord_Howe', 1774832400000]] },
    );
    expect().nothing(); // fc.assert throws with the shrunk counterexample on any failure
  });
});
