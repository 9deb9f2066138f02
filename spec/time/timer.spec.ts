import fc from 'fast-check';
import { Observable, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Logger } from '../../src/logging/logger.js';
import { Timer, timer$ } from '../../src/time/timer.js';
import { RecordingScheduler } from '../../marbles/time/schedulers.js';

describe('Timer', () => {
  it('is an Observable with mode-like counters, all zero before it runs', () => {
    const t = timer$('1.5s', { name: 'poll' });
    expect(t).toBeInstanceOf(Observable);
    expect(t).toBeInstanceOf(Timer);
    expect(t.interval).toBe(1500);
    expect(t.name).toBe('poll');
    expect(t.maxDriftCorrection).toBe(100);
    expect([t.iteration, t.drifting, t.driftingEarly, t.driftingLate, t.overlaps, t.skipped]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('is named \'timer\' unless given a name; bodyFinished() without bodyStarted() changes nothing', () => {
    const t = new Timer(1000);
    expect(t.name).toBe('timer');
    t.bodyFinished();
    expect(t.lastRuntime).toBe(0);
  });

  it('drift threshold: min(30 % of the interval, 1.2 s) unless configured', () => {
    expect(new Timer(1000).driftThreshold).toBe(300);
    expect(new Timer('10s').driftThreshold).toBe(1200);
    expect(new Timer('10s', { driftLogThreshold: '5s' }).driftThreshold).toBe(5000);
  });

  it('rejects bad durations with errors naming them', () => {
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => new Timer('soon')).toThrowError(TypeError, /'soon'/);
    expect(() => new Timer(0)).toThrowError(TypeError, /invalid timer interval: 0 \(expected at least 1 ms\)/);
    // An interval under 1 ms was accepted and kept the loop busy catching up with it.
    expect(() => new Timer(1e-12)).toThrowError(TypeError, /invalid timer interval: 1e-12/);
    expect(() => new Timer('0.5ms')).toThrowError(TypeError, /invalid timer interval: '0.5ms'/);
    expect(() => new Timer(Infinity)).toThrowError(TypeError, /Infinity/);
    expect(() => new Timer(Number.NaN)).toThrowError(TypeError, /NaN/);
    expect(new Timer(1).interval).toBe(1);
    expect(() => new Timer(1000, { maxDriftCorrection: -1 })).toThrowError(TypeError, /-1/);
    // @ts-expect-error: not a Duration; the run-time check is for plain JavaScript
    expect(() => new Timer(1000, { driftLogThreshold: 'lots' })).toThrowError(TypeError, /'lots'/);
  });

  it('a synchronous body that outlasts the interval overlaps the ticks it covered', () => {
    // A scheduler whose clock jumps while the body runs stands for a body that blocks.
    let clock = 0;
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const ticks: Array<{ tick: number; at: number }> = [];
    const runtimes: number[] = [];
    const logger = { warn: jasmine.createSpy('warn') } as unknown as Logger & { warn: jasmine.Spy };
    testScheduler.run(({ flush }) => {
      const blocking = {
        now: () => testScheduler.now() + clock,
        schedule: testScheduler.schedule.bind(testScheduler),
      };
      const t = new Timer(1000, { scheduler: blocking, logger });
      t.pipe(take(3)).subscribe((tick) => {
        runtimes.push(t.lastRuntime);
        ticks.push({ tick, at: blocking.now() });
        if (tick === 1) clock += 2500; // the body blocks for 2.5 s
      });
      flush();
      expect(t.overlaps).toBe(2); // ticks 2 and 3 fell inside the body
      expect(t.lastRuntime).toBe(0); // the last body was instant
    });
    expect(runtimes).toEqual([0, 2500, 0]); // lastRuntime as each tick arrives: the body before it
    expect(logger.warn).toHaveBeenCalledOnceWith(
      jasmine.objectContaining({ dropped: 2, runtimeMs: 2500 }),
      'Timer timer is overlapping (interval=1000ms runtime=2500ms): 2 ticks dropped',
    );
    expect(ticks).toEqual([
      { tick: 1, at: 1000 },
      { tick: 4, at: 4000 },
      { tick: 5, at: 5000 },
    ]);
  });
});

describe('Timer invariants (property)', () => {
  it('whatever the scheduler lateness (or earliness): never early, never a burst, indices increase, every slot accounted for, back on the grid after', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -600, max: 3500 }), { maxLength: 15 }),
        fc.constantFrom(250, 1000, 1500),
        fc.constantFrom(50, 100, 400),
        (lateness, interval, maxDriftCorrection) => {
          const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
          const recording = new RecordingScheduler(testScheduler, (n) => lateness[n] ?? 0);
          const timer = new Timer(interval, { scheduler: recording, maxDriftCorrection });
          const emitted: Array<{ tick: number; at: number }> = [];
          const catchUp = Math.ceil(interval / Math.min(maxDriftCorrection, interval)) + 1;
          const total = lateness.length + catchUp + 3;
          testScheduler.run(({ flush }) => {
            timer.pipe(take(total)).subscribe((tick) => emitted.push({ tick, at: testScheduler.now() }));
            flush();
          });
          expect(emitted.length).toBe(total);
          let previous: { tick: number; at: number } | undefined;
          for (const e of emitted) {
            expect(e.at).toBeGreaterThanOrEqual(e.tick * interval); // never before its slot
            expect(e.at).toBeLessThan((e.tick + 1) * interval); // the latest due slot, not an older one
            if (previous) {
              expect(e.tick).toBeGreaterThan(previous.tick);
              expect(e.at - previous.at).toBeGreaterThanOrEqual(interval - maxDriftCorrection); // no burst
            }
            previous = e;
          }
          const last = emitted[emitted.length - 1]!;
          // each slot up to the last tick was delivered or counted as skipped
          expect(timer.iteration + timer.skipped).toBe(last.tick);
          // once the scheduler is punctual again, the ticks are back on their slots
          expect(last.at).toBe(last.tick * interval);
        },
      ),
      { numRuns: 200 },
    );
  });
});
