import { of } from 'rxjs';
import { SyncSignal } from '../../src/signals/sync-signal.js';

describe('SyncSignal', () => {
  const sender = { id: 'sender' };

  it('has called every receiver when send() returns, and returns nothing', () => {
    const signal = new SyncSignal<number, object>();
    const seen: number[] = [];
    signal.connect((s, p) => void seen.push(p));
    signal.connect((s, p) => void seen.push(p * 10));
    const returned: unknown = signal.send(sender, 2);
    expect(returned).toBeUndefined();
    expect(seen).toEqual([2, 20]);
  });

  it('throws after all receivers ran, with the error or an AggregateError', () => {
    const signal = new SyncSignal<void, object>({ name: 'tick' });
    const e1 = new Error('one');
    const e2 = new Error('two');
    const after = jasmine.createSpy('after');
    signal.connect(() => {
      throw e1;
    });
    signal.connect(after);
    expect(() => signal.send(sender, undefined)).toThrow(e1);
    expect(after).toHaveBeenCalledTimes(1);
    signal.connect(() => {
      throw e2;
    });
    let caught: unknown;
    try {
      signal.send(sender, undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AggregateError);
    expect((caught as AggregateError).errors).toEqual([e1, e2]);
    expect(after).toHaveBeenCalledTimes(2);
  });

  it('treats a receiver returning a Promise as failed, with a TypeError naming the signal', async () => {
    const owner = new (class Cursor {})();
    const signal = new SyncSignal<void, object>({ name: 'moved', owner });
    const after = jasmine.createSpy('after');
    let resolved = false;
    signal.connect(async function asyncReceiver() {
      resolved = true;
    });
    signal.connect(after);
    expect(() => signal.send(sender, undefined)).toThrowError(
      TypeError,
      /^SyncSignal Cursor\.moved: receiver asyncReceiver returned a Promise; .*use Signal/,
    );
    expect(after).toHaveBeenCalledTimes(1);
    expect(resolved).toBeTrue(); // it ran; nothing waited for it
  });

  it('handles the rejection of a Promise a receiver returned: send() throws the TypeError, nothing is left unhandled', async () => {
    const signal = new SyncSignal<void, object>({ name: 'moved' });
    const returned = Promise.reject(new Error('rejected, and nobody awaits it'));
    const then = spyOn(returned, 'then').and.callThrough();
    signal.connect(() => returned);
    signal.connect(async function failsLater() {
      await Promise.resolve();
      throw new Error('an async receiver failing after an await');
    });
    const unhandled = await unhandledRejectionsDuring(() => {
      expect(() => signal.send(sender, undefined)).toThrowError(AggregateError, /2 receivers of moved failed/);
    });
    expect(then).toHaveBeenCalledTimes(1);
    expect(typeof then.calls.argsFor(0)[1]).toBe('function');
    expect(unhandled).toEqual([]);
  });

  it('ignores a thenable whose then() throws, still reporting the TypeError', () => {
    const signal = new SyncSignal<void, object>({ name: 'moved' });
    const broken = {
      then() {
        throw new Error('broken then');
      },
    };
    signal.connect(() => broken as never);
    expect(() => signal.send(sender, undefined)).toThrowError(TypeError, /moved: receiver \(anonymous\) returned a Promise/);
  });

  it('treats a receiver returning an Observable as failed, and does not subscribe to it', () => {
    const signal = new SyncSignal<void, object>({ name: 'moved' });
    let subscribed = false;
    const result = of(1);
    spyOn(result, 'subscribe').and.callFake(() => {
      subscribed = true;
      throw new Error('should not subscribe');
    });
    signal.connect(() => result);
    expect(() => signal.send(sender, undefined)).toThrowError(TypeError, /moved: receiver \(anonymous\) returned an Observable/);
    expect(subscribed).toBeFalse();
  });

  it('ignores other return values (e.g. a number from an arrow function)', () => {
    const signal = new SyncSignal<number, object>();
    const seen: number[] = [];
    signal.connect(((s: object, p: number) => seen.push(p)) as never);
    expect(() => signal.send(sender, 1)).not.toThrow();
    expect(seen).toEqual([1]);
  });

  it('throws (not returns) the TypeError when there is no sender', () => {
    const signal = new SyncSignal<number>();
    expect(() => signal.send(1)).toThrowError(TypeError, /^SyncSignal: send\(payload\) sends from the defaultSender/);
  });
});

/**
 * The unhandled rejections reported while `run` runs and shortly after (Node's
 * `unhandledRejection`, the browsers' `unhandledrejection` event).
 */
async function unhandledRejectionsDuring(run: () => void): Promise<unknown[]> {
  const seen: unknown[] = [];
  const node = (globalThis as { process?: { on?: unknown; off(event: string, fn: (reason: unknown) => void): void } }).process;
  const onNode = (reason: unknown): void => void seen.push(reason);
  const onBrowser = (event: PromiseRejectionEvent): void => {
    seen.push(event.reason);
    event.preventDefault();
  };
  const inNode = typeof node?.on === 'function';
  if (inNode) (node as unknown as { on(event: string, fn: (reason: unknown) => void): void }).on('unhandledRejection', onNode);
  else globalThis.addEventListener('unhandledrejection', onBrowser);
  try {
    run();
    // Both report after the microtasks of the task that left the rejection unhandled.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    if (inNode) node!.off('unhandledRejection', onNode);
    else globalThis.removeEventListener('unhandledrejection', onBrowser);
  }
  return seen;
}
