import { type Subscription, asyncScheduler } from 'rxjs';

/**
 * How many reactions, of all supervisors together, run on microtasks in a row before the
 * next one waits for the event loop's next turn. A service that crashes as soon as it
 * starts restarts entirely in microtasks, which the event loop runs to the last before it
 * looks at a timer, a socket or a signal: a budget of 10,000 froze a program for seconds,
 * and with `maxRestarts: Infinity` a Worker never heard SIGTERM. Sixteen keep a storm's
 * pause for timers, I/O and signals well under a millisecond, while the turns (one
 * setImmediate each) cost a crash loop under 1 µs a restart (W4 on a quiet machine:
 * 9.3-10.6 µs a cycle with them, 8.4-9.7 without).
 */
export const REACTIONS_PER_TURN = 16;

let inRow = 0;
let turn: Turn | undefined;
const waiting: Array<() => void> = [];

/**
 * Counts one reaction about to run on a microtask; false once {@link REACTIONS_PER_TURN}
 * ran since the event loop's last turn: the caller then waits with {@link afterTurn}.
 * `virtual`: the caller runs in TestScheduler.run()'s virtual time (see {@link Turn}).
 *
 * @example
 * if (mayReactNow(false)) react(); else afterTurn(react, false);
 */
export function mayReactNow(virtual: boolean): boolean {
  if (inRow === 0) armTurn(virtual); // the turn that ends this row, whenever it comes
  return ++inRow <= REACTIONS_PER_TURN;
}

/** Runs `fn` once the event loop has had its next turn (timers, I/O and signals ran). */
export function afterTurn(fn: () => void, virtual: boolean): void {
  waiting.push(fn);
  armTurn(virtual);
}

/** Takes `fn` back from the ones waiting for the turn (a supervisor that stopped). */
export function cancelAfterTurn(fn: () => void): void {
  const index = waiting.indexOf(fn);
  if (index >= 0) waiting.splice(index, 1);
}

/**
 * Whether asyncScheduler runs in virtual time now: inside TestScheduler.run(), its
 * `now()` is the frame, not `Date.now()`. (Real time always reads between two reads of
 * `Date.now()`.) There, microtasks and the platform's macrotasks would run only after the
 * test's flush: reactions must go through asapScheduler and asyncScheduler instead.
 *
 * @example
 * const virtual = asyncSchedulerIsVirtual(); // true inside scheduler.run(() => ...)
 */
export function asyncSchedulerIsVirtual(): boolean {
  const before = Date.now();
  const now = asyncScheduler.now();
  return now < before || now > Date.now();
}

function armTurn(virtual: boolean): void {
  turn ??= new Turn(onTurn);
  if (virtual) turn.inVirtualTime();
}

function onTurn(): void {
  turn = undefined;
  inRow = 0;
  for (const fn of waiting.splice(0)) fn();
}

/**
 * The event loop's next turn: the platform's next macrotask (setImmediate in Node, a
 * MessageChannel message in browsers, both without the 1 ms clamp of asyncScheduler's
 * setInterval(0), which would make a crash loop wait 1 ms every sixteen restarts). In
 * virtual time, also a zero-delay action of asyncScheduler, which TestScheduler.run()
 * runs in the same frame, so a storm there stays deterministic; whichever comes first.
 */
class Turn {
  readonly #platform: () => void;
  #scheduled: Subscription | undefined;
  #done = false;

  constructor(private readonly fn: () => void) {
    this.#platform = platformMacrotask(() => this.#fire());
  }

  inVirtualTime(): void {
    this.#scheduled ??= asyncScheduler.schedule(() => this.#fire());
  }

  #fire(): void {
    if (this.#done) return;
    this.#done = true;
    this.#scheduled?.unsubscribe();
    this.#platform();
    this.fn();
  }
}

type Host = {
  setImmediate?: (fn: () => void) => unknown;
  clearImmediate?: (handle: unknown) => void;
  MessageChannel?: new () => {
    port1: { onmessage: (() => void) | null; close(): void };
    port2: { postMessage(value: unknown): void; close(): void };
  };
};

/** Runs `fn` on the platform's next macrotask; returns a function that cancels it. */
function platformMacrotask(fn: () => void): () => void {
  const host = globalThis as Host;
  if (typeof host.setImmediate === 'function') {
    const handle = host.setImmediate(fn);
    return () => host.clearImmediate?.(handle);
  }
  if (typeof host.MessageChannel === 'function') {
    const channel = new host.MessageChannel();
    const close = () => {
      channel.port1.close();
      channel.port2.close();
    };
    channel.port1.onmessage = () => {
      close();
      fn();
    };
    channel.port2.postMessage(undefined);
    return close;
  }
  const handle = setTimeout(fn, 0);
  return () => clearTimeout(handle);
}
