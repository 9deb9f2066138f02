import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId as mainThreadId } from 'node:worker_threads';
import type { RemoteServiceEvent, ServiceThreadOptions } from '../../src/node/service-thread.js';
import { type MakeOptions, expectGone, reach, record, threadSpecs, within } from './support/service-thread.js';

describe('ServiceThread', () => {
  const specs = threadSpecs();
  const make = (exportName: string, options?: MakeOptions) => specs.make(exportName, options);

  describe('start and stop', () => {
    it('start() resolves once the thread runs the service; both states go init → running, in order', async () => {
      const { svc, remote, local, hooks } = make('default');
      await within(svc.start(), 10_000, 'start');
      expect(svc.state).toBe('running');
      expect(svc.remoteState).toBe('running');
      expect(remote).toEqual(['init', 'running']);
      expect(local).toEqual(['init', 'running']);
      // The hooks ran in the thread, not here.
      expect(svc.threadId).toBeGreaterThan(mainThreadId);
      expect(hooks()).toEqual([`Pinger onStart ${svc.threadId}`, `Leaf onStart ${svc.threadId}`]);
    });

    it('stop() stops the thread\'s service (its hooks run there), ends the thread and shuts down', async () => {
      const { svc, remote, local, hooks, lines } = make('default');
      await within(svc.start(), 10_000, 'start');
      const id = svc.threadId;
      await within(svc.stop(), 10_000, 'stop');
      expect(svc.state).toBe('shutdown');
      expect(remote).toEqual(['init', 'running', 'stopping', 'shutdown']);
      expect(local).toEqual(['init', 'running', 'stopping', 'shutdown']);
      expect(hooks()).toEqual([
        `Pinger onStart ${id}`,
        `Leaf onStart ${id}`,
        `Pinger onStop ${id}`,
        `Leaf onStop ${id}`,
        `Leaf onShutdown ${id}`,
        `Pinger onShutdown ${id}`,
      ]);
      expect(lines.map((l) => `${l.label}: ${l.msg}`)).toContain('Pinger: onStop ran in the thread');
      await expectGone(svc);
    });

    it('remoteEvents$ carries the transitions of the whole thread tree, marking the service the module made', async () => {
      const { svc } = make('default');
      const events = record(svc.remoteEvents$);
      await within(svc.start(), 10_000, 'start');
      await within(svc.stop(), 10_000, 'stop');
      const seen = (event: RemoteServiceEvent) => `${event.self ? '*' : ''}${event.label} ${event.from}>${event.to}`;
      expect(events.map(seen)).toEqual([
        '*Pinger init>running',
        'Leaf init>running',
        '*Pinger running>stopping',
        'Leaf running>stopping',
        'Leaf stopping>shutdown',
        '*Pinger stopping>shutdown',
      ]);
      expect(events.every((e) => typeof e.at === 'number')).toBeTrue();
    });

    it('a stop while the thread is still starting ends the start, the thread and the service', async () => {
      const { svc, hooks } = make('slowStart', { args: { after: 2_000 } });
      const starting = svc.start();
      await within(reach(svc.remoteState$, 'running'), 10_000, 'remote running');
      const id = svc.threadId;
      const t0 = Date.now();
      await within(svc.stop(), 5_000, 'stop');
      await within(starting.catch(() => undefined), 1_000, 'start settling');
      expect(Date.now() - t0).toBeLessThan(1_900); // the 2 s onStart was cut, not waited for
      expect(svc.state).toBe('shutdown');
      expect(hooks()).toEqual([`Slow onStart ${id}`, `Slow onStop ${id}`, `Slow onShutdown ${id}`]);
      await expectGone(svc);
    });

    it('restart() runs the service in a fresh thread', async () => {
      const { svc, remote, hooks } = make('default');
      await within(svc.start(), 10_000, 'start');
      const first = svc.threadId!;
      await within(svc.restart(), 10_000, 'restart');
      const second = svc.threadId!;
      expect(second).not.toBe(first);
      expect(svc.state).toBe('running');
      expect(remote).toEqual(['init', 'running', 'stopping', 'shutdown', 'init', 'running']);
      expect(hooks().filter((h) => h.startsWith('Pinger onStart'))).toEqual([`Pinger onStart ${first}`, `Pinger onStart ${second}`]);
    });

    it('leaves no thread, message port or timer behind', async () => {
      const count = (kind: string) => process.getActiveResourcesInfo().filter((k) => k === kind).length;
      const ports = count('MessagePort');
      const timers = count('Timeout');
      const { svc } = make('default');
      await within(svc.start(), 10_000, 'start');
      expect(count('MessagePort')).toBeGreaterThan(ports);
      await within(svc.stop(), 10_000, 'stop');
      await expectGone(svc);
      expect(count('MessagePort')).toBe(ports);
      expect(count('Timeout')).toBe(timers);
    });
  });

  describe('logs', () => {
    it('the thread\'s lines reach the parent\'s logger, nested below the ServiceThread', async () => {
      const { svc, lines } = make('chatty');
      await within(svc.start(), 10_000, 'start');
      const chatty = lines.filter((l) => l.label === 'Chatty');
      expect(chatty.map((l) => [l.level, l.msg])).toEqual(
        jasmine.arrayContaining([
          [20, 'debug line'],
          [30, 'info line x and 7'],
          [40, 'warn line 100%s'],
        ]),
      );
      expect(chatty.every((l) => l.depth === svc.beacon.depth + 1)).toBeTrue();
      expect(chatty.find((l) => l.msg === 'warn line 100%s')!['disk']).toBe('sda');
    });

    it('the thread logs nothing below the parent logger\'s level', async () => {
      const { svc, lines } = make('chatty', { level: 'warn' });
      await within(svc.start(), 10_000, 'start');
      await within(svc.stop(), 10_000, 'stop');
      expect(lines.filter((l) => l.label === 'Chatty').map((l) => l.msg)).toEqual(['warn line 100%s']);
    });

    it('a crash logged in the thread keeps its error as the thread serialized it', async () => {
      const { svc, lines } = make('Crasher');
      await within(svc.start(), 10_000, 'start');
      await within(reach(svc.state$, 'crashed'), 10_000, 'parent crash');
      await expectGone(svc);
      const line = lines.find((l) => l.label === 'Crasher' && l.level === 50)!;
      expect(line.msg).toBe('Crashed reason=RangeError: boom in the thread');
      expect(line.err!.type).toBe('RangeError');
      expect(line.err!.code).toBe('E_BOOM');
    });
  });

  describe('bad options', () => {
    it('throws a TypeError naming a bad module, export or args', () => {
      expect(() => new specs.Thread({ module: 42 as unknown as string })).toThrowError(TypeError, /invalid module 42/);
      expect(() => new specs.Thread({ module: '' })).toThrowError(TypeError, /invalid module ''/);
      expect(() => new specs.Thread({ module: specs.APP, export: '' })).toThrowError(TypeError, /invalid export name/);
      expect(() => new specs.Thread({ module: specs.APP, args: { f: () => 1 } })).toThrowError(TypeError, /args for .* cannot be sent to a thread/);
      expect(() => new specs.Thread(undefined as unknown as ServiceThreadOptions)).toThrowError(TypeError, /expected options with a module, got undefined/);
    });

    it('takes a path, a relative path or a file URL for the module', () => {
      const href = pathToFileURL(specs.APP).href;
      expect(new specs.Thread({ module: specs.APP }).module).toBe(href);
      expect(new specs.Thread({ module: new URL(href) }).module).toBe(href);
      expect(new specs.Thread({ module: href }).module).toBe(href);
      expect(new specs.Thread({ module: 'x/y.js' }).module).toBe(pathToFileURL(join(process.cwd(), 'x', 'y.js')).href);
    });
  });
});
