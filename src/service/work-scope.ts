import type { PendingWork } from './run.js';

/**
 * The work running now: which task, timer, hook or future of which service is executing.
 * Two readers need it:
 * - `stop()`: called from inside a service's own work, it must not wait for that very
 *   work (which waits for `stop()`: a deadlock). Where the runtime has a cheap async
 *   context (Node 24's AsyncLocalStorage on AsyncContextFrame, which the Node entry
 *   points install through {@link followWorkWith}) the work is followed through every
 *   await; elsewhere only its synchronous part is seen. TC39's AsyncContext would come in
 *   the same way, as a scope module, once a runtime ships it: no browser does yet, and
 *   the proposal's API has changed before, so the core carries no guess at it.
 * - the Node blocking detector: a listener hears each piece of work's label as its
 *   synchronous part begins and ends, so a blocked loop can be blamed on it. In browsers
 *   nobody listens and the cost is one comparison.
 */
export interface Scope {
  /** Runs `body` as `work`. Called unbound (runAsWork passes it on), so it must not use `this`. */
  readonly run: <R>(work: PendingWork, body: () => R) => R;
  /** A runner of bodies as `work`, made once for work that runs many times (a timer's ticks). */
  bind(work: PendingWork): Enter;
  current(): PendingWork | undefined;
}

/** Runs `body` as the work it was made for. */
type Enter = <R>(body: () => R) => R;

function synchronousScope(): Scope {
  let current: PendingWork | undefined;
  const run = <R>(work: PendingWork, body: () => R): R => {
    const outer = current;
    current = work;
    try {
      return body();
    } finally {
      current = outer;
    }
  };
  return {
    run,
    bind: (work) => (body) => run(work, body),
    current: () => current,
  };
}

let scope: Scope = synchronousScope();

/**
 * Whether tasks are followed across their awaits here. Where they are not (browsers
 * and Node before 24 today), a Promise task that awaits its own service's `stop()` after its first await is
 * waited for until `stopTimeout`: call `void this.stop()` and return instead.
 */
export let tasksFollowedAcrossAwaits = false;

/**
 * @internal Follows work across awaits with the scope `make` gives, unless work is followed
 * already or it gives none. Node 24's AsyncLocalStorage comes so, from the Node flavour of
 * the entry points (async-local-scope.ts), rather than from here: a browser bundle of
 * `import { Service }` would carry it for nothing (0.15 KB gzipped).
 */
export function followWorkWith(make: () => Scope | undefined): void {
  if (tasksFollowedAcrossAwaits) return;
  const found = make();
  if (!found) return;
  scope = found;
  tasksFollowedAcrossAwaits = true;
}

/**
 * Runs `body` as `work`: `currentWork()` is `work` inside it, and the listener (if any)
 * hears `work.name` while its synchronous part runs.
 *
 * @example
 * runAsWork({ name: 'Cache.refresh', kind: 'task', origin: '' }, () => cache.refresh());
 */
export function runAsWork<R>(work: PendingWork, body: () => R): R {
  return asWork(work, undefined, scope.run, body);
}

/**
 * What runAsWork, runSyncPart and boundWork share: marks `part` as the synchronous part
 * (undefined: none, the async context says), lets the listener hear `work.name`, and runs
 * `body` through `enter` (into the async context, or not), restoring both after. `enter`
 * takes the work, so that each caller passes a function made once (scope.run, callBody,
 * the bound entry), never a closure per call: these run at every task start and tick.
 */
function asWork<R>(work: PendingWork, part: PendingWork | undefined, enter: (work: PendingWork, body: () => R) => R, body: () => R): R {
  const outerPart = syncPart;
  syncPart = part;
  const observer = listener;
  observer?.(work.name);
  try {
    return enter(work, body);
  } finally {
    syncPart = outerPart;
    observer?.(undefined);
  }
}

/**
 * Work marked by {@link runSyncPart} while its synchronous part runs: `currentWork()`
 * sees it before the async context.
 */
let syncPart: PendingWork | undefined;

/**
 * Runs `body` as `work` for its synchronous part only: `currentWork()` is `work` inside
 * it, and the listener hears it, as with {@link runAsWork}; but where tasks are followed
 * across awaits, what `body` leaves to run later (its awaits' continuations) is not
 * followed. For a timer's method that returns no Promise, which leaves nothing that the
 * stop waits for: on Node 24, entering the async context at each tick is two calls into
 * Node's C++ (W3: 1.5 to 2.3 times RxJS interval's CPU a tick with them, 0.8 without).
 *
 * @example
 * runSyncPart(work, () => service.poll());
 */
export function runSyncPart<R>(work: PendingWork, body: () => R): R {
  return asWork(work, work, callBody, body);
}

/** Enters nothing: the body runs in whatever async context it is called from. */
function callBody<R>(_work: PendingWork, body: () => R): R {
  return body();
}

/**
 * {@link runAsWork} for work that runs many times, such as a timer's ticks: the async
 * context is made once, here, and each call only enters it (W3 on Node 24: a tick no
 * longer copies the context, see `bind` above). The listener hears each call, as in
 * `runAsWork`.
 *
 * @example
 * const enter = boundWork(work);
 * ticks.run(() => enter(() => service.flush()));
 */
export function boundWork(work: PendingWork): Enter {
  const enter = scope.bind(work);
  const enterBound = <R>(_work: PendingWork, body: () => R): R => enter(body);
  return (body) => asWork(work, undefined, enterBound, body);
}

/** The Promise task running now, if any. */
export function currentWork(): PendingWork | undefined {
  return syncPart ?? scope.current();
}

/**
 * Runs `body` as nobody's work: `currentWork()` is undefined inside it, whatever work
 * queued it. A supervisor's reaction runs so: where tasks are followed across awaits, a
 * microtask keeps the context of the code that queued it (a crashing task), and a stop
 * the reaction asks for must not pass for that task's own.
 *
 * @example
 * queueMicrotask(() => outsideWork(() => react()));
 */
export function outsideWork<R>(body: () => R): R {
  const outerPart = syncPart;
  syncPart = undefined;
  try {
    // Nothing to clear in the common case (and never where tasks are not followed).
    return scope.current() === undefined ? body() : scope.run(undefined as unknown as PendingWork, body);
  } finally {
    syncPart = outerPart;
  }
}

/** Hears the label of each piece of work as its synchronous part begins, and `undefined` as it ends. */
export type WorkListener = (label: string | undefined) => void;

let listener: WorkListener | undefined;

/** Installs (or, with `undefined`, removes) the listener; returns the one it replaced. */
export function setWorkListener(next: WorkListener | undefined): WorkListener | undefined {
  const previous = listener;
  listener = next;
  return previous;
}
