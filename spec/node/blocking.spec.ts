import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { runAsWork } from '../../src/service/work-scope.js';
import { BlockingDetector } from '../../src/node/blocking.js';
import { childProcessSuite } from './support/child.js';
import { setWorkLabel, withWorkLabel, workLabel } from '../../src/node/work-label.js';

function busyUntil(condition: () => boolean, limitMs: number): number {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (condition()) break;
  }
  return Date.now() - started;
}

// The heartbeat period of a 200 ms timeout.
const BEAT_MS = 200 / 4;

describe('BlockingDetector', () => {
  let dir: string;
  let path: string;
  let fd: number;
  let detector: BlockingDetector | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxmode-blocking-'));
    path = join(dir, 'watchdog.log');
    fd = openSync(path, 'a');
  });
  afterEach(async () => {
    await detector?.stop();
    detector = undefined;
    setWorkLabel(undefined);
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a busy loop while it is still running, naming the work label (without reading the stack)', async () => {
    const warnings: unknown[][] = [];
    detector = new BlockingDetector({ timeout: 200, fd, stack: false, logger: { warn: (...args: unknown[]) => warnings.push(args) } as never });
    await detector.start();
    // A loaded machine can stall this thread past the timeout before the spin begins; that
    // block is reported too, naming no work. The spin's own report is the one naming it.
    const ours = /while running UserCache: removeExpired\n/;
    let seenWhileBlocked = '';
    const elapsed = withWorkLabel('UserCache: removeExpired', () =>
      busyUntil(() => {
        seenWhileBlocked = readFileSync(path, 'utf8');
        return ours.test(seenWhileBlocked);
      }, 5_000),
    );
    const reports = seenWhileBlocked.split(/(?<=\n)/);
    // The watchdog wrote while this thread was still spinning, and not before the timeout.
    // It counts a block from the last beat it saw, which can come before the spin began:
    // one beat (timeout / 4) earlier at most, so the spin itself lasted at least 150 ms.
    expect(reports[reports.length - 1]).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: WARNING\]: \[\^BlockingDetector\]: Blocking detected \(timeout=0\.2s\): the event loop has been blocked for \d+\.\ds while running UserCache: removeExpired\n$/,
    );
    expect(elapsed).toBeGreaterThanOrEqual(200 - BEAT_MS);
    expect(elapsed).toBeLessThan(5_000);
    // Once free, the main thread says how long the block lasted (and then tells unblocked$),
    // once for each block reported. (Ours lasted at least the spin; 10 ms for the two clocks.)
    await firstValueFrom(detector.unblocked$.pipe(filter((blockedMs) => blockedMs >= elapsed - 10), timeout(5_000)));
    expect(warnings.length).toBe(reports.length);
    expect(String(warnings[warnings.length - 1]![1])).toContain('The event loop was blocked for');
  });

  it('names the task a Service announces through runAsWork, as a JSON line when asked', async () => {
    detector = new BlockingDetector({ timeout: '150ms', fd, format: 'json', label: 'Worker', depth: 1, logger: { warn() {} } as never });
    await detector.start();
    runAsWork({ name: 'App.crunch', kind: 'task', origin: '' }, () => busyUntil(() => readFileSync(path, 'utf8').includes('\n'), 5_000));
    const record = JSON.parse(readFileSync(path, 'utf8').trim().split('\n')[0]!) as Record<string, unknown>;
    expect(record['level']).toBe(40);
    expect(record['label']).toBe('Worker');
    expect(record['work']).toBe('App.crunch');
    expect(record['blockedMs'] as number).toBeGreaterThanOrEqual(150);
    expect(workLabel()).toBeUndefined();
  });

  it('tells unblocked$ of each block once the main thread is free (for /metrics)', async () => {
    const reports: { blockedMs: number }[] = [];
    detector = new BlockingDetector({ timeout: 300, fd, logger: { warn() {} } as never });
    const subscription = detector.unblocked$.subscribe((blockedMs) => reports.push({ blockedMs }));
    await detector.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reports).toEqual([]); // nothing while the loop turns freely
    const spun = busyUntil(() => false, 900);
    await firstValueFrom(detector.unblocked$.pipe(timeout(5_000)));
    expect(reports.length).toBe(1);
    expect(reports[0]!.blockedMs).toBeGreaterThanOrEqual(300);
    expect(reports[0]!.blockedMs).toBeLessThanOrEqual(spun + 1_000);
    subscription.unsubscribe();
  });

  it('says nothing while the event loop turns freely', async () => {
    detector = new BlockingDetector({ timeout: 100, fd, logger: { warn() {} } as never });
    await detector.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('stops its thread and gives the work listener back', async () => {
    detector = new BlockingDetector({ timeout: 100, fd });
    await detector.start();
    expect(detector.running).toBeTrue();
    await detector.stop();
    expect(detector.running).toBeFalse();
    runAsWork({ name: 'after stop', kind: 'task', origin: '' }, () => undefined);
    expect(workLabel()).toBeUndefined();
    busyUntil(() => false, 300);
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('refuses bad options, naming them', () => {
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => new BlockingDetector({ timeout: 'forever' })).toThrowError(TypeError, /'forever'/);
    expect(() => new BlockingDetector({ timeout: 0 })).toThrowError(TypeError, /invalid blocking timeout: 0/);
    expect(() => new BlockingDetector({ timeout: 0.25 })).toThrowError(TypeError, /invalid blocking timeout: 0.25/);
    expect(() => new BlockingDetector({ fd: -1 })).toThrowError(TypeError, /-1/);
  });
});

describe('setWorkLabel', () => {
  afterEach(() => setWorkLabel(undefined));
  it('withWorkLabel restores the previous label, also on a throw', () => {
    setWorkLabel('outer');
    expect(() => withWorkLabel('inner', () => { expect(workLabel()).toBe('inner'); throw new Error('x'); })).toThrowError('x');
    expect(workLabel()).toBe('outer');
  });
});

describe('BlockingDetector alone in a program (in a child process)', () => {
  const runNode = childProcessSuite();

  it('stop() resolves even when nothing else keeps the process alive', async () => {
    const child = runNode('spec/node/fixtures/detector-alone.js');
    const { code } = await child.exited();
    expect(child.stdout).toBe('STOPPED false\n');
    expect(code).toBe(0);
  });
});
