import type { Service } from '../../service/index.js';
import { toMs } from '../../time/duration.js';
import { inspectService } from '../inspect.js';

interface Timers {
  setImmediate?: (callback: () => void) => unknown;
}

let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/**
 * Resolves on the next macrotask, once every microtask queued before it has run.
 * `setImmediate` in Node; elsewhere a MessageChannel, because browsers stretch a chain of
 * `setTimeout(0)` to 4 ms each, which a check of hundreds of steps would feel.
 */
export function macrotask(): Promise<void> {
  const immediate = (globalThis as Timers).setImmediate;
  if (immediate) return new Promise((resolve) => void immediate(resolve));
  return new Promise((resolve) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(resolve);
    channel.port2.postMessage(undefined);
  });
}

/** How a call settled. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

export function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  return call.then(
    () => ({ ok: true }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Lets what a step set off come to rest: a macrotask for the microtasks, then, since a
 * crash does not wait for Promise tasks as a stop does, up to each crashed service's
 * `stopTimeout` for its Promise work to end on its aborted signal.
 */
export async function settle(services: readonly Service[]): Promise<void> {
  await macrotask();
  let pending = services.filter((s) => s.state === 'crashed' && inspectService(s).pendingPromises > 0);
  if (pending.length === 0) return;
  const deadline = Date.now() + Math.max(...pending.map((s) => toMs(s.stopTimeout)));
  while (pending.length > 0 && Date.now() < deadline) {
    await sleep(5);
    pending = pending.filter((s) => s.state === 'crashed' && inspectService(s).pendingPromises > 0);
  }
}
