import { Service } from '../../src/index.js';

describe('a service label', () => {
  it('takes the name option first, then the class’s own static label, then the class name', () => {
    class Webserver extends Service {
      static override label = 'web';
    }
    class Plain extends Service {}
    class Derived extends Webserver {}
    expect(new Webserver({ name: 'front' }).label).toBe('front');
    expect(new Webserver().label).toBe('web');
    expect(new Plain().label).toBe('Plain');
    // An inherited static label would name every subclass after its base.
    expect(new Derived().label).toBe('Derived');
  });

  it('falls back to the class name when a class sets its own static label to nothing', () => {
    class Base extends Service {
      static override label: string | undefined = 'base';
    }
    class Unlabelled extends Base {
      static override label = undefined;
    }
    expect(new Base().label).toBe('base');
    expect(new Unlabelled().label).toBe('Unlabelled');
  });

  it('survives a minifier renaming the class', () => {
    // What a minified bundle holds: the class renamed, the static label kept as a string.
    const Mangled = { a: class extends Service { static override label = 'Webserver'; } }.a;
    Object.defineProperty(Mangled, 'name', { value: 'a' });
    const svc = new Mangled();
    expect(svc.label).toBe('Webserver');
    expect(svc.shortlabel).toBe('Webserver');
    expect(String(svc)).toBe('<Webserver: init>');
  });
});
