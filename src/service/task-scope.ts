import type { PendingWork } from './run.js';

/**
 * Knows which Promise task is running, across its awaits, so that `stop()` called from
 * inside a task does not wait for that very task (which waits for `stop()`: a deadlock).
 * Where the runtime has a cheap async context (TC39 AsyncContext, or Node 24's
 * AsyncLocalStorage on AsyncContextFrame, looked up at run time so the core keeps no Node
 * import) it follows the task through every await; elsewhere it sees only the task's
 * synchronous first part.
 */
interface Scope {
  run<R>(work: PendingWork, body: () => R): R;
  current(): PendingWork | undefined;
}

function asyncLocalScope(): Scope | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } })
    .process;
  // Before Node 24, AsyncLocalStorage runs on promise hooks, which make every await in the
  // whole program several times slower: too high a price for one convenience.
  if (Number(host?.versions?.node?.split('.')[0] ?? 0) < 24) return undefined;
  const hooks = host?.getBuiltinModule?.('async_hooks') as
    | { AsyncLocalStorage?: new () => { run<R>(store: unknown, fn: () => R): R; getStore(): unknown } }
    | undefined;
  if (!hooks?.AsyncLocalStorage) return undefined;
  const storage = new hooks.AsyncLocalStorage();
  return {
    run: (work, body) => storage.run(work, body),
    current: () => storage.getStore() as PendingWork | undefined,
  };
}

/** The TC39 AsyncContext proposal, where a runtime ships it. */
function asyncContextScope(): Scope | undefined {
  const AsyncContext = (globalThis as { AsyncContext?: { Variable?: new () => { run<R>(value: unknown, fn: () => R): R; get(): unknown } } })
    .AsyncContext;
  if (!AsyncContext?.Variable) return undefined;
  const variable = new AsyncContext.Variable();
  return {
    run: (work, body) => variable.run(work, body),
    current: () => variable.get() as PendingWork | undefined,
  };
}

function synchronousScope(): Scope {
  let current: PendingWork | undefined;
  return {
    run(work, body) {
      const outer = current;
      current = work;
      try {
        return body();
      } finally {
        current = outer;
      }
    },
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

/** Runs `body` as `work`. */
export function runAsWork<R>(work: PendingWork, body: () => R): R {
  return scope.run(work, body);
}

/** The Promise task running now, if any. */
export function currentWork(): PendingWork | undefined {
  return scope.current();
}

/** Work that called `stop()` and so must not be waited for by any stop. */
export const excusedWork = new WeakSet<PendingWork>();
