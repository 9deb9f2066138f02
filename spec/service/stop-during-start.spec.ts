// API.md, "Order of things": a stop that arrives during start first waits for the start
// hook that is running (bounded by stopTimeout), so what it opened is closed by onStop.
import { NEVER, finalize } from 'rxjs';
import { Service, StopTimeoutError } from '../../src/index.js';
import { deferred, context, isSettled, settle } from '../support/fixtures.js';

/** Opens a "connection" in an async onStart and closes it in onStop, as the tutorial's Webserver does. */
class Opener extends Service {
  readonly gate = deferred();
  readonly calls: string[] = [];
  open = false;
  override async onStart(): Promise<void> {
    this.calls.push('onStart');
    await this.gate.promise;
    this.open = true;
    this.calls.push('opened');
  }
  override onStop(): void {
    this.calls.push(`onStop (open: ${this.open})`);
    this.open = false;
  }
}

describe('A stop during start', () => {
  it('waits for the running onStart before onStop, so what onStart opened is closed', async () => {
    const svc = new Opener();
    const starting = svc.start();
    const stopping = svc.stop();
    await Promise.resolve();
    expect(svc.calls).toEqual(['onStart']);
    svc.gate.resolve();
    await stopping;
    await starting;
    expect(svc.calls).toEqual(['onStart', 'opened', 'onStop (open: true)']);
    expect(svc.open).toBeFalse();
    expect(svc.state).toBe('shutdown');
  });

  it('gives up on an onStart that never finishes after stopTimeout, and ends crashed', async () => {
    const svc = new Opener();
    svc.stopTimeout = 30;
    void svc.start();
    await expectAsync(svc.stop()).toBeRejectedWith(jasmine.any(StopTimeoutError));
    expect(svc.calls).toEqual(['onStart', 'onStop (open: false)']);
    expect(svc.state).toBe('crashed');
    expect((svc.crashReason as StopTimeoutError).step).toBe('Opener.onStart');
  });

  it('does not crash the stop when onStart fails after the stop began', async () => {
    class Failing extends Opener {
      override async onStart(): Promise<void> {
        await this.gate.promise;
        throw new Error('no port');
      }
    }
    const svc = new Failing();
    void svc.start();
    const stopping = svc.stop();
    svc.gate.reject(new Error('no port'));
    await stopping;
    expect(svc.state).toBe('shutdown');
  });

  it('stop during an Observable onStart that has not completed: start() ends and the hook is unsubscribed', async () => {
    let live = 0;
    class Slow extends Service {
      override onStart() {
        live++;
        return NEVER.pipe(finalize(() => live--));
      }
    }
    const svc = new Slow();
    const starting = svc.start();
    await svc.stop();
    expect(svc.state).toBe('shutdown');
    expect(live).toBe(0);
    expect(await isSettled(starting)).toBeTrue();
  });

  it('stop during a pending Promise onStart: a context the hook adds afterwards is still exited', async () => {
    const gate = deferred();
    const calls: string[] = [];
    class Slow extends Service {
      override async onStart() {
        await gate.promise;
        this.addContext(context(calls, 'late'));
      }
    }
    const svc = new Slow();
    const starting = svc.start();
    const stopping = svc.stop();
    gate.resolve();
    await starting;
    await stopping;
    await settle();
    expect(svc.state).toBe('shutdown');
    expect(calls).toEqual(['exit late']);
  });
});
