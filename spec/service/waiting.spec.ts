// The Promise forms of the waiting primitives, with real promises and no timers (but one
// sleep on a VirtualTimeScheduler: sleep() is a Promise of its own, not sleep$ made one); the
// timing (timeouts, sleeps) is checked in virtual time in marbles/service/waiting.spec.ts.
import { NEVER, Observable, Subject, type Subscriber, VirtualTimeScheduler, of, throwError } from 'rxjs';
import { Service } from '../../src/index.js';
import { inspectService } from '../../src/testing/index.js';
import { deferred, isSettled } from '../support/fixtures.js';

async function running(): Promise<Service> {
  const svc = new Service();
  await svc.start();
  return svc;
}

describe('Service.sleep', () => {
  it('resolves after its time on the service scheduler, and not before', async () => {
    const scheduler = new VirtualTimeScheduler();
    const svc = new Service({ scheduler });
    await svc.start();
    const sleeping = svc.sleep('1s');
    scheduler.maxFrames = 999;
    scheduler.flush();
    expect(await isSettled(sleeping)).toBeFalse();
    scheduler.maxFrames = 1000;
    scheduler.flush();
    expect(await isSettled(sleeping)).toBeTrue();
    expect(svc.state).toBe('running');
    await svc.stop();
  });

  it('returns early when the service stops', async () => {
    const svc = await running();
    const sleeping = svc.sleep('1h');
    expect(await isSettled(sleeping)).toBeFalse();
    await svc.stop();
    await expectAsync(sleeping).toBeResolvedTo(undefined);
  });

  it('returns at once when the service has already stopped', async () => {
    const svc = await running();
    await svc.stop();
    expect(await isSettled(svc.sleep('1d'))).toBeTrue();
  });

  it('lets a sleep go when it ends: the first, one between others, the last; the stop, all', async () => {
    const scheduler = new VirtualTimeScheduler();
    const svc = new Service({ scheduler });
    await svc.start();
    const head = svc.sleep('500ms');
    const long = [svc.sleep('1h')];
    const middle = svc.sleep('1s');
    long.push(svc.sleep('1h'));
    expect(inspectService(svc).sleeps).toBe(4);
    scheduler.maxFrames = 500;
    scheduler.flush();
    await head;
    expect(inspectService(svc).sleeps).withContext('the first ended').toBe(3);
    scheduler.maxFrames = 1000;
    scheduler.flush();
    await middle;
    expect(inspectService(svc).sleeps).withContext('one between two others ended').toBe(2);
    for (let i = 0; i < 5; i++) {
      const last = svc.sleep('10ms'); // a task sleeping in a loop
      scheduler.maxFrames += 10;
      scheduler.flush();
      await last;
    }
    expect(inspectService(svc).sleeps).withContext('five more, each the last, each ended').toBe(2);
    long.push(svc.sleep('1h'));
    expect(inspectService(svc).sleeps).toBe(3);
    await svc.stop();
    expect(inspectService(svc).sleeps).withContext('after the stop').toBe(0);
    expect(await isSettled(Promise.all(long))).toBeTrue();
  });

  it('aborts its signal on stop with an AbortError saying the service is stopping', async () => {
    const svc = await running();
    const signal = svc.signal;
    await svc.stop();
    expect(signal.aborted).toBeTrue();
    expect(signal.reason).toEqual(jasmine.any(DOMException));
    expect((signal.reason as DOMException).name).toBe('AbortError');
    expect((signal.reason as DOMException).message).toBe('The service is stopping');
    expect(() => signal.throwIfAborted()).toThrow(signal.reason);
  });

  it('refuses a bad duration with a TypeError naming it', async () => {
    const svc = new Service();
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    await expectAsync((async () => svc.sleep('soon'))()).toBeRejectedWithError(TypeError, /soon/);
    await expectAsync((async () => svc.sleep(-1))()).toBeRejectedWithError(TypeError, /-1/);
  });
});

describe('Service.wait', () => {
  it('gives the first value of the input', async () => {
    const svc = await running();
    expect(await svc.wait(Promise.resolve(5))).toEqual({ result: 5, stopped: false, timedOut: false });
    expect(await svc.wait(of('a', 'b'))).toEqual({ result: 'a', stopped: false, timedOut: false });
    await svc.stop();
  });

  it('says stopped when the service stops first', async () => {
    const svc = await running();
    const waiting = svc.wait(NEVER);
    expect(await isSettled(waiting)).toBeFalse();
    await svc.stop();
    expect(await waiting).toEqual({ stopped: true, timedOut: false });
  });

  it('says stopped when the service crashes first', async () => {
    const svc = await running();
    const waiting = svc.wait(NEVER);
    await svc.crash(new Error('x'));
    expect(await waiting).toEqual({ stopped: true, timedOut: false });
  });

  it('says stopped at once when the service has already stopped, even for a ready input', async () => {
    const svc = await running();
    await svc.stop();
    expect(await svc.wait(of(1))).toEqual({ stopped: true, timedOut: false });
  });

  it('passes on the error of the input', async () => {
    const svc = await running();
    const boom = new Error('input failed');
    await expectAsync(svc.wait(Promise.reject(boom))).toBeRejectedWith(boom);
    await expectAsync(svc.wait(throwError(() => boom))).toBeRejectedWith(boom);
    expect(svc.state).toBe('running');
    await svc.stop();
  });

  it('unsubscribes from the input when the service stops', async () => {
    const svc = await running();
    const input = new Subject<number>();
    const waiting = svc.wait(input);
    expect(input.observed).toBeTrue();
    await svc.stop();
    await waiting;
    expect(input.observed).toBeFalse();
  });
});

describe('Service.waitFirst', () => {
  it('gives the inputs themselves that finished, and their results', async () => {
    const svc = await running();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const waiting = svc.waitFirst(slow.promise, fast.promise);
    fast.resolve('fast');
    const result = await waiting;
    expect(result.done.length).toBe(1);
    expect(result.done[0]).toBe(fast.promise);
    expect(result.results).toEqual(['fast']);
    expect(result.stopped).toBeFalse();
    expect(result.timedOut).toBeFalse();
    await svc.stop();
  });

  it('lists every input that is ready at once, in order', async () => {
    const svc = await running();
    const a = of('a');
    const never = NEVER;
    const b = of('b');
    const result = await svc.waitFirst(a, never, b);
    expect(result.done).toEqual([a, b]);
    expect(result.done[0]).toBe(a);
    expect(result.results).toEqual(['a', 'b']);
    await svc.stop();
  });

  it('says stopped when the service stops first', async () => {
    const svc = await running();
    const waiting = svc.waitFirst(NEVER, new Promise(() => undefined));
    await svc.stop();
    expect(await waiting).toEqual({ done: [], results: [], stopped: true, timedOut: false });
  });

  it('says stopped at once on a stopped service', async () => {
    const svc = await running();
    await svc.stop();
    expect((await svc.waitFirst(of(1))).stopped).toBeTrue();
  });

  it('passes on the error of an input', async () => {
    const svc = await running();
    const boom = new Error('first failed');
    await expectAsync(svc.waitFirst(NEVER, Promise.reject(boom))).toBeRejectedWith(boom);
    await svc.stop();
  });

  it('takes a trailing { timeout } as options, not as an input', async () => {
    const svc = await running();
    const result = await svc.waitFirst(of(1), { timeout: '1h' });
    expect(result.results).toEqual([1]);
    expect(result.done.length).toBe(1);
    await svc.stop();
  });

  it('takes a trailing {} as options without a timeout', async () => {
    const svc = await running();
    const result = await svc.waitFirst(of(1), {});
    expect(result.done.length).toBe(1);
    expect(result.results).toEqual([1]);
    await svc.stop();
  });

  it('takes a trailing iterable, async iterable or Promise as an input, though it has no keys of its own', async () => {
    const svc = await running();
    async function* later() {
      yield 'async';
    }
    const inputs = [new Set(['set']), later(), Promise.resolve('promise')];
    for (const last of inputs) {
      const result = await svc.waitFirst(NEVER, last);
      expect(result.done).withContext(String(last)).toEqual([last]);
    }
    await svc.stop();
  });

  it('takes a trailing Observable with no keys of its own as an input', async () => {
    const svc = await running();
    // A subclass whose subscribe function is on its prototype, as rxjs's own subclasses
    // have it (`_subscribe`, internal to rxjs's types): no own key, like options.
    class Seven extends Observable<number> {
      _subscribe(subscriber: Subscriber<number>): void {
        subscriber.next(7);
        subscriber.complete();
      }
    }
    const seven = new Seven();
    expect(Object.keys(seven)).toEqual([]);
    const result = await svc.waitFirst(NEVER, seven);
    expect(result.done).toEqual([seven]);
    expect(result.results).toEqual([7]);
    await svc.stop();
  });

  it('takes a trailing object with a key other than timeout as an input, and refuses it as one', async () => {
    const svc = await running();
    // @ts-expect-error: a misspelt option is no options: an input, which toObservable refuses
    const misspelt = svc.waitFirst(of(1), { timout: '1s' });
    await expectAsync(misspelt).toBeRejectedWithError(TypeError, /^toObservable: an object \{timout\} is not an Observable/);
    await svc.stop();
  });
});

describe('Service.waitMany', () => {
  it('gives the first value of every input, in input order', async () => {
    const svc = await running();
    const a = deferred<string>();
    const b = deferred<string>();
    const waiting = svc.waitMany([a.promise, b.promise, of('c')]);
    b.resolve('b');
    expect(await isSettled(waiting)).toBeFalse();
    a.resolve('a');
    expect(await waiting).toEqual({ result: ['a', 'b', 'c'], stopped: false, timedOut: false });
    await svc.stop();
  });

  it('gives an empty list for no inputs', async () => {
    const svc = await running();
    expect(await svc.waitMany([])).toEqual({ result: [], stopped: false, timedOut: false });
    await svc.stop();
  });

  it('says stopped when the service stops before all finished', async () => {
    const svc = await running();
    const waiting = svc.waitMany([Promise.resolve(1), NEVER]);
    await svc.stop();
    expect(await waiting).toEqual({ stopped: true, timedOut: false });
  });

  it('passes on the error of an input', async () => {
    const svc = await running();
    const boom = new Error('one failed');
    await expectAsync(svc.waitMany([NEVER, Promise.reject(boom)])).toBeRejectedWith(boom);
    await svc.stop();
  });
});

describe('Service.waitForStopped', () => {
  it('is false when an input finishes first', async () => {
    const svc = await running();
    expect(await svc.waitForStopped(Promise.resolve(1))).toBeFalse();
    await svc.stop();
  });

  it('is true when the service stops first', async () => {
    const svc = await running();
    const waiting = svc.waitForStopped(NEVER);
    await svc.stop();
    expect(await waiting).toBeTrue();
  });

  it('with no inputs waits for the stop', async () => {
    const svc = await running();
    const waiting = svc.waitForStopped();
    expect(await isSettled(waiting)).toBeFalse();
    await svc.stop();
    expect(await waiting).toBeTrue();
  });

  it('is true at once on a stopped service', async () => {
    const svc = await running();
    await svc.stop();
    expect(await svc.waitForStopped(of(1))).toBeTrue();
  });
});
