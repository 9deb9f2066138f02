import { RestartWindow } from '../../src/supervisors/restart-window.js';

describe('RestartWindow', () => {
  it('allows maxRestarts within `over`, then refuses until the oldest slides out', () => {
    const w = new RestartWindow(2, '1s');
    expect(w.tryRecord(0)).toBeTrue();
    expect(w.tryRecord(10)).toBeTrue();
    expect(w.tryRecord(20)).toBeFalse();
    expect(w.count(20)).toBe(2);
    expect(w.tryRecord(999)).toBeFalse();
    expect(w.tryRecord(1000)).toBeTrue();   // the one at 0 is exactly `over` old: out
    expect(w.count(1000)).toBe(2);
    expect(w.allows(1010)).toBeTrue();
  });

  it('counts a restart recorded ahead of time (a backoff still waiting) until it is `over` old, whatever the order recorded', () => {
    const w = new RestartWindow(3, 1000);
    expect(w.tryRecord(400)).toBeTrue(); // a restart due at 400, after its backoff
    expect(w.tryRecord(100)).toBeTrue(); // another, due sooner, recorded after it
    expect(w.count(1150)).toBe(1); // the one at 100 slid out, the one at 400 not yet
    expect(w.count(1400)).toBe(0);
  });

  it('is not mode\'s token bucket: the defaults allow 100 restarts in a burst', () => {
    const w = new RestartWindow(100, '1s');
    let allowed = 0;
    for (let i = 0; i < 150; i++) if (w.tryRecord(0)) allowed++;
    expect(allowed).toBe(100);
  });

  it('counts restarts recorded ahead of now', () => {
    const w = new RestartWindow(1, 100);
    expect(w.tryRecord(500)).toBeTrue();
    expect(w.allows(450)).toBeFalse();
    expect(w.allows(600)).toBeTrue();
  });

  it('refuses everything with maxRestarts 0, nothing with Infinity', () => {
    expect(new RestartWindow(0, 1).tryRecord(0)).toBeFalse();
    const w = new RestartWindow(Infinity, 1);
    for (let i = 0; i < 1000; i++) expect(w.tryRecord(0)).toBeTrue();
  });

  it('forgets everything on clear()', () => {
    const w = new RestartWindow(1, '1h');
    w.tryRecord(0);
    w.clear();
    expect(w.tryRecord(1)).toBeTrue();
  });

  it('names a bad maxRestarts or over', () => {
    expect(() => new RestartWindow(-1, 1)).toThrowError(RangeError, /maxRestarts: -1/);
    expect(() => new RestartWindow(1.5, 1)).toThrowError(RangeError, /1\.5/);
    expect(() => new RestartWindow(Number.NaN, 1)).toThrowError(RangeError, /NaN/);
    expect(() => new RestartWindow('3' as never, 1)).toThrowError(RangeError, /3/);
    expect(() => new RestartWindow(1, 0)).toThrowError(RangeError, /over: 0/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => new RestartWindow(1, 'a while')).toThrowError(TypeError, /'a while'/);
  });
});
