import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { getLogger } from '../../src/logging/logger.js';
import { checkServiceOptions } from '../../src/service/options.js';
import { Service } from '../../src/service/service.js';
import { OneForOneSupervisor } from '../../src/supervisors/one-for-one.js';
import { Beacon } from '../../src/tree/beacon.js';

describe('Service options', () => {
  it('refuses options of the wrong type in the constructor, naming the option and the value', () => {
    expect(() => new Service({ name: 42 as never })).toThrowError(TypeError, /^Service: invalid name: 42 \(expected a non-empty string\)/);
    expect(() => new Service({ name: '' })).toThrowError(TypeError, /invalid name: ''/);
    expect(() => new Service({ scheduler: 5 as never })).toThrowError(TypeError, /^Service: invalid scheduler: 5 \(expected a SchedulerLike/);
    expect(() => new Service({ scheduler: { now: () => 0 } as never })).toThrowError(TypeError, /invalid scheduler: an object/);
    expect(() => new Service({ logger: 'debug' as never })).toThrowError(TypeError, /invalid logger: 'debug'/);
    expect(() => new Service({ beacon: {} as never })).toThrowError(TypeError, /invalid beacon: an object/);
    expect(() => new Service('web' as never)).toThrowError(TypeError, /invalid options: 'web'/);
    expect(() => new Service(null as never)).toThrowError(TypeError, /invalid options: null/);
    expect(() => new Service([] as never)).toThrowError(TypeError, /invalid options: an Array/);
  });

  it('refuses null for an option with the same TypeError, naming it', () => {
    expect(() => new Service({ scheduler: null as never })).toThrowError(
      TypeError,
      'Service: invalid scheduler: null (expected a SchedulerLike, with now() and schedule())',
    );
    expect(() => new Service({ logger: null as never })).toThrowError(TypeError, 'Service: invalid logger: null (expected a pino Logger)');
  });

  it('checks the options of subclasses too', () => {
    expect(() => new OneForOneSupervisor({ scheduler: 'fast' as never })).toThrowError(TypeError, /invalid scheduler: 'fast'/);
    class Web extends Service {}
    expect(() => new Web({ name: Symbol('web') as never })).toThrowError(TypeError, /invalid name: Symbol\(web\)/);
  });

  it('accepts every option of the right type, and none', () => {
    const parent = new Service({ name: 'parent' });
    expect(() => checkServiceOptions({})).not.toThrow();
    const svc = new Service({
      name: 'web',
      scheduler: new TestScheduler(() => undefined),
      logger: getLogger('app'),
      beacon: parent.beacon,
    });
    expect(svc.label).toBe('web');
    expect(svc.beacon.parent).toBe(parent.beacon);
    expect(new Service({ scheduler: asyncScheduler }).scheduler).toBe(asyncScheduler);
    expect(new Service().label).toBe(Service.name); // the class name (a bundler may rename it)
    expect(parent.beacon).toBeInstanceOf(Beacon);
  });
});
