import { Service } from '../../src/service/service.js';
import { Worker } from '../../src/node/worker.js';
import { checkWorkerOptions } from '../../src/node/worker-options.js';

describe('Worker options', () => {
  const make = (options: object) => () => new Worker(new Service({ name: 'app' }), options as never);

  it('are all checked in the constructor, with a TypeError naming the option and the value', () => {
    expect(make({ health: { port: 99999 } })).toThrowError(TypeError, /^Worker: invalid health\.port: 99999 \(expected an integer 0-65535\)/);
    expect(make({ health: { port: 1.5 } })).toThrowError(TypeError, /health\.port: 1\.5/);
    expect(make({ health: { port: '9000' } })).toThrowError(TypeError, /health\.port: '9000'/);
    expect(make({ health: { host: '' } })).toThrowError(TypeError, /health\.host: ''/);
    expect(make({ health: 9000 })).toThrowError(TypeError, /invalid health: 9000/);
    expect(make({ blockingTimeout: 'abc' })).toThrowError(TypeError, /^Worker: invalid blockingTimeout: 'abc' \(expected a duration of at least 1 ms, or 0 or false for none\)/);
    expect(make({ blockingTimeout: 0.5 })).toThrowError(TypeError, /blockingTimeout: 0\.5/);
    expect(make({ blockingTimeout: true })).toThrowError(TypeError, /blockingTimeout: true/);
    expect(make({ exitGrace: 'soon' })).toThrowError(TypeError, /^Worker: invalid exitGrace: 'soon'/);
    expect(make({ exitGrace: -1 })).toThrowError(TypeError, /exitGrace: -1/);
    expect(make({ logLevel: 'loud' })).toThrowError(TypeError, /invalid logLevel: 'loud' \(expected trace, debug, info/);
    expect(make({ logFile: '' })).toThrowError(TypeError, /invalid logFile: ''/);
    expect(make({ logFormat: 'xml' })).toThrowError(TypeError, /invalid logFormat: 'xml'/);
    expect(make({ quiet: 'yes' })).toThrowError(TypeError, /invalid quiet: 'yes' \(expected true or false\)/);
    expect(make({ debug: 1 })).toThrowError(TypeError, /invalid debug: 1/);
    expect(make({ overrideLogging: 'no' })).toThrowError(TypeError, /invalid overrideLogging: 'no'/);
    expect(make({ flags: [] })).toThrowError(TypeError, /invalid flags: an Array/);
    expect(make({ help: 42 })).toThrowError(TypeError, /invalid help: 42/);
    expect(make({ stdout: {} })).toThrowError(TypeError, /invalid stdout: an object \{\} \(expected a writable stream\)/);
    expect(make({ stderr: 'err.log' })).toThrowError(TypeError, /invalid stderr: 'err\.log'/);
    expect(() => new Worker(new Service(), 'quiet' as never)).toThrowError(TypeError, /^Worker: invalid options: 'quiet'/);
    // The options every Service has are the Service's to check.
    expect(make({ name: 7 })).toThrowError(TypeError, /^Service: invalid name: 7/);
  });

  it('accepts good values, including the ways to turn things off', () => {
    const sink = { write: () => true };
    const good = [
      {},
      { health: { port: 0 } },
      { health: { port: 65_535, host: '::1' } },
      { health: false },
      { blockingTimeout: false },
      { blockingTimeout: 0 },
      { blockingTimeout: '1ms' },
      { exitGrace: 0 },
      { exitGrace: '30d' },
      { logLevel: 'WARNING', logFile: '/tmp/app.log', logFormat: 'json', quiet: true, debug: false, overrideLogging: false },
      { flags: { port: { help: 'the port' } }, help: 'more text', stdout: sink, stderr: sink },
    ];
    for (const options of good) {
      expect(checkWorkerOptions(options as never)).toBe(options as never);
      expect(make(options)).not.toThrow();
    }
  });
});
