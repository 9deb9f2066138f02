import { type Server, createServer } from 'node:net';
import fc from 'fast-check';
import { Service, timer } from '../../src/index.js';
import { LifecycleFailure, checkLifecycle, lifecycleCommands } from '../../src/testing/index.js';
import { failureOf } from '../support/fixtures.js';

// checkLifecycle's `handles: true` (Node only): once everything is stopped, nothing the
// service opened (a raw timer, a socket server) may still be open.

/** Every raw interval the planted services opened, cleared after each spec. */
const intervals: ReturnType<typeof setInterval>[] = [];
/** Every server they opened, closed after each spec. */
const servers: Server[] = [];

/** A raw interval opened in onStart and cleared in onStop, a socket server the same, and a @timer. */
class Heartbeat extends Service {
  interval?: ReturnType<typeof setInterval>;
  server?: Server;

  @timer('5ms') beat() {}

  override async onStart() {
    this.interval = setInterval(() => undefined, 1_000);
    intervals.push(this.interval);
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  override async onStop() {
    clearInterval(this.interval);
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** The leaked timer: onStop closes the server but forgets the interval. */
class LeakyHeartbeat extends Heartbeat {
  override async onStop() {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** The leaked server: onStop clears the interval but never closes the server. */
class OpenHeartbeat extends Heartbeat {
  override async onStop() {
    clearInterval(this.interval);
  }
}

describe('checkLifecycle with handles: true (Node)', () => {
  afterEach(async () => {
    for (const interval of intervals.splice(0)) clearInterval(interval);
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('passes a service that closes the timer and the server it opened', async () => {
    await expectAsync(checkLifecycle(() => new Heartbeat(), { handles: true, numRuns: 30 })).toBeResolved();
  }, 20_000);

  it('finds a timer left open, in one call, naming it', async () => {
    const error = await failureOf(checkLifecycle(() => new LeakyHeartbeat(), { handles: true, numRuns: 30 }));
    expect(error.message).toContain('checkLifecycle: LeakyHeartbeat fails after start\n');
    expect(error.message).toContain('after the final stop, 1 Timeout still open, opened since the factory made LeakyHeartbeat');
  });

  it('finds a server left open, naming it', async () => {
    const error = await failureOf(checkLifecycle(() => new OpenHeartbeat(), { handles: true, numRuns: 30 }));
    expect(error.message).toContain('checkLifecycle: OpenHeartbeat fails after start\n');
    expect(error.message).toContain('after the final stop, 1 TCPServerWrap still open');
  });

  it('looks at every stop that leaves all stopped, not only the final one', async () => {
    const { setup, sequence } = lifecycleCommands(() => new LeakyHeartbeat(), { handles: true });
    const failure = await failureOf(fc.asyncModelRun(setup, sequence('start', 'stop', 'restart')));
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect((failure as LifecycleFailure).calls).toEqual(['start', 'stop']);
    expect(failure.message).toBe('after stop, 1 Timeout still open, opened since the factory made LeakyHeartbeat');
  });

  it('does not count what was open before the factory ran', async () => {
    const before = setInterval(() => undefined, 1_000);
    try {
      await expectAsync(checkLifecycle(() => new Heartbeat(), { handles: true, numRuns: 10 })).toBeResolved();
    } finally {
      clearInterval(before);
    }
  });
});
