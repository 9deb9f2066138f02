import fc from 'fast-check';
import { toMs, wantSeconds } from '../../src/time/duration.js';

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
    expect(() => toMs({} as never)).toThrowError(TypeError, /\{\}/);
  });

  it('takes only a number or a string: an array or a function that reads as one is still refused', () => {
    expect(() => toMs(['1s'] as never)).toThrowError(TypeError, /^invalid duration: \["1s"\] \(/);
    expect(() => toMs(function soon() {} as never)).toThrowError(TypeError, /^invalid duration: function soon\(\) \{\s*\} \(/);
    const circular: { self?: unknown } = {};
    circular.self = circular;
    expect(() => toMs(circular as never)).toThrowError(TypeError, /^invalid duration: \[object Object\] \(/);
  });

  it('round-trips any whole number of each unit', () => {
    const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    fc.assert(
      fc.property(fc.nat(10_000), fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), (n, unit) => {
        expect(toMs(`${n}${unit}`)).toBe(n * units[unit]);
      }),
    );
  });
});
