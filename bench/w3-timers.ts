// W3: 1,000 `@timer`s at 100 ms on one service for 5 s vs 1,000 setIntervals: CPU time,
// mean and p99 tick lateness, and drift from the ideal grid (first ticks vs last ticks).
// Also against 1,000 RxJS `interval`s: CPU per tick, the figure the target names
// (a Timer's tick costing no more than an RxJS interval's).
//
// Times are Date.now() (whole ms), the clock asyncScheduler and the Timer's grid use.
// - lateness of a tick: how late it came after the moment it aimed at. A Timer aims at
//   epoch + k*interval (k read from its counters: ticks delivered + skipped + overlapped);
//   setInterval aims at "previous run + interval" (Node re-arms an interval from when its
//   list ran).
// - drift: how far tick n lands from start + n*interval, the ideal grid. A Timer's epoch is
//   not visible from outside; it is estimated per timer as min over ticks (t - k*interval),
//   which can only under-estimate lateness (by the smallest one, typically 0-1 ms).
import { interval } from 'rxjs';
import { Service, type Timer, timer } from '../src/index.js';
import { withDecoratedMethods } from './decorate.js';
import { mean, pause, percentile, settleHeap } from './measure.js';
import { type Row, row } from './table.js';

const TIMERS = 1_000;
const INTERVAL = 100;
const DURATION = 5_000;
const EDGE = 10; // ticks averaged at each end for the drift growth

interface Outcome {
  cpuMs: number;
  lateness: number[];
  driftFirst: number[];
  driftLast: number[];
  ticks: number;
  skipped: number;
}

function summarize(
  ticks: number[][],
  epochs: number[],
  lateness: number[],
  slots?: number[][],
): Omit<Outcome, 'cpuMs' | 'skipped'> {
  const driftFirst: number[] = [];
  const driftLast: number[] = [];
  let count = 0;
  ticks.forEach((times, i) => {
    count += times.length;
    if (times.length < 2 * EDGE) return;
    // Tick n (0-based) aims at slot n + 1 unless the timer says otherwise (skips).
    const drift = (n: number) => times[n]! - (epochs[i]! + (slots?.[i]![n] ?? n + 1) * INTERVAL);
    driftFirst.push(mean(times.slice(0, EDGE).map((_, n) => drift(n))));
    driftLast.push(mean(times.slice(-EDGE).map((_, j) => drift(times.length - EDGE + j))));
  });
  return { lateness, driftFirst, driftLast, ticks: count };
}

/** What the timers' bodies record: each tick's time and the slot it aims at, per timer. */
interface Recording {
  times: number[][];
  slots: number[][];
  /** Each timer's Timer, looked up at its first tick. */
  timers: (Timer | undefined)[];
}

function newRecording(): Recording {
  return {
    times: Array.from({ length: TIMERS }, () => []),
    slots: Array.from({ length: TIMERS }, () => []),
    timers: [],
  };
}

const NAMES = Array.from({ length: TIMERS }, (_, i) => `tick${i}`);

/** A service class of `TIMERS` `@timer` methods, each recording into `recording`'s arrays as they are at its tick. */
function recordingClock(recording: Recording) {
  return withDecoratedMethods(
    Service,
    NAMES.map((name, i) => ({
      name,
      body(this: Service) {
        recording.times[i]!.push(Date.now());
        // The slot this tick aims at: ticks delivered, plus the ones skipped or overlapped.
        // (The Timer is looked up once: the recording should cost what the RxJS one does.)
        const t = (recording.timers[i] ??= this.timers.get(name)!);
        recording.slots[i]!.push(t.iteration + t.skipped + t.overlaps);
      },
      decorator: timer(INTERVAL),
    })),
    'Clock',
  );
}

async function runRxmode(duration: number): Promise<Outcome> {
  const recording = newRecording();
  const { times: ticks, slots } = recording;
  const Clock = recordingClock(recording);
  const svc = new Clock();
  const tStart = Date.now();
  await svc.start();
  const cpu0 = process.cpuUsage();
  await pause(duration);
  const cpu = process.cpuUsage(cpu0);
  await svc.stop();
  let skipped = 0;
  const lateness: number[] = [];
  const epochs = ticks.map((times, i) => {
    const t = svc.timers.get(NAMES[i]!)!;
    skipped += t.skipped + t.overlaps;
    const k = slots[i]!;
    let epoch = Infinity;
    times.forEach((at, n) => (epoch = Math.min(epoch, at - k[n]! * INTERVAL)));
    epoch = Math.max(epoch, tStart);
    times.forEach((at, n) => lateness.push(at - (epoch + k[n]! * INTERVAL)));
    return epoch;
  });
  return { cpuMs: (cpu.user + cpu.system) / 1000, skipped, ...summarize(ticks, epochs, lateness, slots) };
}

async function runIntervals(duration: number): Promise<Outcome> {
  const ticks: number[][] = Array.from({ length: TIMERS }, () => []);
  const epochs: number[] = [];
  const handles = ticks.map((times, i) => {
    epochs[i] = Date.now();
    return setInterval(() => void times.push(Date.now()), INTERVAL);
  });
  const cpu0 = process.cpuUsage();
  await pause(duration);
  const cpu = process.cpuUsage(cpu0);
  for (const h of handles) clearInterval(h);
  const lateness: number[] = [];
  ticks.forEach((times, i) => {
    times.forEach((at, n) => lateness.push(at - ((n === 0 ? epochs[i]! : times[n - 1]!) + INTERVAL)));
  });
  return { cpuMs: (cpu.user + cpu.system) / 1000, skipped: 0, ...summarize(ticks, epochs, lateness) };
}

async function runRxjsIntervals(duration: number): Promise<Outcome> {
  const ticks: number[][] = Array.from({ length: TIMERS }, () => []);
  const slots: number[][] = Array.from({ length: TIMERS }, () => []);
  const epochs: number[] = [];
  const subscriptions = ticks.map((times, i) => {
    epochs[i] = Date.now();
    // Records the time and the slot, as the rxmode run's body does.
    return interval(INTERVAL).subscribe((n) => {
      times.push(Date.now());
      slots[i]!.push(n + 1);
    });
  });
  const cpu0 = process.cpuUsage();
  await pause(duration);
  const cpu = process.cpuUsage(cpu0);
  for (const s of subscriptions) s.unsubscribe();
  const lateness: number[] = [];
  ticks.forEach((times, i) => {
    times.forEach((at, n) => lateness.push(at - ((n === 0 ? epochs[i]! : times[n - 1]!) + INTERVAL)));
  });
  return { cpuMs: (cpu.user + cpu.system) / 1000, skipped: 0, ...summarize(ticks, epochs, lateness, slots) };
}

/**
 * CPU per tick of 1,000 RxJS intervals and of 1,000 `@timer`s, measured in slices that
 * alternate (ABBA: rxmode first in even rounds): `SLICE_MS` of each, `ROUNDS` times, each
 * slice started `SETTLE_MS` before its window so the tier-up after a start is past. The two kinds run
 * in the same seconds of the same process, so a machine whose speed drifts (a throttled
 * host: 1.2 to 5 µs a tick from one minute to the next, in one sitting) weighs on both
 * alike. The 5 s runs above, one after the other, gave ratios from 1.05x to 1.85x for one
 * build on Node 24 in four runs; this is what the target row uses.
 */
const ROUNDS = 6;
const SLICE_MS = 1_000;
/**
 * Each slice's window opens 1.5 s after its start: the forced GCs before a slice
 * (`settleHeap`) make V8 drop both kinds' compiled tick paths, and they tier up again over
 * the first 1.25 s (Node 24, `--trace-opt`, marks every 250 ms: 5 to 11 ms of optimizing
 * compilation on V8's background threads, which `process.cpuUsage()` counts, in a window
 * opening at 250 ms, against about 10 ms of ticks; after 1.5 s, none in most slices).
 * Opening at 250 ms, the row measured that recompilation more than the ticks: Node 24
 * 0.79x to 1.16x in four runs, where the same runs opening at 1.5 s gave 0.56x to 0.75x.
 */
const SETTLE_MS = 1_500;

interface Slices {
  rxjsUs: number;
  rxmodeUs: number;
  rxjsTicks: number;
  rxmodeTicks: number;
}

async function interleaved(): Promise<Slices> {
  // What the bodies record, as in the 5 s runs; fresh for each slice.
  const recording = newRecording();
  const fresh = (): void => void Object.assign(recording, newRecording());
  const Clock = recordingClock(recording);
  const kinds = {
    rxjs: async (): Promise<() => Promise<void>> => {
      const subscriptions = recording.times.map((own, i) =>
        interval(INTERVAL).subscribe((n) => {
          own.push(Date.now());
          recording.slots[i]!.push(n + 1);
        }),
      );
      return async () => subscriptions.forEach((s) => s.unsubscribe());
    },
    rxmode: async (): Promise<() => Promise<void>> => {
      const svc = new Clock();
      await svc.start();
      return () => svc.stop();
    },
  };
  const totals = { rxjsUs: 0, rxmodeUs: 0, rxjsTicks: 0, rxmodeTicks: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const order: Array<keyof typeof kinds> = round % 2 === 0 ? ['rxmode', 'rxjs'] : ['rxjs', 'rxmode'];
    for (const kind of order) {
      await settleHeap();
      fresh();
      const end = await kinds[kind]();
      await pause(SETTLE_MS);
      const before = recording.times.reduce((n, t) => n + t.length, 0);
      const cpu0 = process.cpuUsage();
      await pause(SLICE_MS);
      const cpu = process.cpuUsage(cpu0);
      const ticks = recording.times.reduce((n, t) => n + t.length, 0) - before;
      await end();
      totals[`${kind}Us`] += cpu.user + cpu.system;
      totals[`${kind}Ticks`] += ticks;
    }
  }
  return totals;
}

/** CPU µs per delivered tick. */
function perTick(o: Outcome): number {
  return (o.cpuMs * 1000) / o.ticks;
}

export async function w3(): Promise<Row[]> {
  const base = await runIntervals(DURATION);
  await pause(50);
  const rxjs = await runRxjsIntervals(DURATION);
  await pause(50);
  await runRxmode(600); // warm-up
  await pause(50);
  const rx = await runRxmode(DURATION);
  await pause(50);
  const slices = await interleaved();
  const name = 'setInterval';
  const what = `${TIMERS.toLocaleString('en-US')} timers @ ${INTERVAL} ms, ${DURATION / 1000} s`;
  const growth = (o: Outcome) => mean(o.driftLast) - mean(o.driftFirst);
  const growthRow = row({
    workload: 'W3', metric: `drift growth, first ${EDGE} ticks to last ${EDGE}`, unit: 'ms',
    rxmode: growth(rx), baseline: growth(base), baselineName: name, target: '0 (<= 1 ms clock step)', limit: { of: 'rxmode', max: 1 },
    extra: { rxmodeTicks: rx.ticks, baselineTicks: base.ticks, rxmodeSkippedOrOverlapped: rx.skipped },
  });
  return [
    row({ workload: 'W3', metric: `CPU time, ${what}`, unit: 'ms', rxmode: rx.cpuMs, baseline: base.cpuMs, baselineName: name }),
    row({
      workload: 'W3', metric: 'CPU per tick', unit: 'µs', rxmode: perTick(rx), baseline: perTick(base), baselineName: name,
      extra: { rxmodeTicks: rx.ticks, baselineTicks: base.ticks },
    }),
    row({
      workload: 'W3', metric: 'CPU per tick, slices', unit: 'µs', rxmode: slices.rxmodeUs / slices.rxmodeTicks,
      baseline: slices.rxjsUs / slices.rxjsTicks, baselineName: 'RxJS interval',
      target: '<= 1x', limit: { of: 'ratio', max: 1 },
      extra: {
        rxmodeTicks: slices.rxmodeTicks, baselineTicks: slices.rxjsTicks, rounds: ROUNDS, sliceMs: SLICE_MS,
        fiveSecondRunsUs: `${perTick(rx).toFixed(2)} vs ${perTick(rxjs).toFixed(2)}`, baselineDriftGrowthMs: growth(rxjs),
      },
    }),
    row({ workload: 'W3', metric: 'tick lateness, mean', unit: 'ms', rxmode: mean(rx.lateness), baseline: mean(base.lateness), baselineName: name }),
    row({ workload: 'W3', metric: 'tick lateness, p99', unit: 'ms', rxmode: percentile(rx.lateness, 99), baseline: percentile(base.lateness, 99), baselineName: name }),
    row({ workload: 'W3', metric: 'drift from the grid at the end', unit: 'ms', rxmode: mean(rx.driftLast), baseline: mean(base.driftLast), baselineName: name }),
    growthRow,
  ];
}
