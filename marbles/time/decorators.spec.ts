import { map, mergeMap, timer as rxTimer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CORE } from '../../src/service/core.js';
import { Service } from '../../src/service/service.js';
import { offsetScheduler } from '../../src/testing/virtual-clock.js';
import { crontab, timer } from '../../src/time/decorators.js';
import { itertimer } from '../../src/time/itertimer.js';
import { RecordingScheduler } from './schedulers.js';
import { captureLogger, type LogLine } from '../../spec/support/fixtures.js';

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('@timer (virtual time)', () => {
  it('runs the method every interval from start, and the stop ends it at once', () => {
    const runs: number[] = [];
    class Beat extends Service {
      @timer(1000)
      beat() {
        runs.push(this.scheduler.now());
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Beat();
      cold('500ms a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('3700ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
      expect(svc.state).toBe('shutdown');
    });
    expect(runs).toEqual([1500, 2500, 3500]);
  });

  it('execFirst runs once at start, then on the interval grid', () => {
    const runs: number[] = [];
    class Beat extends Service {
      @timer('1s', { execFirst: true })
      beat() {
        runs.push(this.scheduler.now());
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Beat();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
      expect(svc.timers.get('beat')!.iteration).toBe(3);
    });
    expect(runs).toEqual([0, 1000, 2000]);
  });

  it('waits for an Observable run; a tick during it is skipped and counted as an overlap', () => {
    const started: number[] = [];
    const finished: number[] = [];
    class Slow extends Service {
      @timer(1000, { name: 'slow' })
      work() {
        started.push(this.scheduler.now());
        return rxTimer(1500, this.scheduler).pipe(map(() => finished.push(this.scheduler.now())));
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Slow();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('4900ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
      const t = svc.timers.get('slow')!;
      expect(t.overlaps).toBe(2); // ticks at 2000 and 4000
      expect(t.iteration).toBe(2);
    });
    expect(started).toEqual([1000, 3000]);
    expect(finished).toEqual([2500, 4500]);
  });

  it('the Timer shows in service.timers under its name', () => {
    class Named extends Service {
      @timer(1000, { name: 'heartbeat', maxDriftCorrection: '50ms' })
      beat() {}
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Named();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('10ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
      const t = svc.timers.get('heartbeat')!;
      expect(t.interval).toBe(1000);
      expect(t.maxDriftCorrection).toBe(50);
      expect(t.name).toBe('Named.heartbeat');
    });
  });

  it('service.timers is empty for a service without timers', () => {
    const svc = new Service();
    const visited: string[] = [];
    svc[CORE].forEachTimer((name) => visited.push(name));
    expect(visited).toEqual([]);
    expect(svc.timers.size).toBe(0);
  });

  it('service.timers shows the Timers of the current run, each under its name, after a restart too', () => {
    class Two extends Service {
      @timer(1000)
      fast() {}
      @timer(3000)
      slow() {}
    }
    for (const readBefore of [false, true]) {
      newScheduler().run(({ cold, flush }) => {
        const svc = new Two();
        cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
        cold('3500ms a').pipe(mergeMap(() => svc.restart$())).subscribe();
        cold('5800ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
        let before: Map<string, unknown> | undefined;
        if (readBefore) cold('3400ms a').subscribe(() => (before = new Map(svc.timers)));
        flush();
        // What the live snapshot walks (without making the map), then the map itself.
        const visited: [string, unknown][] = [];
        svc[CORE].forEachTimer((name, t) => visited.push([name, t]));
        const timers = svc.timers;
        expect(visited).withContext(`read before: ${readBefore}`).toEqual([...timers]);
        expect([...timers.keys()]).withContext(`read before: ${readBefore}`).toEqual(['fast', 'slow']);
        // Ticks of the second run only (from 3.5 s to 5.8 s: two of the fast one, none of the slow).
        expect(timers.get('fast')!.iteration).withContext(`read before: ${readBefore}`).toBe(2);
        expect(timers.get('slow')!.iteration).withContext(`read before: ${readBefore}`).toBe(0);
        if (before) expect(before.get('fast')).not.toBe(timers.get('fast'));
      });
    }
  });

  it('an error in the method crashes the service and the timer stops', () => {
    let calls = 0;
    const boom = new Error('boom');
    class Failing extends Service {
      @timer(1000)
      fail() {
        calls += 1;
        throw boom;
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Failing();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      flush();
      expect(svc.state).toBe('crashed');
      expect(svc.crashReason).toBe(boom);
    });
    expect(calls).toBe(1);
  });

  it('calls the method as it was when the service started: a replacement counts from the next start', () => {
    const calls: string[] = [];
    class Beat extends Service {
      @timer(1000)
      beat() {
        calls.push('class');
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Beat();
      const replace = (label: string) => () => (svc.beat = () => calls.push(`${label} ${svc.scheduler.now()}`));
      replace('before start')();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('1500ms a').subscribe(replace('while running'));
      cold('2600ms a').pipe(mergeMap(() => svc.restart$())).subscribe();
      cold('3700ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    expect(calls).toEqual(['before start 1000', 'before start 2000', 'while running 3600']);
  });

  it('leaves no wait behind after stop', () => {
    const testScheduler = newScheduler();
    const recording = new RecordingScheduler(testScheduler);
    class Beat extends Service {
      @timer(1000)
      beat() {}
    }
    testScheduler.run(({ cold, flush }) => {
      const svc = new Beat({ scheduler: recording });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    expect(recording.delays.filter((d) => d === 1000).length).toBe(3);
    expect(recording.live).toBe(0);
  });
  it('a run still going shows in tracebacks() as Label.method, and is gone once it ends', () => {
    const seen: string[][] = [];
    class Slow extends Service {
      @timer(1000, { name: 'slowTimer' })
      work() {
        return rxTimer(500, this.scheduler);
      }
    }
    newScheduler().run(({ cold, flush }) => {
      const svc = new Slow({ name: 'Pump' });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      for (const at of [900, 1200, 1600]) cold(`${at}ms a`).subscribe(() => seen.push(Object.keys(svc.tracebacks())));
      cold('2000ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    // the key is the method's name, not the timer's (that one names the Timer)
    expect(seen).toEqual([[], ['Pump.work'], []]);
  });

  it('warns about a late wake-up on the service\'s logger, naming the timer', () => {
    const { logger, lines } = captureLogger('warn');
    const testScheduler = newScheduler();
    class Beat extends Service {
      @timer(1000, { name: 'pulse' })
      beat() {}
    }
    testScheduler.run(({ cold, flush }) => {
      const late = new RecordingScheduler(testScheduler, (n) => (n === 0 ? 700 : 0));
      const svc = new Beat({ name: 'Heart', logger, scheduler: late });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toEqual(jasmine.objectContaining({ label: 'Heart', timer: 'Heart.pulse', driftMs: 700 }));
    expect(warnings[0]!.msg).toContain('Timer Heart.pulse woke up too late, with a drift of +700ms');
  });
});

describe('itertimer (virtual time)', () => {
  it('ticks on the service scheduler and completes when the service stops', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const svc = new Service();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(itertimer(svc, 1000)).toBe('1000ms a 999ms b 499ms |', { a: 1, b: 2 });
    });
  });

  it('is what service.itertimer() returns', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const svc = new Service();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('1500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(svc.itertimer('1s')).toBe('1000ms a 499ms |', { a: 1 });
    });
  });

  it('warns about a late wake-up on the service\'s logger, unless given a logger of its own', () => {
    const { logger: serviceLogger, lines: serviceLines } = captureLogger('warn');
    const { logger: own, lines: ownLines } = captureLogger('warn');
    const testScheduler = newScheduler();
    testScheduler.run(({ cold, flush }) => {
      // each timer's first wait ends 700 ms late
      const late = () => new RecordingScheduler(testScheduler, (n) => (n === 0 ? 700 : 0));
      const svc = new Service({ name: 'Poller', logger: serviceLogger });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('2500ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      cold('a').pipe(mergeMap(() => itertimer(svc, 1000, { name: 'poll', scheduler: late() }))).subscribe();
      cold('a').pipe(mergeMap(() => itertimer(svc, 1000, { name: 'own', logger: own, scheduler: late() }))).subscribe();
      flush();
    });
    const warnings = (lines: LogLine[]): LogLine[] => lines.filter((line) => line.level === 40);
    expect(warnings(serviceLines)).toEqual([jasmine.objectContaining({ label: 'Poller', timer: 'poll', driftMs: 700 })]);
    expect(warnings(ownLines)).toEqual([jasmine.objectContaining({ timer: 'own', driftMs: 700 })]);
  });

  it('completes at once on a service that must already stop', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const svc = new Service();
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('10ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      expectObservable(cold('20ms (a|)').pipe(mergeMap(() => itertimer(svc, 1000)))).toBe('20ms |');
    });
  });
});

describe('@crontab (virtual time)', () => {
  it('runs at Monday 09:00 in Europe/Paris, once', () => {
    const runs: string[] = [];
    const testScheduler = newScheduler();
    class Weekly extends Service {
      @crontab('0 9 * * 1', { timezone: 'Europe/Paris' })
      report() {
        runs.push(new Date(this.scheduler.now()).toISOString());
      }
    }
    testScheduler.run(({ cold, flush }) => {
      const svc = new Weekly({ scheduler: offsetScheduler(testScheduler, '2026-03-02T07:00:00Z') });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold(`${2 * 3_600_000}ms a`).pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    expect(runs).toEqual(['2026-03-02T08:00:00.000Z']);
  });

  it('skips a run time that comes while the previous run is still going', () => {
    const runs: number[] = [];
    const testScheduler = newScheduler();
    class Busy extends Service {
      @crontab('* * * * *')
      job() {
        runs.push(this.scheduler.now());
        return rxTimer(90_000, this.scheduler);
      }
    }
    testScheduler.run(({ cold, flush }) => {
      const svc = new Busy({ scheduler: offsetScheduler(testScheduler, '2026-03-02T08:00:00Z') });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('250000ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    const base = Date.parse('2026-03-02T08:00:00Z');
    // 08:01 runs until 08:02:30, so 08:02 is skipped; 08:03 runs until 08:04:30
    expect(runs.map((t) => (t - base) / 60_000)).toEqual([1, 3]);
  });

  it('warns about each skipped run time, naming the job and the time, and runs again once the run ends', () => {
    const runs: number[] = [];
    const { logger, lines } = captureLogger('warn');
    const testScheduler = newScheduler();
    class Busy extends Service {
      @crontab('* * * * *')
      job() {
        runs.push(this.scheduler.now());
        return rxTimer(runs.length === 1 ? 150_000 : 1_000, this.scheduler);
      }
    }
    testScheduler.run(({ cold, flush }) => {
      const svc = new Busy({ name: 'Busy', logger, scheduler: offsetScheduler(testScheduler, '2026-03-02T08:00:00Z') });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      cold('330000ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    const base = Date.parse('2026-03-02T08:00:00Z');
    // 08:01 runs until 08:03:30: 08:02 and 08:03 are skipped; 08:04 and 08:05 run
    expect(runs.map((t) => (t - base) / 60_000)).toEqual([1, 4, 5]);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'Cron job Busy.job is still running at its next run time: skipped 2026-03-02T08:02:00.000Z',
      'Cron job Busy.job is still running at its next run time: skipped 2026-03-02T08:03:00.000Z',
    ]);
    expect(warnings[0]).toEqual(jasmine.objectContaining({ cron: '* * * * *', method: 'job', skipped: '2026-03-02T08:02:00.000Z' }));
  });

  it('a run still going shows in tracebacks() as Label.method, and is gone once it ends', () => {
    const seen: string[][] = [];
    const testScheduler = newScheduler();
    class Report extends Service {
      @crontab('* * * * *')
      send() {
        return rxTimer(10_000, this.scheduler);
      }
    }
    testScheduler.run(({ cold, flush }) => {
      const svc = new Report({ name: 'Weekly', scheduler: offsetScheduler(testScheduler, '2026-03-02T08:00:00Z') });
      cold('a').pipe(mergeMap(() => svc.start$())).subscribe();
      for (const at of [59_000, 65_000, 71_000]) cold(`${at}ms a`).subscribe(() => seen.push(Object.keys(svc.tracebacks())));
      cold('80000ms a').pipe(mergeMap(() => svc.stop$())).subscribe();
      flush();
    });
    expect(seen).toEqual([[], ['Weekly.send'], []]);
  });

  it('throws when the class is defined, naming the bad expression or zone', () => {
    expect(() => {
      class Bad extends Service {
        @crontab('0 9 * *')
        job() {}
      }
      return Bad;
    }).toThrowError(TypeError, /'0 9 \* \*'/);
    expect(() => {
      class Bad extends Service {
        @crontab('0 9 * * 1', { timezone: 'Europe/Pariss' })
        job() {}
      }
      return Bad;
    }).toThrowError(TypeError, /'Europe\/Pariss'/);
  });
});
