import { type SchedulerAction } from 'rxjs';
import { unrefScheduler } from '../../src/node/unref-scheduler.js';
import { longTimer } from '../../src/time/long-timer.js';

const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('unrefScheduler', () => {
  it('waits on the wall clock without keeping the process alive', async () => {
    const before = timeouts();
    const start = unrefScheduler.now();
    expect(Math.abs(start - Date.now())).toBeLessThan(50);
    let fired = false;
    const wait = longTimer(5, unrefScheduler).subscribe(() => (fired = true));
    // The wait is pending, yet holds nothing open.
    expect(timeouts()).toBe(before);
    expect(wait.closed).toBeFalse();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBeTrue();
  });

  it('lets a scheduled action schedule itself again, passing its state, until unsubscribed', async () => {
    const seen: number[] = [];
    await new Promise<void>((resolve) => {
      unrefScheduler.schedule(function (this: SchedulerAction<number>, n?: number) {
        seen.push(n!);
        if (n! < 3) this.schedule(n! + 1, 1);
        else resolve();
      }, 1, 1);
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('unsubscribing cancels the wait', async () => {
    let fired = false;
    unrefScheduler.schedule(() => (fired = true), 5).unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBeFalse();
  });
});
