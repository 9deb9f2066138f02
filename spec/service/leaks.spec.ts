import fc from 'fast-check';
import { Subject, VirtualTimeScheduler, finalize, interval } from 'rxjs';
import { Service, task } from '../../src/index.js';
import { history, illegalStep, settle } from '../support/fixtures.js';

/** Scheduled actions that would still run: timers left behind. */
function openActions(scheduler: VirtualTimeScheduler): number {
  return scheduler.actions.filter((action) => !action.closed).length;
}

class Busy extends Service {
  static override stopTimeout = '1h';
  subscribed = 0;
  unsubscribed = 0;
  promiseTasks = 0;
  promiseTasksDone = 0;

  @task tick() {
    this.subscribed++;
    return interval(10, this.scheduler).pipe(finalize(() => this.unsubscribed++));
  }

  @task async loop(signal: AbortSignal) {
    this.promiseTasks++;
    try {
      while (!signal.aborted) await this.sleep(25);
    } finally {
      this.promiseTasksDone++;
    }
  }
}

/** A running Busy service with outside work waiting on it: a sleep, waits and a future. */
async function busy() {
  const scheduler = new VirtualTimeScheduler();
  const svc = new Busy({ scheduler });
  await svc.start();
  const inputs = [new Subject<number>(), new Subject<number>(), new Subject<number>(), new Subject<number>()];
  const outside = [
    svc.sleep('1h'),
    svc.wait(inputs[0]!, { timeout: '1h' }),
    svc.waitFirst(inputs[1]!, { timeout: '1h' }),
    svc.waitMany([inputs[2]!]),
    svc.addFuture(inputs[3]!),
  ];
  scheduler.maxFrames = 100;
  scheduler.flush();
  await settle();
  return { scheduler, svc, inputs, outside };
}

function expectNothingLeft(svc: Busy, scheduler: VirtualTimeScheduler, inputs: Subject<number>[]) {
  expect(svc.signal.aborted).withContext('signal').toBeTrue();
  expect(svc.unsubscribed).withContext('Observable tasks').toBe(svc.subscribed);
  expect(svc.promiseTasksDone).withContext('Promise tasks').toBe(svc.promiseTasks);
  expect(svc.tracebacks()).withContext('tracebacks').toEqual({});
  expect(openActions(scheduler)).withContext('timers').toBe(0);
  for (const [i, input] of inputs.entries()) expect(input.observed).withContext(`input ${i}`).toBeFalse();
}

describe('Service leaves nothing behind', () => {
  it('after a stop: no timer, subscription, task or wait stays', async () => {
    const { scheduler, svc, inputs, outside } = await busy();
    expect(openActions(scheduler)).toBeGreaterThan(0);
    expect(Object.keys(svc.tracebacks()).length).toBe(3);
    await svc.stop();
    await Promise.all(outside);
    expectNothingLeft(svc, scheduler, inputs);
  });

  it('after a stop whose hooks and contexts took their time: no stopTimeout timer stays', async () => {
    const scheduler = new VirtualTimeScheduler();
    class Unhurried extends Service {
      static override stopTimeout = '1h';
      override async onStop() {
        await settle();
      }
      override async onShutdown() {
        await settle();
      }
    }
    const svc = new Unhurried({ scheduler });
    await svc.start();
    await svc.addAsyncContext({ [Symbol.asyncDispose]: () => settle() });
    await svc.stop();
    expect(svc.state).toBe('shutdown');
    expect(openActions(scheduler)).toBe(0);
  });

  it('after a crash: no timer, subscription, task or wait stays', async () => {
    const { scheduler, svc, inputs, outside } = await busy();
    await svc.crash(new Error('x'));
    await Promise.all(outside);
    await settle();
    expectNothingLeft(svc, scheduler, inputs);
  });

  it('after a failed start: nothing stays', async () => {
    const scheduler = new VirtualTimeScheduler();
    class FailsLate extends Busy {
      override onStarted() {
        throw new Error('late');
      }
    }
    const svc = new FailsLate({ scheduler });
    await svc.start().catch(() => undefined);
    await settle();
    expect(svc.state).toBe('crashed');
    expectNothingLeft(svc, scheduler, []);
  });

  it('across random sequences of start, stop, crash and restart, making only legal transitions', async () => {
    type Op = 'start' | 'stop' | 'crash' | 'restart' | 'tick';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Op>('start', 'stop', 'crash', 'restart', 'tick'), { maxLength: 12 }), async (ops) => {
        const scheduler = new VirtualTimeScheduler();
        const svc = new Busy({ scheduler });
        const states = history(svc);
        for (const op of ops) {
          if (op === 'start') await svc.maybeStart();
          else if (op === 'stop') await svc.stop();
          else if (op === 'crash') await svc.crash(new Error('random'));
          else if (op === 'restart') await svc.restart().catch(() => undefined);
          else {
            scheduler.maxFrames = scheduler.now() + 30;
            scheduler.flush();
          }
          await settle();
          if (svc.state === 'shutdown' || svc.state === 'crashed') {
            expect(svc.unsubscribed).toBe(svc.subscribed);
            expect(svc.promiseTasksDone).toBe(svc.promiseTasks);
            expect(svc.tracebacks()).toEqual({});
            expect(openActions(scheduler)).toBe(0);
          }
        }
        await svc.stop();
        await settle();
        expect(illegalStep(states)).toBeUndefined();
        if (svc.state !== 'init') {
          expect(svc.unsubscribed).toBe(svc.subscribed);
          expect(openActions(scheduler)).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});
