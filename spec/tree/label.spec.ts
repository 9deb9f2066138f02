import fc from 'fast-check';
import { OneForOneSupervisor, Service, Signal, SyncSignal, label, shortlabel } from '../../src/index.js';

class WebGateway extends Service {
  readonly connected = new Signal<string, WebGateway>({ name: 'connected', owner: this });
  readonly anonymous = new SyncSignal<void, WebGateway>({ owner: this });
}

describe('label() and shortlabel()', () => {
  it('name a service by its label, given or its class', () => {
    expect(label(new WebGateway())).toBe('WebGateway');
    expect(shortlabel(new WebGateway())).toBe('WebGateway');
    expect(label(new WebGateway({ name: 'api' }))).toBe('api');
    expect(shortlabel(new WebGateway({ name: 'api' }))).toBe('api');
    const supervisor = new OneForOneSupervisor();
    expect(label(supervisor)).toBe(supervisor.label);
  });

  it('name a service whose shortlabel differs from its label by each', () => {
    class Shard extends Service {
      override get label() {
        return 'Shard 3 of cluster east';
      }
      override get shortlabel() {
        return 'Shard3';
      }
    }
    expect(label(new Shard())).toBe('Shard 3 of cluster east');
    expect(shortlabel(new Shard())).toBe('Shard3');
  });

  it('name a signal by its label, and shortly by its own name (mode reads `name` after `shortlabel`)', () => {
    const web = new WebGateway();
    expect(label(web.connected)).toBe('WebGateway.connected');
    expect(shortlabel(web.connected)).toBe('connected');
    expect(label(web.anonymous)).toBe('WebGateway');
    expect(shortlabel(web.anonymous)).toBe('SyncSignal');
  });

  it('name a class by its own static label, as its services are named', () => {
    class Front extends Service {
      static override label = 'front';
    }
    class Derived extends Front {}
    expect(label(Front)).toBe(new Front().label);
    expect(label(Front)).toBe('front');
    expect(label(Derived)).toBe(new Derived().label);
    expect(label(Derived)).toBe('Derived');
  });

  it('name classes and functions by their name, anonymous ones by their kind', () => {
    expect(label(WebGateway)).toBe('WebGateway');
    expect(shortlabel(WebGateway)).toBe('WebGateway');
    function refresh() {}
    expect(label(refresh)).toBe('refresh');
    expect(label((() => () => 1)())).toBe('Function');
    expect(label(async function* () {})).toBe('AsyncGeneratorFunction');
  });

  it('name plain objects by name, class, or Object', () => {
    expect(label({ name: 'cache' })).toBe('cache');
    expect(label({ label: 'L', shortlabel: 'S', name: 'N' })).toBe('L');
    expect(shortlabel({ label: 'L', shortlabel: 'S', name: 'N' })).toBe('S');
    expect(shortlabel({ label: 'L', name: 'N' })).toBe('N');
    expect(label({ label: '', name: 'N' })).toBe('N');
    expect(label({ label: 42 })).toBe('Object');
    expect(label(new Map())).toBe('Map');
    expect(label([1, 2])).toBe('Array');
    expect(label(Object.create(null))).toBe('Object');
    expect(label(new Error('boom'))).toBe('Error');
  });

  it('give strings as they are and other plain values as their text', () => {
    expect(label('')).toBe('');
    expect(label(1.5)).toBe('1.5');
    expect(label(10n)).toBe('10');
    expect(label(true)).toBe('true');
    expect(label(null)).toBe('null');
    expect(label(undefined)).toBe('undefined');
    expect(label(Symbol('tag'))).toBe('Symbol(tag)');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.bigInt(), fc.boolean(), fc.constant(null), fc.constant(undefined)), (value) => {
        expect(label(value)).toBe(String(value));
        expect(shortlabel(value)).toBe(String(value));
      }),
    );
  });

  it('always give a string, whatever the object has for a label', () => {
    fc.assert(
      fc.property(fc.record({ label: fc.anything(), shortlabel: fc.anything(), name: fc.anything() }, { requiredKeys: [] }), (object) => {
        const long = label(object);
        const short = shortlabel(object);
        expect(typeof long).toBe('string');
        expect(typeof short).toBe('string');
        const given = object.label;
        if (typeof given === 'string' && given) expect(long).toBe(given);
      }),
    );
  });
});
