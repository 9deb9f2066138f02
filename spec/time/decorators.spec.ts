import { asyncScheduler, mergeMap } from 'rxjs';
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
