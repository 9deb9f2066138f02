import { VirtualTimeScheduler } from 'rxjs';
import { Service } from '../../src/service/service.js';
import { task } from '../../src/service/task.js';
import { timer } from '../../src/time/decorators.js';
import { Timer, runTimerFrom } from '../../src/time/timer.js';
import { groupTimerWaitsOn } from '../../src/time/wait-groups.js';
import { RecordingScheduler } from './schedulers.js';

// A service's @timers tick on one grid: the moment the first of them started, when the
// others started soon after it (at most half an interval and 50 ms later). Started in one
// pass, those of one interval are due together and share one wait. Here the start pass
// takes time: a @task declared between the timers moves the virtual clock on, as a slow
// synchronous start step would.

describe('The @timers of a service share one grid (virtual time)', () => {
  let base: VirtualTimeScheduler;
  let scheduler: RecordingScheduler;
  beforeEach(() => {
    base = new VirtualTimeScheduler();
    scheduler = new RecordingScheduler(base);
    groupTimerWaitsOn(scheduler);
  });

  /** Runs virtual time up to `frame`, which it reaches (a no-op is due then). */
  function runTo(frame: number): void {
    base.schedule(() => undefined, frame - base.now());
    base.maxFrames = frame;
    base.flush();
  }

  it('timers started a little apart in one start tick together, on one wait, a full interval from the first', async () => {
    const ticks: Record<string, number[]> = { a: [], b: [], c: [] };
    class Clocks extends Service {
      @timer(100) a() {
        ticks.a!.push(base.now());
      }
      @task slowStep() {
        base.frame += 7;
      }
      @timer(100) b() {
        ticks.b!.push(base.now());
      }
      @task slowerStep() {
        base.frame += 20;
      }
      @timer(100) c() {
        ticks.c!.push(base.now());
      }
    }
    const svc = new Clocks({ scheduler });
    await svc.start();
    expect(scheduler.scheduled).toBe(1);
    runTo(300);
    expect(ticks).toEqual({ a: [100, 200, 300], b: [100, 200, 300], c: [100, 200, 300] });
    expect(scheduler.delays).toEqual([100, 100, 100, 100]);
    await svc.stop();
    expect(scheduler.live).toBe(0);
  });

  it('a timer started more than half an interval after the first keeps a grid of its own', async () => {
    const ticks: Record<string, number[]> = { a: [], b: [] };
    class Clocks extends Service {
      @timer(100) a() {
        ticks.a!.push(base.now());
      }
      @task slowStep() {
        base.frame += 51;
      }
      @timer(100) b() {
        ticks.b!.push(base.now());
      }
    }
    const svc = new Clocks({ scheduler });
    await svc.start();
    runTo(300);
    expect(ticks).toEqual({ a: [100, 200, 300], b: [151, 251] });
    expect(scheduler.scheduled).toBe(2);
    await svc.stop();
  });

  it('a restart sets a new grid: the timers count from the new start', async () => {
    const ticks: number[] = [];
    class Clock extends Service {
      @timer(100) a() {
        ticks.push(base.now());
      }
    }
    const svc = new Clock({ scheduler });
    await svc.start();
    runTo(230);
    await svc.restart();
    runTo(450);
    expect(ticks).toEqual([100, 200, 330, 430]);
    await svc.stop();
  });

  it('runTimerFrom: an epoch in the future or too long ago is not taken; the moment of subscription is', () => {
    const at: Record<string, number[]> = { future: [], old: [], window: [] };
    base.frame = 1_000;
    const subscriptions = [
      runTimerFrom(new Timer(100, { scheduler }), 1_010, () => void at.future!.push(base.now())).subscribe(),
      runTimerFrom(new Timer(100, { scheduler }), 940, () => void at.old!.push(base.now())).subscribe(),
      runTimerFrom(new Timer(100, { scheduler }), 960, () => void at.window!.push(base.now())).subscribe(),
    ];
    runTo(1_200);
    expect(at).toEqual({ future: [1_100, 1_200], old: [1_100, 1_200], window: [1_060, 1_160] });
    for (const subscription of subscriptions) subscription.unsubscribe();
    expect(scheduler.live).toBe(0);
  });
});
