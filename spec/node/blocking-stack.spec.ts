import { execSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlockingDetector, type BlockingReport } from '../../src/node/blocking.js';
import { Service } from '../../src/service/service.js';

const THIS_FILE = fileURLToPath(import.meta.url);

// The line (from 1) of this file, as it runs (transpiled), of Cruncher's busy loop.
function loopLine(): number {
  const index = readFileSync(THIS_FILE, 'utf8').split('\n').findIndex((line) => /^\s*while \(.*busy loop/.test(line));
  if (index < 0) throw new Error('no busy loop in this file');
  return index + 1;
}

class Cruncher extends Service {
  spins = 0;

  // Awaits first, so that nothing but the stack can tell that this method is running.
  async crunch(reported: () => boolean, limitMs: number): Promise<number> {
    await this.sleep(5);
    const started = Date.now();
    while (Date.now() - started < limitMs && !reported()) this.spins += 'busy loop'.length;
    return Date.now() - started;
  }
}

// A label V8 will not read without running code that may have effects (an imported binding).
class ImportedLabel extends Cruncher {
  override get label() {
    return `shard${sep}3`;
  }
}

describe('BlockingDetector, reading the blocked stack', () => {
  let dir: string;
  let path: string;
  let fd: number;
  let detector: BlockingDetector | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxmode-blocking-stack-'));
    path = join(dir, 'watchdog.log');
    fd = openSync(path, 'a');
  });
  afterEach(async () => {
    await detector?.stop();
    detector = undefined;
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  // The reports written so far whose first line matches `ours`, each with its frames.
  // A loaded machine can stall this thread past the timeout outside the spin too; such a
  // block is reported as well, naming other work (or none): each spec looks at its spin's.
  function reportsOf(ours: RegExp): string[][] {
    const reports: string[][] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (/^[[{]/.test(line)) reports.push([line]);
      else if (line !== '') reports.at(-1)?.push(line);
    }
    return reports.filter(([head]) => ours.test(head!));
  }

  // True once the watchdog has written `count` reports matching `ours` (the file read at most once a millisecond).
  function reportsWritten(ours: RegExp, count: number): () => boolean {
    let lastRead = 0;
    return () => {
      const now = Date.now();
      if (now - lastRead < 1) return false;
      lastRead = now;
      return reportsOf(ours).length >= count;
    };
  }

  it('names the service, its path and the method that awaited and then blocks, with the top frames, while it is still blocked', async () => {
    const root = new Service({ name: 'Root' });
    const namesake = new Service({ name: 'Cruncher' });
    const cruncher = new Cruncher();
    namesake.beacon.reattach(root.beacon);
    cruncher.beacon.reattach(root.beacon);
    detector = new BlockingDetector({ timeout: 200, fd, logger: { warn() {} } as never });
    const reports: BlockingReport[] = [];
    const unblocked: number[] = [];
    detector.reports$.subscribe((report) => reports.push(report));
    detector.unblocked$.subscribe((ms) => unblocked.push(ms));
    await detector.start();

    const ours = /while running Cruncher\.crunch /;
    const elapsed = await cruncher.crunch(reportsWritten(ours, 1), 5_000);
    // The main thread's next beat (due during the spin) tells unblocked$ of the spin's block.
    const spinBlock = unblocked.length;

    // Written while the loop was still spinning: it stopped because the report was there.
    expect(elapsed).toBeLessThan(5_000);
    // Not before the timeout, less the one heartbeat (200 / 4 ms) by which the block the
    // watchdog counts can begin before the spin.
    expect(elapsed).toBeGreaterThanOrEqual(200 - 200 / 4);
    const loop = loopLine();
    const [head, ...frames] = reportsOf(ours)[0]!;
    expect(head).toMatch(
      /^\[[^\]]+: WARNING\]: \[\^BlockingDetector\]: Blocking detected \(timeout=0\.2s\): the event loop has been blocked for \d+\.\ds while running Cruncher\.crunch \(Root\/Cruncher#2\)$/,
    );
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThanOrEqual(8);
    expect(frames).toContain(jasmine.stringMatching(new RegExp(`^    at Cruncher\\.crunch \\(${escape(THIS_FILE)}:${loop}:\\d+\\)$`)));

    // The same report as data, once the main thread is free to hear it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = reports.find((seen) => seen.task === 'Cruncher.crunch');
    expect(reports.filter((seen) => seen.task === 'Cruncher.crunch').length).toBe(1);
    expect(report).toEqual(jasmine.objectContaining({ path: 'Root/Cruncher#2', service: 'Cruncher', task: 'Cruncher.crunch' }));
    expect(report!.blockedMs).toBeGreaterThanOrEqual(200);
    expect(report!.frames).toContain(
      jasmine.objectContaining({ functionName: 'crunch', className: 'Cruncher', file: THIS_FILE, line: loop }),
    );
    expect(unblocked.length).toBeGreaterThan(spinBlock);
    expect(unblocked[spinBlock]!).toBeGreaterThanOrEqual(report!.blockedMs);
  });

  it('reports again each further timeout while the block lasts, each with the stack', async () => {
    const cruncher = new Cruncher({ name: 'Spinner' });
    detector = new BlockingDetector({ timeout: 150, fd, format: 'json', label: 'Worker', logger: { warn() {} } as never });
    await detector.start();
    const ours = /"work":"Spinner\.crunch"/;
    await cruncher.crunch(reportsWritten(ours, 3), 5_000);
    const records = reportsOf(ours).map(([line]) => JSON.parse(line!) as BlockingReport & { msg: string; work?: string });
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const record of records) {
      expect(record).withContext(record.msg).toEqual(jasmine.objectContaining({ path: 'Spinner', service: 'Spinner', task: 'Spinner.crunch', work: 'Spinner.crunch' }));
      expect(record.frames).toContain(jasmine.objectContaining({ functionName: 'crunch', className: 'Cruncher', line: loopLine() }));
    }
    expect(records[1]!.blockedMs).toBeGreaterThan(records[0]!.blockedMs);
  });

  it('names a service whose label it cannot read by its class', async () => {
    detector = new BlockingDetector({ timeout: 150, fd, logger: { warn() {} } as never });
    const reports: BlockingReport[] = [];
    detector.reports$.subscribe((report) => reports.push(report));
    await detector.start();
    await new ImportedLabel().crunch(reportsWritten(/while running ImportedLabel\.crunch$/, 1), 5_000);
    expect(readFileSync(path, 'utf8')).toContain('while running ImportedLabel.crunch\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = reports.find((seen) => seen.task === 'ImportedLabel.crunch');
    expect(report).toEqual(jasmine.objectContaining({ service: 'ImportedLabel', task: 'ImportedLabel.crunch' }));
    expect(report!.path).toBeUndefined();
  });

  it('names the code outside services by its frames', async () => {
    detector = new BlockingDetector({ timeout: 150, fd, logger: { warn() {} } as never });
    await detector.start();
    const earlier = reportsOf(/./).length;
    const seen = reportsWritten(/./, earlier + 1);
    const started = Date.now();
    while (Date.now() - started < 5_000 && !seen()); // module-level spin
    const [head, ...frames] = reportsOf(/./)[earlier]!;
    expect(head).toContain('while running (no service task: module code, a callback or a library)');
    expect(frames.some((frame) => frame.includes(`(${THIS_FILE}:`))).withContext(frames.join('\n')).toBeTrue();
  });

  it('says why there is no stack while no JavaScript runs, and leaves the thread running normally after', async () => {
    detector = new BlockingDetector({ timeout: 150, fd, logger: { warn() {} } as never });
    await detector.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const earlier = reportsOf(/./).length;
    execSync('sleep 2'); // the main thread waits in a system call: nothing to pause
    const first = reportsOf(/./)[earlier]!;
    expect(first[0]).toContain('(no stack: no JavaScript is running, e.g. a synchronous call into Node or a native addon)');
    expect(first.some((line) => line.startsWith('    at '))).toBeFalse();
    // Nothing was left paused or enabled: the next block is read as usual.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = readFileSync(path, 'utf8').length;
    const cruncher = new Cruncher();
    let lastRead = 0;
    await cruncher.crunch(() => {
      if (Date.now() - lastRead < 1) return false;
      lastRead = Date.now();
      return readFileSync(path, 'utf8').length > before;
    }, 5_000);
    expect(readFileSync(path, 'utf8').slice(before)).toContain('while running Cruncher.crunch (Cruncher)');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
