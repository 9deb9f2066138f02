import { asyncScheduler, mergeMap, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Service } from '../../src/service/service.js';
import { timer } from '../../src/time/decorators.js';
import { itertimer } from '../../src/time/itertimer.js';
import { RecordingScheduler } from '../../marbles/time/schedulers.js';

const COUNT = 1000;

/** A service with one @timer and COUNT more timers made with itertimer at start. */
class Crowded extends Service {
  ticks = 0;

  @timer('1h')
  hourly() {
    this.ticks += 1;
  }

  override onStart() {
    for (let i = 0; i < COUNT; i++) {
      void this.addFuture(itertimer(this, 1000 + i));
    }
  }
}

describe('timers on a service', () => {
  it(`${COUNT + 1} timers are all gone after stop (real scheduler)`, async () => {
    const recording = new RecordingScheduler(asyncScheduler);
    const svc = new Crowded({ scheduler: recording });
    await svc.start();
    expect(recording.live).toBe(COUNT + 1);
    await svc.stop();
    expect(svc.state).toBe('shutdown');
    expect(recording.live).toBe(0);
  });

  it(`${COUNT + 1} timers tick, then are all gone after stop (virtual time)`, () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const recording = new RecordingScheduler(testScheduler);
    let liveBeforeStop = -1;
    let liveAfterStop = -1;
    testScheduler.run(({ cold, flush }) => {
      const svc = new Crowded({ scheduler: recording });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2998ms a').subscribe(() => (liveBeforeStop = recording.live));
      cold('2999ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      cold('3000ms a').subscribe(() => (liveAfterStop = recording.live));
      flush();
      expect(svc.state).toBe('shutdown');
    });
    expect(liveBeforeStop).toBe(COUNT + 1);
    expect(liveAfterStop).toBe(0);
    // waits asked: the @timer's one, then per itertimer (interval 1000 + i) one plus one per
    // tick before 2999 ms: two ticks for i < 500, one for the rest
    expect(recording.delays.length).toBe(1 + 500 * 3 + 500 * 2);
  });
});

describe('@timer with a Promise method', () => {
  /** Runs the virtual clock up to `frame`, then lets settled promises run their callbacks. */
  async function advance(scheduler: VirtualTimeScheduler, frame: number): Promise<void> {
    scheduler.maxFrames = frame;
    scheduler.flush();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }

  it('waits for the Promise (ticks meanwhile are overlaps) and passes the AbortSignal', async () => {
    const scheduler = new VirtualTimeScheduler(undefined, 0);
    const releases: Array<() => void> = [];
    const signals: AbortSignal[] = [];
    class Async extends Service {
      @timer(1000)
      async work(signal: AbortSignal) {
        signals.push(signal);
        await new Promise<void>((resolve) => releases.push(resolve));
      }
    }
    const svc = new Async({ scheduler });
    await svc.start();
    await advance(scheduler, 1000);
    expect(releases.length).toBe(1); // first run going
    await advance(scheduler, 2000);
    expect(releases.length).toBe(1); // tick 2 fell inside it
    expect(svc.timers.get('work')!.overlaps).toBe(1);
    releases[0]!(); // settles with the clock at 2000
    await advance(scheduler, 2000);
    expect(svc.timers.get('work')!.lastRuntime).toBe(1000);
    await advance(scheduler, 3000);
    expect(releases.length).toBe(2); // tick 3 ran
    releases[1]!();
    await advance(scheduler, 3000);
    await svc.stop();
    expect(signals.length).toBe(2);
    expect(signals[0]).toBe(signals[1]!);
    expect(signals[0]!.aborted).toBeTrue();
  });
});

describe('@timer definition errors', () => {
  it('a bad interval throws when the class is defined, naming it', () => {
    expect(() => {
      class Bad extends Service {
        // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
        @timer('soon')
        job() {}
      }
      return Bad;
    }).toThrowError(TypeError, /'soon'/);
    expect(() => {
      class Bad extends Service {
        @timer(0)
        job() {}
      }
      return Bad;
    }).toThrowError(TypeError, /invalid timer interval: 0/);
  });
});
