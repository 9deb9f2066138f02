import { EMPTY, Observable, firstValueFrom, of, Subject, takeUntil, throwError } from 'rxjs';
import { Signal } from '../../src/signals/signal.js';
import { deferred, settle } from '../support/fixtures.js';


describe('Signal (async)', () => {
  const sender = { id: 'sender' };

  it('awaits each Promise-returning receiver before calling the next', async () => {
    const signal = new Signal<string, object>();
    const log: string[] = [];
    const first = deferred();
    const second = deferred();
    signal.connect(async () => {
      log.push('1 start');
      await first.promise;
      log.push('1 end');
    });
    signal.connect(() => {
      log.push('2 start');
      return second.promise.then(() => void log.push('2 end'));
    });
    signal.connect(() => void log.push('3'));
    let done = false;
    const sent = signal.send(sender, 'x').then(() => (done = true));
    expect(log).toEqual(['1 start']);
    await settle();
    expect(log).toEqual(['1 start']);
    first.resolve();
    await settle();
    expect(log).toEqual(['1 start', '1 end', '2 start']);
    expect(done).toBeFalse();
    second.resolve();
    await sent;
    expect(log).toEqual(['1 start', '1 end', '2 start', '2 end', '3']);
    expect(done).toBeTrue();
  });

  it('waits for an Observable-returning receiver to complete, ignoring its values', async () => {
    const signal = new Signal<void, object>();
    const inner = new Subject<number>();
    const next = jasmine.createSpy('next');
    signal.connect(() => inner);
    signal.connect(next);
    const sent = signal.send(sender, undefined);
    inner.next(1);
    inner.next(2);
    await settle();
    expect(next).not.toHaveBeenCalled();
    expect(inner.observed).toBeTrue();
    inner.complete();
    expect(next).toHaveBeenCalledTimes(1); // handed over at completion, synchronously
    await sent;
    expect(inner.observed).toBeFalse();
  });

  it('calls synchronous receivers inside send() and returns a settled Promise', async () => {
    const signal = new Signal<number, object>();
    const fn = jasmine.createSpy('receiver');
    signal.connect(fn);
    signal.connect(() => EMPTY); // an Observable that is already done
    signal.connect(fn, { sender });
    const sent = signal.send(sender, 5);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(fn).toHaveBeenCalledWith(sender, 5, signal);
    await expectAsync(sent).toBeResolved();
  });

  it('hands over through a long run of already-completed Observables without deep recursion', async () => {
    const signal = new Signal<void, object>();
    let count = 0;
    for (let i = 0; i < 5_000; i++) {
      signal.connect(() => {
        count++;
        return of(i);
      });
    }
    await signal.send(sender, undefined);
    expect(count).toBe(5_000);
  });

  it('collects rejections and Observable errors and still runs every receiver', async () => {
    const signal = new Signal<void, object>({ name: 'flaky' });
    const e1 = new Error('rejected');
    const e2 = new Error('observable error');
    const e3 = new Error('thrown');
    const last = jasmine.createSpy('last');
    signal.connect(() => Promise.reject(e1));
    signal.connect(() => throwError(() => e2));
    signal.connect(async () => {
      throw e3;
    });
    signal.connect(last);
    const error = await signal.send(sender, undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(last).toHaveBeenCalledTimes(1);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual([e1, e2, e3]);
    expect((error as AggregateError).message).toBe('3 receivers of flaky failed');
  });

  it('rejects with the single error of an async receiver as it is', async () => {
    const signal = new Signal<void, object>();
    const oops = new TypeError('oops');
    const after = jasmine.createSpy('after');
    signal.connect(async () => {
      await Promise.resolve();
      throw oops;
    });
    signal.connect(after);
    await expectAsync(signal.send(sender, undefined)).toBeRejectedWith(oops);
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('leaves out a receiver for the sender connected before an earlier receiver\'s Promise was returned', async () => {
    const signal = new Signal<void, object>();
    const gate = deferred();
    const late = jasmine.createSpy('late');
    const mine = jasmine.createSpy('mine');
    signal.connect(mine, { sender });
    signal.connect(() => {
      signal.connect(late, { sender }); // joins the sender's list the send already read
      return gate.promise;
    });
    const sent = signal.send(sender, undefined);
    gate.resolve();
    await sent;
    expect(mine).toHaveBeenCalledTimes(1);
    expect(late).not.toHaveBeenCalled();
  });

  it('skips a receiver disconnected while an earlier one is being awaited', async () => {
    const signal = new Signal<void, object>();
    const gate = deferred();
    const later = jasmine.createSpy('later');
    signal.connect(() => gate.promise);
    signal.connect(later);
    const sent = signal.send(sender, undefined);
    signal.disconnect(later);
    gate.resolve();
    await sent;
    expect(later).not.toHaveBeenCalled();
  });

  it('waits only for a Promise, any thenable or an Observable: other return values mean done', async () => {
    const signal = new Signal<void, object>();
    const log: string[] = [];
    for (const value of [null, 0, 'text', {}, () => {}, { then: 'not a function' }]) {
      signal.connect(() => {
        log.push(typeof value);
        return value as never;
      });
    }
    const sent = signal.send(sender, undefined);
    expect(log.length).toBe(6); // all called within send(): none was waited for
    await expectAsync(sent).toBeResolved();

    let fulfil!: () => void;
    const after = jasmine.createSpy('after');
    const thenable = new Signal<void, object>();
    thenable.connect(() => ({ then: (onFulfilled: () => void) => void (fulfil = onFulfilled) }) as never);
    thenable.connect(after);
    const waiting = thenable.send(sender, undefined);
    expect(after).not.toHaveBeenCalled();
    fulfil();
    await waiting;
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('goes on once when a thenable settles twice, and takes a throwing then() as the receiver failing', async () => {
    const signal = new Signal<void, object>();
    const after = jasmine.createSpy('after');
    const boom = new Error('then() threw');
    signal.connect(() => ({ then: (ok: () => void, fail: (e: unknown) => void) => (ok(), ok(), fail(new Error('late'))) }) as never);
    signal.connect(() => ({ then: () => { throw boom; } }) as never);
    signal.connect(after);
    await expectAsync(signal.send(sender, undefined)).toBeRejectedWith(boom);
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('rejects (does not throw) when there is no sender', async () => {
    const signal = new Signal<number>({ name: 'lonely' });
    let sent: Promise<void> | undefined;
    expect(() => (sent = signal.send(1))).not.toThrow();
    await expectAsync(sent!).toBeRejectedWithError(TypeError, /Signal lonely: send\(payload\)/);
  });

  describe('send$', () => {
    it('does nothing until subscribed, then completes when every receiver is done', async () => {
      const signal = new Signal<number, object>({ defaultSender: sender });
      const gate = deferred();
      const calls: number[] = [];
      signal.connect((s, p) => {
        calls.push(p);
        return gate.promise;
      });
      const send$ = signal.send$(3);
      expect(calls).toEqual([]);
      const complete = jasmine.createSpy('complete');
      send$.subscribe({ complete });
      expect(calls).toEqual([3]);
      expect(complete).not.toHaveBeenCalled();
      gate.resolve();
      await settle();
      expect(complete).toHaveBeenCalledTimes(1);
    });

    it('errors as send rejects: with the error, after every receiver ran', () => {
      const signal = new Signal<number, object>();
      const boom = new Error('boom');
      const after = jasmine.createSpy('after');
      signal.connect(() => {
        throw boom;
      });
      signal.connect(after);
      const error = jasmine.createSpy('error');
      signal.send$(sender, 1).subscribe({ error });
      expect(after).toHaveBeenCalledTimes(1);
      expect(error).toHaveBeenCalledOnceWith(boom);
    });

    it('calls the receivers for every sender, then those for the sender, each in connection order, as send() does', async () => {
      const a = { id: 'a' };
      const b = { id: 'b' };
      const signal = new Signal<number, object>();
      const heard: string[] = [];
      const hear = (tag: string) => (_: object, payload: number) => void heard.push(`${tag}:${payload}`);
      // Connected interleaved, so connection order alone would mix the two groups; one
      // receiver waits, so the rest are called by the delivery that follows it.
      signal.connect(hear('onlyA1'), { sender: a });
      signal.connect(hear('all1'));
      signal.connect(hear('onlyB'), { sender: b });
      signal.connect((_, payload) => {
        heard.push(`all2:${payload}`);
        return Promise.resolve();
      });
      signal.connect(hear('onlyA2'), { sender: a });
      signal.connect(hear('all3'));
      const expected = ['all1:1', 'all2:1', 'all3:1', 'onlyA1:1', 'onlyA2:1'];

      await signal.send(a, 1);
      expect(heard).toEqual(expected);

      heard.length = 0;
      const complete = jasmine.createSpy('complete');
      signal.send$(a, 1).subscribe({ complete });
      await settle();
      expect(complete).toHaveBeenCalledTimes(1);
      expect(heard).toEqual(expected);

      heard.length = 0;
      await firstValueFrom(signal.send$(b, 2), { defaultValue: undefined });
      expect(heard).toEqual(['all1:2', 'all2:2', 'all3:2', 'onlyB:2']);
    });

    it('emits the send on the signal\'s Observable view when subscribed', () => {
      const signal = new Signal<number, object>({ defaultSender: sender });
      const seen: unknown[] = [];
      signal.subscribe((event) => seen.push(event));
      signal.send$(4).subscribe();
      expect(seen).toEqual([{ sender, payload: 4 }]);
    });

    it('stops when unsubscribed from inside a receiver: no later receiver runs', async () => {
      const signal = new Signal<boolean, object>();
      const stop = new Subject<void>();
      const later = jasmine.createSpy('later');
      signal.connect((_, waitFirst) => (waitFirst ? Promise.resolve() : undefined));
      signal.connect(() => stop.next());
      signal.connect(later);
      const complete = jasmine.createSpy('complete');
      // before any wait (in subscribe) and after one (resumed by the Promise)
      for (const waitFirst of [false, true]) {
        signal.send$(sender, waitFirst).pipe(takeUntil(stop)).subscribe({ complete });
        await settle();
      }
      expect(later).not.toHaveBeenCalled();
      expect(complete).toHaveBeenCalledTimes(2); // by takeUntil, not by the send
    });

    it('errors with the TypeError when there is no sender', () => {
      const error = jasmine.createSpy('error');
      new Signal<number>().send$(1).subscribe({ error });
      expect(error).toHaveBeenCalledOnceWith(jasmine.any(TypeError));
    });

    it('stops on unsubscribe: the waited Observable is unsubscribed, no further receiver runs', () => {
      const signal = new Signal<void, object>();
      let unsubscribed = false;
      const never = new Observable<never>(() => () => (unsubscribed = true));
      const later = jasmine.createSpy('later');
      signal.connect(() => never);
      signal.connect(later);
      const subscription = signal.send$(sender, undefined).subscribe();
      subscription.unsubscribe();
      expect(unsubscribed).toBeTrue();
      expect(later).not.toHaveBeenCalled();
    });
  });
});
