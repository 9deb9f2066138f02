import type { PendingWork } from './run.js';

/**
 * The work running now: which task, timer, hook or future of which service is executing.
 * Two readers need it:
 * - `stop()`: called from inside a service's own work, it must not wait for that very
 *   work (which waits for `stop()`: a deadlock). Where the runtime has a cheap async
 *   context (TC39 AsyncContext, or Node 24's AsyncLocalStorage on AsyncContextFrame,
 *   looked up at run time so the core keeps no Node import) the work is followed through
 *   every await; elsewhere only its synchronous part is seen.
 * - the Node blocking detector: a listener hears each piece of work's label as its
 *   synchronous part begins and ends, so a blocked loop can be blamed on it. In browsers
 *   nobody listens and the cost is one comparison.
 */
interface Scope {
  run<R>(work: PendingWork, body: () => R): R;
  /** A runner of bodies as `work`, made once for work that runs many times (a timer's ticks). */
  bind(work: PendingWork): Enter;
  current(): PendingWork | undefined;
}

/** Runs `body` as the work it was made for. */
type Enter = <R>(body: () => R) => R;

function asyncLocalScope(): Scope | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } })
    .process;
  // Before Node 24, AsyncLocalStorage runs on promise hooks, which make every await in the
  // whole program several times slower: too high a price for one convenience.
  if (Number(host?.versions?.node?.split('.')[0] ?? 0) < 24) return undefined;
  const hooks = host?.getBuiltinModule?.('async_hooks') as
    | {
        AsyncLocalStorage?: new () => { run<R>(store: unknown, fn: () => R): R; getStore(): unknown };
        AsyncResource?: new (type: string) => { runInAsyncScope<R>(fn: () => R): R };
      }
    | undefined;
  if (!hooks?.AsyncLocalStorage || !hooks.AsyncResource) return undefined;
  const storage = new hooks.AsyncLocalStorage();
  const Resource = hooks.AsyncResource;
  return {
    run: (work, body) => storage.run(work, body),
    // An AsyncResource keeps the context it was made in, and entering it swaps one pointer,
    // where each storage.run() copies the context's Map: 19 against 446 ns a call, Node 24.
    bind: (work) => {
      const resource = storage.run(work, () => new Resource('rxmode.work'));
      return (body) => resource.runInAsyncScope(body);
    },
    current: () => storage.getStore() as PendingWork | undefined,
  };
}

/** The TC39 AsyncContext proposal, where a runtime ships it. */
function asyncContextScope(): Scope | undefined {
  const AsyncContext = (
    globalThis as {
      AsyncContext?: {
        Variable?: new () => { run<R>(value: unknown, fn: () => R): R; get(): unknown };
        Snapshot?: new () => { run<R>(fn: () => R): R };
      };
    }
  ).AsyncContext;
  if (!AsyncContext?.Variable || !AsyncContext.Snapshot) return undefined;
  const variable = new AsyncContext.Variable();
  const Snapshot = AsyncContext.Snapshot;
  return {
    run: (work, body) => variable.run(work, body),
    bind: (work) => {
      const snapshot = variable.run(work, () => new Snapshot());
      return (body) => snapshot.run(body);
    },
    current: () => variable.get() as PendingWork | undefined,
  };
}

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

const followed = asyncContextScope() ?? asyncLocalScope();
const scope: Scope = followed ?? synchronousScope();

/**
 * Whether tasks are followed across their awaits here. Where they are not (browsers
 * and Node before 24 today), a Promise task that awaits its own service's `stop()` after its first await is
 * waited for until `stopTimeout`: call `void this.stop()` and return instead.
 */
export const tasksFollowedAcrossAwaits: boolean = followed !== undefined;

/**
 * Runs `body` as `work`: `currentWork()` is `work` inside it, and the listener (if any)
 * hears `work.name` while its synchronous part runs.
 *
 * @example
 * runAsWork({ name: 'Cache.refresh', kind: 'task', origin: '' }, () => cache.refresh());
 */
export function runAsWork<R>(work: PendingWork, body: () => R): R {
  if (!listener) return scope.run(work, body);
  const observer = listener;
  observer(work.name);
  try {
    return scope.run(work, body);
  } finally {
    observer(undefined);
  }
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
  return (body) => {
    if (!listener) return enter(body);
    const observer = listener;
    observer(work.name);
    try {
      return enter(body);
    } finally {
      observer(undefined);
    }
  };
}

/** The Promise task running now, if any. */
export function currentWork(): PendingWork | undefined {
  return scope.current();
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
  // Nothing to clear in the common case (and never where tasks are not followed).
  return scope.current() === undefined ? body() : scope.run(undefined as unknown as PendingWork, body);
}

/** Work that called `stop()` and so must not be waited for by any stop. */
export const excusedWork = new WeakSet<PendingWork>();

/** Hears the label of each piece of work as its synchronous part begins, and `undefined` as it ends. */
export type WorkListener = (label: string | undefined) => void;

let listener: WorkListener | undefined;

/** Installs (or, with `undefined`, removes) the listener; returns the one it replaced. */
export function setWorkListener(next: WorkListener | undefined): WorkListener | undefined {
  const previous = listener;
  listener = next;
  return previous;
}
