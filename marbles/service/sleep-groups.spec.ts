import { VirtualTimeScheduler } from 'rxjs';
import { Service, task } from '../../src/index.js';
import { inspectService } from '../../src/testing/index.js';
import { Timer } from '../../src/time/timer.js';
import { groupTimerWaitsOn } from '../../src/time/wait-groups.js';
import { settle } from '../../spec/support/fixtures.js';
import { RecordingScheduler } from '../time/schedulers.js';

// On asyncScheduler, the sleeps of services due at the same moment share one wait (one
// native timer for the lot), as Timers do; a stop only takes its sleeps out of their group,
// and the last one out cancels the wait. groupTimerWaitsOn() turns that sharing on for a
// recording scheduler over a VirtualTimeScheduler, so these pin it in virtual time: the
// frame each sleep ends, one wait per moment, and nothing left scheduled after a stop.
// (A sleep is a Promise: each step of virtual time is flushed, then its microtasks run.)

class Sleepers extends Service {
  readonly woke: number[] = [];

  @task async a() {
    await this.sleep(1_000);
    this.woke.push(this.scheduler.now());
  }

  @task async b() {
    await this.sleep(1_000);
    this.woke.push(this.scheduler.now());
  }

  @task async c() {
    await this.sleep(1_000);
    this.woke.push(this.scheduler.now());
  }
}

describe('Sleeps due together share one wait (virtual time)', () => {
  let base: VirtualTimeScheduler;
  beforeEach(() => {
    base = new VirtualTimeScheduler();
  });

  function recorder(grouped = true, lateBy?: (n: number) => number): RecordingScheduler {
    const recording = new RecordingScheduler(base, lateBy);
    if (grouped) groupTimerWaitsOn(recording);
    return recording;
  }

  /** Runs virtual time up to `frame` (which it reaches), then the microtasks it queued. */
  async function runTo(frame: number): Promise<void> {
    base.schedule(() => undefined, frame - base.now());
    base.maxFrames = frame;
    base.flush();
    await settle();
  }

  it('three sleeps begun together end together, on their frame, with one wait for the three', async () => {
    const scheduler = recorder();
    const svc = new Sleepers({ scheduler });
    await svc.start();
    expect(scheduler.scheduled).toBe(1);
    expect(scheduler.delays).toEqual([1_000]);
    await runTo(999);
    expect(svc.woke).toEqual([]);
    await runTo(1_000);
    expect(svc.woke).toEqual([1_000, 1_000, 1_000]);
    expect(scheduler.live).toBe(0);
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, pendingPromises: 0 }));
    await svc.stop();
  });

  it('a stop ends the sleeps at its frame and cancels their one wait', async () => {
    const scheduler = recorder();
    const svc = new Sleepers({ scheduler });
    await svc.start();
    await runTo(400);
    expect(scheduler.live).toBe(1);
    await svc.stop();
    expect(svc.woke).toEqual([400, 400, 400]);
    expect(scheduler.live).toBe(0);
    expect(base.actions.filter((action) => !action.closed).length).toBe(0);
    expect(svc.state).toBe('shutdown');
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, pendingPromises: 0, workClosed: true }));
  });

  it("one service's stop leaves another's sleeps due at the same moment waiting on the same wait", async () => {
    const scheduler = recorder();
    const first = new Sleepers({ scheduler });
    const second = new Sleepers({ scheduler });
    await first.start();
    await second.start();
    expect(scheduler.scheduled).toBe(1);
    await runTo(400);
    await first.stop();
    expect(first.woke).toEqual([400, 400, 400]);
    expect(scheduler.live).toBe(1);
    const scheduledByNow = scheduler.scheduled; // with the stop's own stopTimeout wait
    await runTo(999);
    expect(second.woke).toEqual([]);
    await runTo(1_000);
    expect(second.woke).toEqual([1_000, 1_000, 1_000]);
    expect(scheduler.scheduled).toBe(scheduledByNow);
    expect(scheduler.live).toBe(0);
    await second.stop();
  });

  it('a wake-up that comes early is waited out: no sleep ends before its moment', async () => {
    // The first wait wakes 300 ms early; the sleeps wait the 300 ms left, together again.
    const scheduler = recorder(true, (n) => (n === 0 ? -300 : 0));
    const svc = new Sleepers({ scheduler });
    await svc.start();
    await runTo(999);
    expect(svc.woke).toEqual([]);
    expect(scheduler.delays).toEqual([1_000, 300]);
    await runTo(1_000);
    expect(svc.woke).toEqual([1_000, 1_000, 1_000]);
    expect(scheduler.live).toBe(0);
    await svc.stop();
  });

  it('sleeps due at different moments keep waits of their own', async () => {
    const scheduler = recorder();
    const first = new Sleepers({ scheduler });
    await first.start();
    await runTo(10);
    const second = new Sleepers({ scheduler });
    await second.start();
    expect(scheduler.delays).toEqual([1_000, 1_000]);
    await runTo(1_000);
    expect(first.woke).toEqual([1_000, 1_000, 1_000]);
    expect(second.woke).toEqual([]);
    await runTo(1_010);
    expect(second.woke).toEqual([1_010, 1_010, 1_010]);
    expect(scheduler.live).toBe(0);
    await first.stop();
    await second.stop();
  });

  it("a sleep and a Timer's tick due at the same moment share one wait", async () => {
    const scheduler = recorder();
    const ticks: number[] = [];
    const ticking = new Timer(1_000, { scheduler }).subscribe(() => ticks.push(base.now()));
    const svc = new Sleepers({ scheduler });
    await svc.start();
    expect(scheduler.scheduled).toBe(1);
    await runTo(1_000);
    expect(ticks).toEqual([1_000]);
    expect(svc.woke).toEqual([1_000, 1_000, 1_000]);
    ticking.unsubscribe();
    await svc.stop();
    expect(scheduler.live).toBe(0);
  });

  it('on a scheduler whose waits are not shared, each sleep has a wait of its own', async () => {
    const scheduler = recorder(false);
    const svc = new Sleepers({ scheduler });
    await svc.start();
    expect(scheduler.scheduled).toBe(3);
    await runTo(400);
    await svc.stop();
    expect(svc.woke).toEqual([400, 400, 400]);
    expect(scheduler.live).toBe(0);
  });
});
