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
import { mean, pause, percentile } from './measure.js';
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

async function runRxmode(duration: number): Promise<Outcome> {
  const ticks: number[][] = Array.from({ length: TIMERS }, () => []);
  const slots: number[][] = Array.from({ length: TIMERS }, () => []);
  const names = ticks.map((_, i) => `tick${i}`);
  const timers: Timer[] = [];
  const Clock = withDecoratedMethods(
    Service,
    names.map((name, i) => ({
      name,
      body(this: Service) {
        ticks[i]!.push(Date.now());
        // The slot this tick aims at: ticks delivered, plus the ones skipped or overlapped.
        // (The Timer is looked up once: the recording should cost what the RxJS one does.)
        const t = (timers[i] ??= this.timers.get(name)!);
        slots[i]!.push(t.iteration + t.skipped + t.overlaps);
      },
      decorator: timer(INTERVAL),
    })),
    'Clock',
  );
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
    const t = svc.timers.get(names[i]!)!;
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
      workload: 'W3', metric: 'CPU per tick', unit: 'µs', rxmode: perTick(rx), baseline: perTick(rxjs), baselineName: 'RxJS interval',
      target: '<= 1x', limit: { of: 'ratio', max: 1 },
      extra: { rxmodeTicks: rx.ticks, baselineTicks: rxjs.ticks, baselineDriftGrowthMs: growth(rxjs) },
    }),
    row({ workload: 'W3', metric: 'tick lateness, mean', unit: 'ms', rxmode: mean(rx.lateness), baseline: mean(base.lateness), baselineName: name }),
    row({ workload: 'W3', metric: 'tick lateness, p99', unit: 'ms', rxmode: percentile(rx.lateness, 99), baseline: percentile(base.lateness, 99), baselineName: name }),
    row({ workload: 'W3', metric: 'drift from the grid at the end', unit: 'ms', rxmode: mean(rx.driftLast), baseline: mean(base.driftLast), baselineName: name }),
    growthRow,
  ];
}
