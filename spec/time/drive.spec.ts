import { sharedEpoch } from '../../src/time/drive.js';
import { CLOCK_ORIGIN, WaitGroups, compact } from '../../src/time/wait-groups.js';

// Each spec starts with groups of its own, so none shares what an earlier one left.
describe('sharedEpoch (the epoch of driven loops started together)', () => {
  /** The wall clock as a Timer reads it on asyncScheduler: ms since CLOCK_ORIGIN. */
  const wall = (): number => compact(Date.now() - CLOCK_ORIGIN);

  it('gives loops started in one run of code within 10 ms of the first the first one\'s epoch', () => {
    const groups = new WaitGroups();
    const t = wall();
    expect(sharedEpoch(groups, t, 100)).toBe(t);
    expect(sharedEpoch(groups, t + 3, 100)).withContext('3 ms later').toBe(t);
    expect(sharedEpoch(groups, t + 10, 1_000)).withContext('10 ms later, any interval of 100 ms or more').toBe(t);
    expect(sharedEpoch(groups, t + 11, 100)).withContext('11 ms later: an epoch of its own').toBe(t + 11);
    expect(sharedEpoch(groups, t + 19, 100)).withContext('and the next ones share that one').toBe(t + 11);
  });

  it('shares at most a tenth of the interval', () => {
    const groups = new WaitGroups();
    const t = wall();
    expect(sharedEpoch(groups, t, 40)).toBe(t);
    expect(sharedEpoch(groups, t + 4, 40)).withContext('4 ms of 40').toBe(t);
    expect(sharedEpoch(groups, t + 5, 40)).withContext('5 ms of 40').toBe(t + 5);
    expect(sharedEpoch(groups, t + 5, 5)).withContext('the same ms, whatever the interval').toBe(t + 5);
    expect(sharedEpoch(groups, t + 6, 5)).withContext('1 ms of 5').toBe(t + 6);
  });

  it('shares nothing with a loop started in an earlier run of code, nor on another scheduler', async () => {
    const groups = new WaitGroups();
    const t = wall();
    expect(sharedEpoch(groups, t, 100)).toBe(t);
    expect(sharedEpoch(new WaitGroups(), t + 1, 100)).withContext('another scheduler').toBe(t + 1);
    await Promise.resolve();
    expect(sharedEpoch(groups, t + 2, 100)).withContext('a later run of code').toBe(t + 2);
  });

  it('never gives an epoch later than the start, nor shares one across a clock that went back', () => {
    const groups = new WaitGroups();
    const t = wall();
    expect(sharedEpoch(groups, t, 100)).toBe(t);
    expect(sharedEpoch(groups, t - 1, 100)).toBe(t - 1);
  });

  it('on a clock that is not the wall clock (virtual time), every loop keeps its own start', () => {
    const groups = new WaitGroups();
    expect(sharedEpoch(groups, 0 - CLOCK_ORIGIN, 100)).toBe(0 - CLOCK_ORIGIN);
    expect(sharedEpoch(groups, 3 - CLOCK_ORIGIN, 100)).toBe(3 - CLOCK_ORIGIN);
    const t = wall();
    expect(sharedEpoch(groups, t, 100)).withContext('nor was the shared one disturbed').toBe(t);
    expect(sharedEpoch(groups, t + 1, 100)).toBe(t);
  });
});
