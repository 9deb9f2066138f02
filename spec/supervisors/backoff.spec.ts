import fc from 'fast-check';
import { backoffDelay, resolveBackoff } from '../../src/supervisors/backoff.js';

describe('backoff', () => {
  it('grows by factor from initial and stops at max', () => {
    const b = resolveBackoff({ initial: 100, max: 1000, factor: 3 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(b, n))).toEqual([100, 300, 900, 1000, 1000]);
  });

  it('doubles by default, reads durations, and resets after max by default', () => {
    const b = resolveBackoff({ initial: '1s', max: '1m' });
    expect(b.factor).toBe(2);
    expect(b.jitter).toBe(0);
    expect(b.resetAfterMs).toBe(60_000);
    expect([1, 2, 3].map((n) => backoffDelay(b, n))).toEqual([1000, 2000, 4000]);
    expect(resolveBackoff({ initial: 1, max: 2, resetAfter: '5s' }).resetAfterMs).toBe(5000);
  });

  it('stays at max however many attempts (no overflow, no NaN)', () => {
    expect(backoffDelay(resolveBackoff({ initial: 1, max: 500, factor: 10 }), 10_000)).toBe(500);
    expect(backoffDelay(resolveBackoff({ initial: 0, max: 500, factor: 10 }), 10_000)).toBe(0);
  });

  it('takes up to `jitter` off each wait, from the injected random', () => {
    const draws = [0, 0.5, 0.999];
    const b = resolveBackoff({ initial: 200, max: 200, jitter: 0.5, random: () => draws.shift()! });
    expect(backoffDelay(b, 1)).toBe(200);
    expect(backoffDelay(b, 1)).toBe(150);
    expect(backoffDelay(b, 1)).toBeCloseTo(100.1, 6);
  });

  it('never waits longer than the capped delay nor shorter than (1 - jitter) of it', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100_000 }),
      fc.double({ min: 1, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 300 }),
      (initial, extra, factor, jitter, r, attempt) => {
        const b = resolveBackoff({ initial, max: initial + extra, factor, jitter, random: () => r });
        const capped = Math.min(initial + extra, initial * factor ** (attempt - 1));
        const wait = backoffDelay(b, attempt);
        expect(wait).toBeLessThanOrEqual(capped);
        expect(wait).toBeGreaterThanOrEqual(capped * (1 - jitter) - 1e-9);
        if (attempt > 1) {
          const unjittered = resolveBackoff({ initial, max: initial + extra, factor });
          expect(backoffDelay(unjittered, attempt)).toBeGreaterThanOrEqual(backoffDelay(unjittered, attempt - 1));
        }
      },
    ));
  });

  it('names the bad value', () => {
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => resolveBackoff({ initial: 'soon', max: '1s' })).toThrowError(TypeError, /'soon'/);
    expect(() => resolveBackoff({ initial: 1, max: -5 })).toThrowError(TypeError, /-5/);
    expect(() => resolveBackoff({ initial: '2s', max: '1s' })).toThrowError(RangeError, /2s.*1s/);
    expect(() => resolveBackoff({ initial: 1, max: 2, factor: 0.5 })).toThrowError(RangeError, /factor: 0\.5/);
    expect(() => resolveBackoff({ initial: 1, max: 2, factor: Number.NaN })).toThrowError(RangeError, /NaN/);
    expect(() => resolveBackoff({ initial: 1, max: 2, jitter: 1.5 })).toThrowError(RangeError, /jitter: 1\.5/);
    expect(() => resolveBackoff({ initial: 1, max: 2, jitter: -0.1 })).toThrowError(RangeError, /-0\.1/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => resolveBackoff({ initial: 1, max: 2, resetAfter: 'later' })).toThrowError(TypeError, /'later'/);
    expect(() => resolveBackoff(null as never)).toThrowError(TypeError, /null/);
    expect(() => resolveBackoff({ initial: 1, max: 2, random: 4 as never })).toThrowError(TypeError, /random: 4/);
    const b = resolveBackoff({ initial: 1, max: 2 });
    expect(() => backoffDelay(b, 0)).toThrowError(RangeError, /attempt: 0/);
    expect(() => backoffDelay(b, 1.5)).toThrowError(RangeError, /1\.5/);
  });

  it('says what a backoff is when given something else, and takes no jitter or factor as a string', () => {
    const expected = '(expected { initial, max, factor?, jitter?, resetAfter? })';
    expect(() => resolveBackoff(null as never)).toThrowError(TypeError, `invalid backoff: null ${expected}`);
    expect(() => resolveBackoff(5 as never)).toThrowError(TypeError, `invalid backoff: 5 ${expected}`);
    expect(() => resolveBackoff({ initial: 1, max: 2, jitter: '0.5' as never })).toThrowError(RangeError, /jitter: 0\.5/);
    expect(() => resolveBackoff({ initial: 1, max: 2, factor: '2' as never })).toThrowError(RangeError, /factor: 2/);
  });
});
