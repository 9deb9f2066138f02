/**
 * What the main thread is running right now, kept in shared memory so that the blocking
 * detector's watchdog thread can read it while the main thread is stuck (a message would
 * wait for the main thread's event loop, which is exactly what is blocked).
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
export function currentWorkBuffer(): SharedArrayBuffer {
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
 * The Service announces its task, timer and hook bodies through `runAsWork`
 * (src/service/work-scope.ts); `BlockingDetector.start()` routes that here. Call it
 * yourself around long synchronous work that is not a service task.
 *
 * @example
 * setCurrentWork('Importer: parse CSV');
 * parseHugeFile();
 * setCurrentWork(undefined);
 */
export function setCurrentWork(label: string | undefined): void {
  if (label === current) return;
  current = label;
  if (shared) publish(label);
}

/** The label last given to {@link setCurrentWork}. */
export function currentWork(): string | undefined {
  return current;
}

/**
 * Runs `body` with `label` as the current work, then restores the previous label.
 *
 * @example
 * withCurrentWork('Cache.rebuild', () => rebuildIndex());
 */
export function withCurrentWork<T>(label: string, body: () => T): T {
  const previous = current;
  setCurrentWork(label);
  try {
    return body();
  } finally {
    setCurrentWork(previous);
  }
}

function publish(label: string | undefined): void {
  Atomics.add(meta, 0, 1);
  const { written } = label === undefined ? { written: 0 } : encoder.encodeInto(label, bytes);
  Atomics.store(meta, 1, written ?? 0);
  Atomics.add(meta, 0, 1);
}
