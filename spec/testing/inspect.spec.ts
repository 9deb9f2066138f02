import { NEVER } from 'rxjs';
import { Service, task } from '../../src/index.js';
import { illegalTransition, inspectService, offsetScheduler } from '../../src/testing/index.js';
import { TestScheduler } from 'rxjs/testing';

describe('inspectService', () => {
  it('counts the Promise work among the live work', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    class Busy extends Service {
      @task async waits() {
        await gate;
      }
      @task watches() {
        return NEVER;
      }
    }
    const svc = new Busy();
    await svc.start();
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 2, pendingPromises: 1 }));
    open();
    await gate;
    await Promise.resolve();
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 1, pendingPromises: 0 }));
    await svc.stop();
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 0, pendingPromises: 0 }));
  });
});

describe('inspectService on Observable work', () => {
  it('counts an Observable future as live work, not as pending Promise work', async () => {
    const svc = new Service();
    await svc.start();
    void svc.addFuture(NEVER);
    expect(inspectService(svc)).toEqual(jasmine.objectContaining({ liveWork: 1, pendingPromises: 0 }));
    await svc.stop();
  });
});

describe('illegalTransition', () => {
  it('names the first step the state machine does not have', () => {
    expect(illegalTransition(['init', 'running', 'stopping', 'shutdown'])).toBeUndefined();
    expect(illegalTransition(['init', 'running', 'init', 'shutdown', 'running'])).toEqual(['running', 'init']);
    expect(illegalTransition(['init', 'shutdown'])).toEqual(['init', 'shutdown']);
  });
});

describe('offsetScheduler', () => {
  it('names a bad epoch that is not a string unquoted', () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    expect(() => offsetScheduler(testScheduler, NaN)).toThrowError(
      TypeError,
      'invalid epoch: NaN (expected a Date, ms or an ISO date)',
    );
  });
});
