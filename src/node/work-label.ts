/**
 * The work label: a few words naming what the main thread is running now, kept in shared
 * memory so that the blocking detector's watchdog thread can read it while the main
 * thread is stuck (a message would wait for the main thread's event loop, which is
 * exactly what is blocked). The watchdog prints it when it cannot read the main thread's
 * stack (an inspector is already open), and after it for work that is not a service's.
 *
 * Layout: Int32 [sequence, byteLength], then the UTF-8 bytes of the label. The writer makes
 * the sequence odd while it writes (a seqlock), so a reader never sees half a label.
 */
const CAPACITY = 1024;

let shared: SharedArrayBuffer | undefined;
let meta: Int32Array;
let bytes: Uint8Array;
let current: string | undefined;
const encoder = new TextEncoder();

/** The shared buffer the watchdog reads (made on first use). */
export function workLabelBuffer(): SharedArrayBuffer {
  if (!shared) {
    shared = new SharedArrayBuffer(8 + CAPACITY);
    meta = new Int32Array(shared, 0, 2);
    bytes = new Uint8Array(shared, 8, CAPACITY);
    if (current !== undefined) publish(current);
  }
  return shared;
}

/**
 * Names the work the main thread is doing now (`undefined`: nothing in particular), for
 * the blocking detector's report. Cheap: a string compare, and a copy into shared memory
 * only when the label changes and a detector has asked for the buffer.
 *
 * Service tasks, timers and hooks are named this way for you while a detector runs (they
 * announce themselves through `runAsWork`, src/service/work-scope.ts, and
 * `BlockingDetector.start()` listens). Call it yourself around long synchronous work that
 * is not a service's.
 *
 * @example
 * setWorkLabel('Importer: parse CSV');
 * parseHugeFile();
 * setWorkLabel(undefined);
 */
export function setWorkLabel(label: string | undefined): void {
  if (label === current) return;
  current = label;
  if (shared) publish(label);
}

/**
 * The label last given to {@link setWorkLabel}.
 *
 * @example
 * withWorkLabel('Cache.rebuild', () => workLabel()); // 'Cache.rebuild'
 */
export function workLabel(): string | undefined {
  return current;
}

/**
 * Runs `body` with `label` as the work label, then restores the previous label.
 *
 * @example
 * withWorkLabel('Cache.rebuild', () => rebuildIndex());
 */
export function withWorkLabel<T>(label: string, body: () => T): T {
  const previous = current;
  setWorkLabel(label);
  try {
    return body();
  } finally {
    setWorkLabel(previous);
  }
}

function publish(label: string | undefined): void {
  Atomics.add(meta, 0, 1);
  const { written } = label === undefined ? { written: 0 } : encoder.encodeInto(label, bytes);
  Atomics.store(meta, 1, written ?? 0);
  Atomics.add(meta, 0, 1);
}
