import { NEVER, type SchedulerLike, VirtualTimeScheduler, finalize } from 'rxjs';
import { Service } from '../../src/service/service.js';
import { timer } from '../../src/time/decorators.js';
import { itertimer } from '../../src/time/itertimer.js';
import { groupTimerWaitsOn } from '../../src/time/wait-groups.js';
import type { PendingWork } from '../../src/service/run.js';
import { currentWork, runAsWork, setWorkListener, tasksFollowedAcrossAwaits } from '../../src/service/work-scope.js';
import { deferred, isSettled, settle } from '../support/fixtures.js';

// A @timer calls its method on each tick without making an Observable for it (the runs of
// one start share their PendingWork); what the method returns is still the service's work.

/** Runs the virtual clock up to `frame`, then lets settled promises run their callbacks. */
async function advance(scheduler: VirtualTimeScheduler, frame: number): Promise<void> {
  scheduler.maxFrames = frame;
  scheduler.flush();
  await settle();
}

/**
 * A service whose `@timer(1000)` method notes in `seen` the work it runs as, then again
 * after its first Promise: the method is not async, so that continuation is nobody's work
 * (not followed).
 */
function beatNoting(seen: Array<string | undefined>): new (options: { scheduler: SchedulerLike }) => Service {
  class Beat extends Service {
    @timer(1000)
    beat(): Promise<void> {
      seen.push(currentWork()?.name);
      return settle().then(() => void seen.push(currentWork()?.name));
    }
  }
  return Beat;
}

/** Runs the clock to 1 s from inside other work: a tick's action runs in its context. */
function flushInsideOther(scheduler: VirtualTimeScheduler): void {
  const other: PendingWork = { name: 'Other.task', kind: 'task', origin: '', owner: undefined };
  scheduler.maxFrames = 1000;
  runAsWork(other, () => scheduler.flush());
}

describe('@timer runs as work of the service', () => {
  it("a pending Promise run shows in tracebacks() under the method's name, and stop() waits for it", async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const release = deferred();
    class Flusher extends Service {
      static override stopTimeout = '1h';
      @timer(1000)
      async flush() {
        await release.promise;
      }
    }
    const svc = new Flusher({ scheduler });
    await svc.start();
    expect(svc.tracebacks()).toEqual({});
    await advance(scheduler, 1000);
    expect(Object.keys(svc.tracebacks())).toEqual(['Flusher.flush']);
    const stopping = svc.stop();
    expect(await isSettled(stopping)).toBeFalse();
    release.resolve();
    await stopping;
    expect(svc.state).toBe('shutdown');
    expect(svc.tracebacks()).toEqual({});
  });

  it('a run that calls stop() before its first await is not waited for', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      @timer(1000)
      async once() {
        await this.stop();
      }
    }
    const svc = new SelfStop({ scheduler });
    await svc.start();
    await advance(scheduler, 1000);
    await svc.waitUntilStopped();
    await settle();
    expect(svc.state).toBe('shutdown');
  });

  it('a run that calls stop() after an await: not waited for where tasks are followed, else until stopTimeout', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const seen: string[] = [];
    class SelfStop extends Service {
      static override stopTimeout = '1h';
      @timer(1000)
      async later() {
        await settle();
        // The same work in each tick: a second tick (after a restart) must be seen as it too.
        seen.push(`tick at ${scheduler.now()}`);
        await this.stop();
        seen.push('stopped');
      }
    }
    const svc = new SelfStop({ scheduler });
    await svc.start();
    await advance(scheduler, 1000);
    await settle();
    if (!tasksFollowedAcrossAwaits) {
      // The documented limit (browsers, Node before 24): the run is waited for until stopTimeout.
      expect(svc.state).toBe('stopping');
      await advance(scheduler, 1000 + 3_600_000);
      await settle();
    }
    expect(svc.state).toBe('shutdown');
    expect(seen).toEqual(['tick at 1000', 'stopped']);
  });

  it("a synchronous method's tick is the service's work while it runs: currentWork() names it, and a listener hears it", async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const inside: Array<string | undefined> = [];
    const heard: Array<string | undefined> = [];
    class Beat extends Service {
      @timer(1000)
      beat() {
        inside.push(currentWork()?.name);
      }
    }
    const svc = new Beat({ scheduler });
    await svc.start();
    const previous = setWorkListener((label) => heard.push(label));
    try {
      await advance(scheduler, 2000);
    } finally {
      setWorkListener(previous);
    }
    await svc.stop();
    expect(inside).toEqual(['Beat.beat', 'Beat.beat']);
    expect(heard).toEqual(['Beat.beat', undefined, 'Beat.beat', undefined]);
    expect(currentWork()).toBeUndefined();
  });

  it('a method that is not async is followed across awaits from the tick after its first Promise (where tasks are followed)', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const seen: string[] = [];
    let ticks = 0;
    class Later extends Service {
      static override stopTimeout = '1h';
      @timer(1000)
      later(): Promise<void> {
        ticks += 1;
        if (ticks === 1) return settle();
        return settle()
          .then(() => {
            seen.push(`tick at ${scheduler.now()}`);
            return this.stop();
          })
          .then(() => void seen.push('stopped'));
      }
    }
    const svc = new Later({ scheduler });
    await svc.start();
    await advance(scheduler, 1000);
    await advance(scheduler, 2000);
    await settle();
    if (!tasksFollowedAcrossAwaits) {
      // The documented limit (browsers, Node before 24): the run is waited for until stopTimeout.
      expect(svc.state).toBe('stopping');
      await advance(scheduler, 2000 + 3_600_000);
      await settle();
    }
    expect(svc.state).toBe('shutdown');
    expect(seen).toEqual(['tick at 2000', 'stopped']);
  });

  it('a tick woken from inside other work does not pass for it, in its synchronous part or after', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const seen: Array<string | undefined> = [];
    const svc = new (beatNoting(seen))({ scheduler });
    await svc.start();
    flushInsideOther(scheduler);
    await settle();
    await svc.stop();
    expect(seen).toEqual(['Beat.beat', undefined]);
  });

  it("an itertimer's tick woken from inside other work does not pass for it, as a Timer's does not", async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const seen: Array<string | undefined> = [];
    const svc = new Service({ scheduler });
    await svc.start();
    itertimer(svc, 1000).subscribe(() => seen.push(currentWork()?.name));
    flushInsideOther(scheduler);
    await svc.stop();
    expect(seen).toEqual([undefined]);
  });

  it('a tick woken with a wait shared with an itertimer, from inside other work, does not pass for it either', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    // As on asyncScheduler: the itertimer, subscribed first, makes the wait due at 1 s,
    // and the @timer's tick joins it.
    groupTimerWaitsOn(scheduler);
    const seen: Array<string | undefined> = [];
    const svc = new (beatNoting(seen))({ scheduler });
    itertimer(svc, 1000).subscribe(() => seen.push(`itertimer ${String(currentWork()?.name)}`));
    await svc.start();
    flushInsideOther(scheduler);
    await settle();
    await svc.stop();
    expect(seen).toEqual(['itertimer undefined', 'Beat.beat', undefined]);
  });

  it('an Observable run shows in tracebacks() while subscribed, and the stop unsubscribes it', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    let unsubscribed = false;
    class Watcher extends Service {
      @timer(1000)
      watch() {
        return NEVER.pipe(finalize(() => (unsubscribed = true)));
      }
    }
    const svc = new Watcher({ scheduler });
    await svc.start();
    await advance(scheduler, 3000);
    expect(Object.keys(svc.tracebacks())).toEqual(['Watcher.watch']);
    expect(svc.timers.get('watch')!.overlaps).toBe(2);
    await svc.stop();
    expect(unsubscribed).toBeTrue();
    expect(svc.tracebacks()).toEqual({});
  });

  it('a restart runs the timer again, as work of the new run', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const runs: number[] = [];
    class Beat extends Service {
      @timer(1000)
      beat() {
        runs.push(scheduler.now());
      }
    }
    const svc = new Beat({ scheduler });
    await svc.start();
    await advance(scheduler, 2000);
    await svc.restart();
    await advance(scheduler, 3500);
    await svc.stop();
    // two ticks, then the restart at 2000 starts a new grid
    expect(runs).toEqual([1000, 2000, 3000]);
  });
});
