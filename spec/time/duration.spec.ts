import fc from 'fast-check';
import { toMs, wantSeconds } from '../../src/time/duration.js';
import { toIntervalMs } from '../../src/time/interval.js';

describe('durations', () => {
  it('reads numbers as milliseconds', () => {
    expect(toMs(0)).toBe(0);
    expect(toMs(250)).toBe(250);
  });

  it('reads strings with a unit', () => {
    expect(toMs('500ms')).toBe(500);
    expect(toMs('1.5s')).toBe(1500);
    expect(toMs('2m')).toBe(120_000);
    expect(toMs('1h')).toBe(3_600_000);
    expect(toMs('1d')).toBe(86_400_000);
    expect(wantSeconds('2m')).toBe(120);
  });

  it('names the bad value in a TypeError', () => {
    expect(() => toMs('soon')).toThrowError(TypeError, /'soon'/);
    expect(() => toMs(-1)).toThrowError(TypeError, /-1/);
    expect(() => toMs(Number.NaN)).toThrowError(TypeError, /NaN/);
    expect(() => toMs('10 parsecs')).toThrowError(TypeError, /'10 parsecs'/);
    expect(() => toMs({} as never)).toThrowError(TypeError, /^invalid duration: an object \{\} \(/);
  });

  it('takes only a number or a string: an array or a function that reads as one is still refused', () => {
    expect(() => toMs(['1s'] as never)).toThrowError(TypeError, /^invalid duration: an Array \(/);
    expect(() => toMs(function soon() {} as never)).toThrowError(TypeError, /^invalid duration: function soon \(/);
    const circular: { self?: unknown } = {};
    circular.self = circular;
    expect(() => toMs(circular as never)).toThrowError(TypeError, /^invalid duration: an object \{self\} \(/);
    // String() of a circular array is '' (join skips the cycle): the error still names it
    const loop: unknown[] = [];
    loop.push(loop);
    expect(() => toMs(loop as never)).toThrowError(TypeError, /^invalid duration: an Array \(/);
  });

  it('round-trips any whole number of each unit', () => {
    const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    fc.assert(
      fc.property(fc.nat(10_000), fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), (n, unit) => {
        expect(toMs(`${n}${unit}`)).toBe(n * units[unit]);
      }),
    );
  });

  it('refuses a string whose value overflows to Infinity, naming it', () => {
    const huge = '1' + '0'.repeat(400) + 'ms';
    expect(() => toMs(huge)).toThrowError(TypeError, new RegExp(`invalid duration: '${huge}' \\(too long`));
    expect(() => toMs('1' + '0'.repeat(305) + 'd')).toThrowError(TypeError, /too long/);
    expect(() => toMs(Infinity)).toThrowError(TypeError, /Infinity/);
  });

  it('gives a finite number of ms >= 0 for any string it accepts', () => {
    const units = ['ms', 's', 'm', 'h', 'd'];
    const text = fc.tuple(fc.stringMatching(/^\d{1,400}(\.\d{1,20})?$/), fc.constantFrom(...units)).map(([n, u]) => `${n}${u}`);
    fc.assert(
      fc.property(text, (duration) => {
        let ms: number;
        try {
          ms = toMs(duration);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          expect((error as Error).message).toContain(duration);
          return;
        }
        expect(Number.isFinite(ms) && ms >= 0).toBeTrue();
      }),
    );
  });
});

describe('intervals', () => {
  it('are durations of at least 1 ms', () => {
    expect(toIntervalMs(1, 'timer interval')).toBe(1);
    expect(toIntervalMs('1.5s', 'timer interval')).toBe(1_500);
  });

  it('refuse less than 1 ms and non-durations with a TypeError naming what and the value', () => {
    expect(() => toIntervalMs(0, 'timer interval')).toThrowError(TypeError, /invalid timer interval: 0 \(expected at least 1 ms\)/);
    expect(() => toIntervalMs(1e-12, 'blocking timeout')).toThrowError(TypeError, /invalid blocking timeout: 1e-12/);
    expect(() => toIntervalMs('0.9ms', 'timer interval')).toThrowError(TypeError, /'0.9ms'/);
    expect(() => toIntervalMs('abc' as never, 'timer interval')).toThrowError(TypeError, /'abc'/);
  });
});
