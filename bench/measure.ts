// Small measuring helpers shared by the workloads: clocks, medians, forced GC, silence.
import { pino } from 'pino';
import { setRootLogger } from '../src/index.js';
// What a Node program gets from the entry point: on Node 24, tasks followed across awaits;
// and asyncScheduler's waits due at the same moment sharing one native timer.
import '../src/service/async-local-scope.js';
import '../src/time/share-async-waits.js';

declare const gc: (() => void) | undefined;

/** High-resolution wall clock in ms. */
export function now(): number {
  return performance.now();
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? 0 : sum / values.length;
}

/** The p-th percentile (0..100), nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Runs `body` `times` times and returns each duration in ms. */
export async function repeat(times: number, body: () => Promise<number> | number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await body());
  return out;
}

/** Whether the process runs with --expose-gc (W5 needs it). */
export function canGc(): boolean {
  return typeof gc === 'function';
}

/**
 * A full collection, several times over with macrotask turns in between, so that
 * weak callbacks and finalizers run and the heap figure settles.
 */
export async function settleHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Lets pending timers and microtasks drain between measurements. */
export function pause(ms = 10): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Silences rxmode's logging: the benchmarks measure the library, not stdout writes.
 * (Its loggers are still created and called; pino's silent level makes each call a no-op.)
 */
export function silenceLogs(): void {
  setRootLogger(pino({ level: 'silent' }));
}
