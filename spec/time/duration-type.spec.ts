import { Service } from '../../src/service/service.js';
import { supervise } from '../../src/supervisors/supervise.js';
import { timer } from '../../src/time/decorators.js';
import { toMs, type Duration } from '../../src/time/duration.js';

// `npm run typecheck` compiles this file: each `@ts-expect-error` below fails the type
// check if the line after it ever compiles. Each bad value is then refused at run time
// too, as it is for plain JavaScript.
describe('Duration (the type)', () => {
  it('takes numbers and strings with a unit', () => {
    const good: Duration[] = [0, 250, '500ms', '1.5s', '2m', '1h', '1d', '.5s'];
    expect(good.map((d) => toMs(d))).toEqual([0, 250, 500, 1_500, 120_000, 3_600_000, 86_400_000, 500]);
  });

  it("refuses 'soon' in @timer at compile time and when the class is defined", () => {
    expect(() => {
      class Bad extends Service {
        // @ts-expect-error: 'soon' is not a Duration
        @timer('soon') tick() {}
      }
      return Bad;
    }).toThrowError(TypeError, /'soon'/);
  });

  it("refuses over: 'a minute' at compile time and where the pipeline is built", () => {
    // @ts-expect-error: 'a minute' is not a Duration
    expect(() => supervise({ maxRestarts: 3, over: 'a minute' })).toThrowError(TypeError, /'a minute'/);
  });

  it('refuses a unit it does not know, and a string with no number', () => {
    // @ts-expect-error: 'w' is not a unit
    const weeks: Duration = '2w';
    // @ts-expect-error: no number
    const bare: Duration = 'ms';
    expect(() => toMs(weeks)).toThrowError(TypeError, /'2w'/);
    expect(() => toMs(bare)).toThrowError(TypeError, /'ms'/);
  });

  it('lets class-level settings be overridden with a plain string literal', async () => {
    class Quick extends Service {
      static override stopTimeout = '5ms';
    }
    const svc = new Quick();
    expect(svc.stopTimeout).toBe('5ms');
    await svc.start();
    await svc.stop();
    expect(svc.state).toBe('shutdown');
  });
});
