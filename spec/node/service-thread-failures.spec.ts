import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { threadStopShare } from '../../src/node/service-thread.js';
import { type MakeOptions, expectGone, reach, record, rejection, threadSpecs, within } from './support/service-thread.js';

describe('ServiceThread failures', () => {
  const specs = threadSpecs();
  const make = (exportName: string, options?: MakeOptions) => specs.make(exportName, options);

  describe('failures in the thread', () => {
    it('a crash of the thread\'s service crashes the parent with a rebuilt error, and the thread is torn down', async () => {
      const { svc, remote, hooks } = make('Crasher');
      await within(svc.start(), 10_000, 'start');
      const id = svc.threadId;
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      const reason = svc.crashReason as Error & { code?: string };
      expect(reason).toBeInstanceOf(RangeError);
      expect(reason.message).toBe('boom in the thread');
      expect(reason.code).toBe('E_BOOM');
      expect(reason.stack).toContain('Crasher.onStarted');
      expect(remote).toEqual(['init', 'running', 'crashed']);
      // Nobody called stop(): the crash alone made the thread stop its service and end.
      await expectGone(svc);
      expect(hooks()).toContain(`Crasher onStop ${id}`);
      await within(svc.stop(), 5_000, 'stop after the crash');
      expect(svc.state).toBe('crashed');
    });

    it('under a supervisor, a crash in the thread is restarted in a fresh thread', async () => {
      const { svc, local } = make('Crasher', { args: { after: 400 } });
      const supervisor = new specs.Supervisor({ services: [svc], maxRestarts: 10, logger: pino({ level: 'silent' }) });
      await within(supervisor.start(), 10_000, 'supervisor start');
      const first = svc.thread!;
      await within(reach(svc.state$, 'crashed'), 10_000, 'crash');
      await within(reach(svc.state$, 'running'), 10_000, 'restart');
      await within(reach(svc.remoteState$, 'running'), 10_000, 'remote running again');
      expect(svc.thread).not.toBe(first);
      expect(first.threadId).toBe(-1);
      expect(local.slice(0, 4)).toEqual(['init', 'running', 'crashed', 'init']);
      await within(supervisor.stop(), 10_000, 'supervisor stop');
      expect(supervisor.state).toBe('shutdown');
      await expectGone(svc);
    });

    it('a reset and start right after a crash runs a new thread; the old one, still ending, does not touch it', async () => {
      // The old thread stops its crashed service until this spec creates `release`, so it
      // ends while the new one runs, however long the new one takes to start. (A fixed 1.5 s
      // stop was not enough: a loaded machine took longer to start the new thread.)
      const dir = mkdtempSync(join(tmpdir(), 'rxmode-thread-release-'));
      const release = join(dir, 'release');
      try {
        const { svc, remote } = make('Crasher', { args: { after: 50, stopUntil: release } });
        await within(svc.start(), 10_000, 'start');
        const old = svc.thread!;
        await within(reach(svc.state$, 'crashed'), 10_000, 'crash');
        svc.serviceReset();
        // The args object goes to each new thread: the second run's service crashes much
        // later, and stops at once.
        Object.assign(svc.args as object, { after: 60_000, stopUntil: undefined });
        await within(svc.start(), 10_000, 'second start');
        expect(old.threadId).withContext('the old thread is still ending').not.toBe(-1);
        writeFileSync(release, '');
        await within(new Promise((resolve) => old.once('exit', resolve)), 10_000, 'old thread exit');
        expect(svc.thread).not.toBe(old);
        expect(svc.state).toBe('running');
        expect(svc.remoteState).toBe('running');
        expect(remote).toEqual(['init', 'running', 'crashed', 'init', 'running']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('an old thread still stopping a running service after a reset and start: its events are not mirrored', async () => {
      // Crashed from the parent while the thread's service runs, the old thread stops it
      // for real: stopping at once, shutdown only when this spec creates `release`, so that
      // last event comes while the new thread runs. (A crash in the thread, the spec above,
      // sends none: a crashed service's stop makes no transition.) With the ServiceThread
      // taking every thread's events as its current thread's, `events` gets
      // stopping>shutdown after the new thread's init>running.
      const dir = mkdtempSync(join(tmpdir(), 'rxmode-thread-release-'));
      const release = join(dir, 'release');
      try {
        const { svc, remote } = make('Crasher', { args: { after: 60_000, stopUntil: release } });
        const events = record(svc.remoteEvents$);
        await within(svc.start(), 10_000, 'start');
        const old = svc.thread!;
        void svc.crash(new Error('crashed by its parent'));
        await within(reach(svc.remoteState$, 'stopping'), 10_000, 'old thread stopping');
        svc.serviceReset();
        Object.assign(svc.args as object, { stopUntil: undefined });
        const before = events.length;
        await within(svc.start(), 10_000, 'second start');
        expect(old.threadId).withContext('the old thread is still ending').not.toBe(-1);
        writeFileSync(release, '');
        await within(new Promise((resolve) => old.once('exit', resolve)), 10_000, 'old thread exit');
        // The new thread's own start, and nothing of the old one's stop.
        expect(events.slice(before).map((e) => `${e.from}>${e.to}`)).toEqual(['init>running']);
        expect(svc.remoteState).toBe('running');
        expect(remote).toEqual(['init', 'running', 'stopping', 'init', 'running']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a thread that calls process.exit crashes the parent, naming the exit code', async () => {
      const { svc, remote } = make('exits', { args: { code: 4, after: 50 } });
      await within(svc.start(), 10_000, 'start');
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      expect(String((svc.crashReason as Error).message)).toBe('the thread of ServiceThread exited with code 4 while its service was running');
      // The service died with its thread.
      expect(remote).toEqual(['init', 'running', 'crashed']);
      await expectGone(svc);
    });

    it('an uncaught error in the thread crashes the parent with that error', async () => {
      const { svc } = make('throwsUncaught', { args: { after: 50 } });
      await within(svc.start(), 10_000, 'start');
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      const reason = svc.crashReason as Error;
      expect(reason.name).toBe('SyntaxError');
      expect(reason.message).toBe('uncaught in the thread');
      await expectGone(svc);
    });

    it('a failing onStart in the thread rejects start() with its error; the parent is crashed and the thread gone', async () => {
      const { svc, remote } = make('failsToStart');
      const error = await rejection(svc.start());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe('port 8080 is taken');
      expect(svc.state).toBe('crashed');
      expect(svc.crashReason).toBe(error);
      expect(remote).toEqual(['init', 'running', 'crashed']);
      await expectGone(svc);
      // What the failed start left is cleaned up: a later stop succeeds.
      await within(svc.stop(), 5_000, 'stop');
    });

    it('a failing onStop in the thread fails stop() with its error; the thread is still ended', async () => {
      const { svc } = make('failsToStop');
      await within(svc.start(), 10_000, 'start');
      const error = await rejection(svc.stop());
      expect(error.message).toBe('cannot flush the queue');
      expect(svc.state).toBe('crashed');
      await expectGone(svc);
    });

    it('a thread service that never finishes stopping is terminated within stopTimeout (most of it for the thread, a reserve to terminate it)', async () => {
      const { svc, lines, hooks } = make('stuckOnStop');
      svc.stopTimeout = 300;
      const share = threadStopShare(300);
      expect(share).toBe(200);
      await within(svc.start(), 10_000, 'start');
      const t0 = Date.now();
      await within(svc.stop(), 5_000, 'stop');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(share - 10);
      expect(svc.state).toBe('shutdown');
      expect(hooks().some((h) => h.startsWith('Stuck onStop'))).toBeTrue();
      expect(lines.some((l) => l.level === 40 && l.msg === `The thread did not stop its service within ${share} ms: terminating it`)).toBeTrue();
      expect(svc.remoteState).toBe('crashed');
      await expectGone(svc);
    });
  });

  describe('a module that cannot make the service', () => {
    it('a missing export: start() rejects naming the module, the export and what it does export', async () => {
      const { svc } = make('nope');
      const error = await rejection(svc.start());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain(pathToFileURL(specs.APP).href);
      expect(error.message).toContain("no export 'nope'");
      expect(error.message).toContain("'Crasher'");
      expect(svc.state).toBe('crashed');
      await expectGone(svc);
    });

    it('a module that throws while loading: start() rejects naming the module and its error', async () => {
      const { svc } = make('default', { module: specs.BROKEN });
      const error = await rejection(svc.start());
      expect(error.message).toContain(`cannot load ${pathToFileURL(specs.BROKEN).href}`);
      expect(error.message).toContain('broken at load time');
      expect((error.cause as Error).message).toBe('broken at load time');
      await expectGone(svc);
    });

    it('a module that does not exist: start() rejects naming it', async () => {
      const missing = join(specs.dir, 'no-such-module.js');
      const { svc } = make('default', { module: missing });
      const error = await rejection(svc.start());
      expect(error.message).toContain(`cannot load ${pathToFileURL(missing).href}`);
      await expectGone(svc);
    });

    it('an export that is neither a factory nor a Service class, or a factory that makes no Service', async () => {
      const number = make('notAFactory').svc;
      const notAFactory = (await rejection(number.start())).message;
      expect(notAFactory).toContain("export 'notAFactory' of");
      expect(notAFactory).toContain('is 42, not a factory function or a Service class');
      const nothing = make('makesNothing').svc;
      const error = await rejection(nothing.start());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain("export 'makesNothing' of");
      expect(error.message).toContain('made an object {start}, not a Service');
      await expectGone(number);
      await expectGone(nothing);
    });
  });
});
