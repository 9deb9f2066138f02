import { Signal } from '../../src/signals/signal.js';
import { SyncSignal } from '../../src/signals/sync-signal.js';

class Webserver {
  // The way services declare signals: a class field that owns and sends from its instance.
  readonly connected = new Signal<string, Webserver>({ name: 'connected', owner: this, defaultSender: this });
  readonly anonymous = new SyncSignal<void, Webserver>({ owner: this });
}

describe('signal names, labels and owners', () => {
  it('labels a named signal declared on a service as Owner.name', () => {
    const web = new Webserver();
    expect(web.connected.name).toBe('connected');
    expect(web.connected.owner).toBe(web);
    expect(web.connected.defaultSender).toBe(web);
    expect(web.connected.label).toBe('Webserver.connected');
    expect(String(web.connected)).toBe('<Signal: Webserver.connected>');
  });

  it('labels the others sensibly: name alone, owner alone, class owner, or the class name', () => {
    expect(new Signal({ name: 'ready' }).label).toBe('ready');
    expect(new Webserver().anonymous.label).toBe('Webserver');
    expect(new Signal({ name: 'made', owner: Webserver }).label).toBe('Webserver.made');
    expect(new Signal().label).toBe('Signal');
    expect(new SyncSignal().label).toBe('SyncSignal');
    expect(new Signal().name).toBe('');
    expect(new Signal().owner).toBeUndefined();
  });

  it('labels with the most derived class of the owner', () => {
    class SecureWebserver extends Webserver {}
    expect(new SecureWebserver().connected.label).toBe('SecureWebserver.connected');
  });
});

describe('clone and withDefaultSender', () => {
  const a = { id: 'a' };
  const b = { id: 'b' };

  it('clone copies the options and the receivers, keeps the class, and applies overrides', () => {
    const owner = new Webserver();
    const original = new SyncSignal<number, object>({ name: 'tick', owner, defaultSender: a });
    const r1 = jasmine.createSpy('r1');
    const r2 = jasmine.createSpy('r2');
    original.connect(r1);
    original.connect(r2, { sender: b });
    const copy = original.clone({ name: 'tock' });
    expect(copy).toBeInstanceOf(SyncSignal);
    expect(copy.name).toBe('tock');
    expect(copy.owner).toBe(owner);
    expect(copy.defaultSender).toBe(a);
    expect(copy.label).toBe('Webserver.tock');
    expect(copy.receivers(b)).toEqual([r1, r2]);
    copy.send(b, 1);
    expect(r1).toHaveBeenCalledOnceWith(b, 1, copy);
    expect(r2).toHaveBeenCalledOnceWith(b, 1, copy);
  });

  it('clone can clear an option by overriding it with undefined', () => {
    const original = new Signal<number, object>({ name: 'tick', owner: new Webserver(), defaultSender: a });
    const copy = original.clone({ owner: undefined, defaultSender: undefined });
    expect(copy.owner).toBeUndefined();
    expect(copy.defaultSender).toBeUndefined();
    expect(copy.label).toBe('tick');
  });

  it('the clone and the original connect and disconnect independently', async () => {
    const original = new Signal<number, object>();
    const shared = jasmine.createSpy('shared');
    const onlyOriginal = jasmine.createSpy('onlyOriginal');
    const onlyCopy = jasmine.createSpy('onlyCopy');
    const offShared = original.connect(shared);
    const copy = original.clone();
    original.connect(onlyOriginal);
    copy.connect(onlyCopy);
    offShared(); // the original's disconnect function: the copy keeps its own connection
    await copy.send(a, 1);
    await original.send(a, 2);
    expect(shared).toHaveBeenCalledOnceWith(a, 1, copy);
    expect(onlyCopy).toHaveBeenCalledOnceWith(a, 1, copy);
    expect(onlyOriginal).toHaveBeenCalledOnceWith(a, 2, original);
  });

  it('clone keeps weak receivers weak', () => {
    const original = new SyncSignal<number, object>();
    const fn = jasmine.createSpy('weak one');
    original.connect(fn, { weak: true });
    const copy = original.clone();
    // Disconnecting in the original leaves the copy's (weak) connection in place.
    original.disconnect(fn);
    expect(copy.receivers()).toEqual([fn]);
  });

  it('withDefaultSender is a clone sending from that sender', async () => {
    const generic = new Signal<string, object>({ name: 'connected' });
    const fn = jasmine.createSpy('receiver');
    generic.connect(fn);
    const mine = generic.withDefaultSender(a);
    expect(mine).toBeInstanceOf(Signal);
    expect(mine).not.toBe(generic);
    expect(mine.defaultSender).toBe(a);
    expect(mine.name).toBe('connected');
    await mine.send('hello');
    expect(fn).toHaveBeenCalledOnceWith(a, 'hello', mine);
    expect(generic.defaultSender).toBeUndefined();
  });

  it('withDefaultSender refuses a missing sender with a TypeError', () => {
    expect(() => new Signal<void, object>({ name: 'x' }).withDefaultSender(undefined as never)).toThrowError(
      TypeError,
      /Signal x: withDefaultSender\(\) needs a sender, got undefined/,
    );
    expect(() => new Signal<void, object>({ name: 'x' }).withDefaultSender(null as never)).toThrowError(
      TypeError,
      /Signal x: withDefaultSender\(\) needs a sender, got null/,
    );
  });
});
