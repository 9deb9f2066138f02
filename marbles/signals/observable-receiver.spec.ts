import { map, takeUntil, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Signal } from '../../src/signals/signal.js';

// A receiver that returns an Observable holds the next receiver back until it completes;
// in virtual time the hand-over happens at the very frame of completion.
describe('Signal with Observable receivers, in virtual time', () => {
  let scheduler: TestScheduler;
  const service = { name: 'svc' };

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('calls the next receiver when the previous Observable completes; send$ completes after the last', () => {
    const calledAt: [string, number][] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const signal = new Signal<string, object>({ name: 'go', defaultSender: service });
      const slow = cold('--a--|'); // completes 5 frames after it is subscribed
      const slower = cold('---|');
      signal.connect(() => {
        calledAt.push(['slow', scheduler.now()]);
        return slow;
      });
      signal.connect(() => {
        calledAt.push(['slower', scheduler.now()]);
        return slower;
      });
      signal.connect(() => void calledAt.push(['last', scheduler.now()]));

      expectObservable(signal.send$('now')).toBe('--------|');
      expectSubscriptions(slow.subscriptions).toBe('^----!');
      expectSubscriptions(slower.subscriptions).toBe('-----^--!');
    });
    expect(calledAt).toEqual([
      ['slow', 0],
      ['slower', 5],
      ['last', 8],
    ]);
  });

  it('send() follows the same virtual timeline, and the Observable view sees the send when it starts', () => {
    const calledAt: number[] = [];
    scheduler.run(({ cold, hot, expectObservable }) => {
      const signal = new Signal<string, object>({ defaultSender: service });
      signal.connect(() => {
        calledAt.push(scheduler.now());
        return cold('----|');
      });
      signal.connect(() => void calledAt.push(scheduler.now()));
      expectObservable(signal.pipe(map(({ payload }) => payload))).toBe('--a----b');
      hot('--a----b').subscribe((payload) => void signal.send(payload));
    });
    expect(calledAt).toEqual([2, 6, 7, 11]);
  });

  it('unsubscribing send$ (takeUntil) abandons the Observable in progress and the receivers after it', () => {
    let lastCalled = false;
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const signal = new Signal<void, object>({ defaultSender: service });
      const slow = cold('------|');
      signal.connect(() => slow);
      signal.connect(() => void (lastCalled = true));
      expectObservable(signal.send$(undefined).pipe(takeUntil(timer(3)))).toBe('---|');
      expectSubscriptions(slow.subscriptions).toBe('^--!');
    });
    expect(lastCalled).toBeFalse();
  });
});
