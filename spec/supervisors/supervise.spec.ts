import { firstValueFrom, lastValueFrom, of, throwError, defer } from 'rxjs';
import { MaxRestartsExceeded } from '../../src/supervisors/max-restarts-exceeded.js';
import { supervise } from '../../src/supervisors/supervise.js';

describe('supervise', () => {
  it('checks its options where the pipeline is built, naming the bad value', () => {
    expect(() => supervise({ maxRestarts: -1, over: '1s' })).toThrowError(RangeError, /maxRestarts: -1/);
    expect(() => supervise({ maxRestarts: 2.5, over: '1s' })).toThrowError(RangeError, /2\.5/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => supervise({ maxRestarts: 1, over: 'fortnight' })).toThrowError(TypeError, /'fortnight'/);
    expect(() => supervise({ maxRestarts: 1, over: 0 })).toThrowError(RangeError, /over: 0/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => supervise({ maxRestarts: 1, over: 1, backoff: { initial: 'x', max: 1 } }))
      .toThrowError(TypeError, /'x'/);
    expect(() => supervise(undefined as never)).toThrowError(TypeError, /undefined/);
  });

  it('says what its options are when given null or a number', () => {
    for (const bad of [null, 5]) {
      expect(() => supervise(bad as never)).toThrowError(
        TypeError,
        `invalid supervise options: ${String(bad)} (expected { maxRestarts, over })`,
      );
    }
  });

  it('restarts on the real async scheduler too', async () => {
    let attempts = 0;
    const flaky = defer(() => (++attempts < 3 ? throwError(() => new Error('not yet')) : of('ok')));
    await expectAsync(firstValueFrom(flaky.pipe(supervise({ maxRestarts: 5, over: '1s' })))).toBeResolvedTo('ok');
    expect(attempts).toBe(3);
  });

  it('rejects with MaxRestartsExceeded carrying the last error', async () => {
    const boom = new Error('boom');
    const failing = throwError(() => boom).pipe(supervise({ maxRestarts: 3, over: '1m' }));
    const err = await lastValueFrom(failing).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MaxRestartsExceeded);
    expect((err as Error).name).toBe('MaxRestartsExceeded');
    expect((err as Error).cause).toBe(boom);
  });

  it('MaxRestartsExceeded is an Error with a default message', () => {
    const e = new MaxRestartsExceeded();
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('max restarts exceeded');
    expect(e.cause).toBeUndefined();
    expect(new MaxRestartsExceeded('x', { cause: 1 }).cause).toBe(1);
  });
});
