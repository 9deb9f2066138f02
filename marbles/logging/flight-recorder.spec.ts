import { TestScheduler } from 'rxjs/testing';
import { flightRecorder, type RecorderLevel } from '../../src/logging/flight-recorder.js';

interface Call {
  level: RecorderLevel;
  at: number;
  args: unknown[];
}

// A logger that remembers each call and the virtual time it was written at.
function recordingLogger(scheduler: TestScheduler): { calls: Call[] } & Record<RecorderLevel, (...args: unknown[]) => void> {
  const calls: Call[] = [];
  const at = (level: RecorderLevel) => (...args: unknown[]) => calls.push({ level, at: scheduler.now(), args });
  return { calls, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal') };
}

function messages(calls: Call[]): string[] {
  return calls.map((c) => {
    const args = typeof c.args[0] === 'object' ? c.args.slice(1) : c.args;
    return `${c.at} ${c.level} ${args.map(String).join(' | ')}`;
  });
}

describe('flightRecorder (virtual time)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it('writes nothing when the work finishes within the timeout', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 100, scheduler });
      rec.activate();
      scheduler.schedule(() => rec.info('fetching %s', 'user:1'), 10);
      scheduler.schedule(() => rec.info('got it'), 40);
      scheduler.schedule(() => rec.cancel(), 99);
      flush();
      expect(log.calls).toEqual([]);
      expect(rec.active).toBeFalse();
    });
  });

  it('replays the recorded calls with their times when the work outlives the timeout', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: '100ms', scheduler });
      const id = rec.ident;
      expect(id).toMatch(/^Flight Recorder-\d+$/);
      scheduler.schedule(() => rec.activate(), 5);
      scheduler.schedule(() => rec.info('fetching %s', 'user:1'), 10);
      scheduler.schedule(() => rec.debug({ key: 'user:1' }, 'waiting on redis'), 30);
      flush();
      expect(messages(log.calls)).toEqual([
        '105 warn Warning: Task timed out!',
        "105 warn Please make sure it's hanging before restart.",
        `105 info [%s] (started at %s) Replaying logs... | ${id} | 1970-01-01T00:00:00.005Z`,
        `105 info [${id}] (1970-01-01T00:00:00.010Z) fetching %s | user:1`,
        `105 debug [${id}] (1970-01-01T00:00:00.030Z) waiting on redis`,
        `105 info [%s] -End of log- | ${id}`,
        `105 info [%s] Activated at | ${id}`,
      ]);
      // The replayed call keeps its own fields and says when it was really made.
      expect(log.calls[4]!.args[0]).toEqual({ flightRecorder: id, loggedAt: 30, key: 'user:1' });
      expect(rec.timedOut).toBeTrue();
    });
  });

  it('writes calls made after the timeout at once, never dropping them', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 50, scheduler });
      rec.activate();
      scheduler.schedule(() => rec.warn('still waiting'), 80);
      scheduler.schedule(() => rec.error(new Error('gave up')), 120);
      scheduler.schedule(() => rec.cancel(), 130);
      scheduler.schedule(() => rec.info('after cancel: plain'), 140);
      flush();
      const late = log.calls.filter((c) => c.at > 50);
      expect(late.map((c) => [c.at, c.level])).toEqual([[80, 'warn'], [120, 'error'], [140, 'info']]);
      expect(late[0]!.args[1]).toBe(`[${rec.ident}] still waiting`);
      expect((late[1]!.args[0] as { err: Error }).err.message).toBe('gave up');
      expect(late[2]!.args).toEqual(['after cancel: plain']);
    });
  });

  it('refuses a second activate, and can be activated again after cancel', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 10, scheduler });
      rec.activate();
      expect(() => rec.activate()).toThrowError(`${rec.ident} already activated`);
      rec.cancel();
      rec.activate();
      rec.info('second run');
      flush();
      expect(messages(log.calls).filter((m) => m.includes('second run'))).toEqual([
        `10 info [${rec.ident}] (1970-01-01T00:00:00.000Z) second run`,
      ]);
    });
  });

  it('cancels at the end of a `using` block', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      let seen: boolean | undefined;
      {
        using rec = flightRecorder(log, { timeout: 10, scheduler }).activate();
        rec.info('inside');
        seen = rec.active;
      }
      flush();
      expect(seen).toBeTrue();
      expect(log.calls).toEqual([]);
    });
  });

  it('run(fn): silent when the promise settles in time', async () => {
    const log = recordingLogger(scheduler);
    const rec = flightRecorder(log, { timeout: 100, scheduler });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const result = rec.run(async (r) => {
      r.info('begin');
      await gate;
      return 42;
    });
    open();
    expect(await result).toBe(42);
    scheduler.flush();
    expect(log.calls).toEqual([]);
    expect(rec.active).toBeFalse();
  });

  it('run(fn): replays when the promise is still pending at the timeout, and cancels when it throws', async () => {
    const log = recordingLogger(scheduler);
    const rec = flightRecorder(log, { timeout: 100, scheduler });
    let fail!: (e: Error) => void;
    const gate = new Promise<void>((_, reject) => (fail = reject));
    const result = rec.run(async (r) => {
      r.info('begin');
      await gate;
    });
    scheduler.flush(); // virtual time passes the timeout while the promise hangs
    expect(messages(log.calls)).toContain(`100 info [${rec.ident}] (1970-01-01T00:00:00.000Z) begin`);
    fail(new Error('redis down'));
    await expectAsync(result).toBeRejectedWithError('redis down');
    expect(rec.active).toBeFalse();
  });

  it('wrapInfo records each method call of the wrapped object, then makes it', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 20, scheduler }).activate();
      const client = { prefix: 'v:', get(key: string) { return this.prefix + key; } };
      const wrapped = rec.wrapInfo(client);
      expect(wrapped.get('user:1')).toBe('v:user:1');
      expect(wrapped.prefix).toBe('v:');
      expect(log.calls).toEqual([]);
      flush();
      expect(messages(log.calls)).toContain(`20 info [${rec.ident}] (1970-01-01T00:00:00.000Z) %s | get('user:1')`);
    });
  });

  it('refuses a bad timeout or level, naming it', () => {
    const log = recordingLogger(scheduler);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => flightRecorder(log, { timeout: 'soon' })).toThrowError(TypeError, /'soon'/);
    const rec = flightRecorder(log, { timeout: 5, scheduler });
    expect(() => rec.log('loud' as RecorderLevel, 'x')).toThrowError(TypeError, /loud/);
  });

  it('names bad options in full', () => {
    const log = recordingLogger(scheduler);
    // @ts-expect-error: not options; the run-time check is for plain JavaScript
    expect(() => flightRecorder(log, null)).toThrowError(TypeError, 'invalid flight recorder options: null (expected { timeout })');
    // @ts-expect-error: not options
    expect(() => flightRecorder(log, 5)).toThrowError(TypeError, 'invalid flight recorder options: 5 (expected { timeout })');
    const rec = flightRecorder(log, { timeout: 5, scheduler });
    expect(() => rec.log('loud' as RecorderLevel, 'x')).toThrowError(
      TypeError,
      'invalid log level: loud (expected one of trace, debug, info, warn, error, fatal)',
    );
  });

  it('numbers recorders in the order they are made', () => {
    const log = recordingLogger(scheduler);
    const first = flightRecorder(log, { timeout: 5, scheduler });
    const second = flightRecorder(log, { timeout: 5, scheduler });
    expect(Number(second.ident.slice('Flight Recorder-'.length))).toBe(Number(first.ident.slice('Flight Recorder-'.length)) + 1);
  });

  it('passes each level through to the logger as it is when not active', () => {
    const log = recordingLogger(scheduler);
    const rec = flightRecorder(log, { timeout: 5, scheduler });
    rec.trace('t %d', 1);
    rec.debug('d');
    rec.info('i');
    rec.warn('w');
    rec.error({ code: 7 }, 'e');
    rec.fatal('f');
    expect(log.calls.map((c) => [c.level, c.args])).toEqual([
      ['trace', ['t %d', 1]],
      ['debug', ['d']],
      ['info', ['i']],
      ['warn', ['w']],
      ['error', [{ code: 7 }, 'e']],
      ['fatal', ['f']],
    ]);
  });

  it('is timed out only once the timeout passed', () => {
    scheduler.run(({ flush }) => {
      const rec = flightRecorder(recordingLogger(scheduler), { timeout: 10, scheduler }).activate();
      expect(rec.active).toBeTrue();
      expect(rec.timedOut).toBeFalse();
      flush();
      expect(rec.timedOut).toBeTrue();
      rec.cancel();
      expect(rec.timedOut).toBeFalse();
    });
  });

  it('marks every line it writes with its ident, and says where it was activated', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 10, scheduler });
      function startTheWork(): void {
        rec.activate();
      }
      startTheWork();
      flush();
      const id = rec.ident;
      expect(log.calls.slice(0, 3).map((c) => c.args[0])).toEqual([
        { flightRecorder: id },
        { flightRecorder: id },
        { flightRecorder: id },
      ]);
      const last = log.calls[log.calls.length - 1]!;
      const fields = last.args[0] as { flightRecorder: string; stack: string };
      expect(Object.keys(fields)).toEqual(['flightRecorder', 'stack']);
      expect(fields.flightRecorder).toBe(id);
      // The stack starts at the caller of activate(), and goes on past it.
      expect(fields.stack).toMatch(/^\s+at .*startTheWork/);
      expect(fields.stack).toContain('\n');
    });
  });

  it('writes what comes after the timeout as pino would: fields, an error with or without a message, no message', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 10, scheduler }).activate();
      flush();
      const before = log.calls.length;
      const err = new Error('gave up');
      rec.error(err);
      rec.error(err, 'Failed after %d tries', 3);
      rec.info({ key: 'u1' });
      rec.info();
      // pino reads a null before a message as no fields (and a null alone as the message).
      rec.info(null, 'user %s', 'u2');
      rec.info(null);
      const id = rec.ident;
      expect(log.calls.slice(before).map((c) => c.args)).toEqual([
        [{ flightRecorder: id, err }, `[${id}] gave up`],
        [{ flightRecorder: id, err }, `[${id}] Failed after %d tries`, 3],
        [{ flightRecorder: id, key: 'u1' }, `[${id}] `],
        [{ flightRecorder: id }, `[${id}] `],
        [{ flightRecorder: id }, `[${id}] user %s`, 'u2'],
        [{ flightRecorder: id }, `[${id}] null`],
      ]);
    });
  });

  it('each wrap records its calls at its level, arguments written as code', () => {
    scheduler.run(({ flush }) => {
      const log = recordingLogger(scheduler);
      const rec = flightRecorder(log, { timeout: 10, scheduler });
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      const client = { call: (...args: unknown[]) => args.length };
      rec.wrapDebug(client).call('k', 1, { a: [2] }, undefined, null, cyclic);
      // Read the name back: a bundler may rename the function (the browser build does).
      const named = function named() {};
      rec.wrapWarn(client).call(named, () => 0);
      rec.wrapError(client).call();
      expect(log.calls.map((c) => [c.level, ...c.args])).toEqual([
        ['debug', '%s', `call('k', 1, {"a":[2]}, undefined, null, [object Object])`],
        ['warn', '%s', `call(<function ${named.name}>, <function anonymous>)`],
        ['error', '%s', 'call()'],
      ]);
      flush();
    });
  });
});
