import type { PendingWork } from './run.js';
import { type Scope, followWorkWith } from './work-scope.js';

// Imported by the Node flavour of the entry points (package.json's "node" condition, and
// `rxmode/node`): on Node 24 and later, tasks are followed across their awaits with
// AsyncLocalStorage (see work-scope.ts). Browsers leave it out, which keeps 0.15 KB
// gzipped out of a bundle of `import { Service }`; TC39 AsyncContext, once a browser ships
// it, would come in as a module such as this one. The module is found at run time, so this
// file imports no `node:`.
followWorkWith(asyncLocalScope);

function asyncLocalScope(): Scope | undefined {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } })
    .process;
  // Before Node 24, AsyncLocalStorage runs on promise hooks, which make every await in the
  // whole program several times slower: too high a price for one convenience.
  if (Number(host?.versions?.node?.split('.')[0] ?? 0) < 24) return undefined;
  const hooks = host?.getBuiltinModule?.('async_hooks') as
    | {
        AsyncLocalStorage?: new () => { enterWith(store: unknown): void; getStore(): unknown };
        AsyncResource?: new (type: string) => { runInAsyncScope<R>(fn: () => R): R };
      }
    | undefined;
  if (!hooks?.AsyncLocalStorage || !hooks.AsyncResource) return undefined;
  const storage = new hooks.AsyncLocalStorage();
  const Resource = hooks.AsyncResource;
  // Entered inside a fresh AsyncResource, which puts back the context it was made in as
  // it was, where storage.run() copies the context's Map twice, going in and coming back:
  // the second copy was kept by every Promise task's reaction (W6 on Node 24: two contexts
  // a task, 1.5 KB a sleeping Promise task in all; 230 against 160 ns a call).
  const run = <R>(work: PendingWork, body: () => R): R =>
    new Resource('rxmode.work').runInAsyncScope(() => {
      storage.enterWith(work);
      return body();
    });
  return {
    run,
    // An AsyncResource keeps the context it was made in, and entering it swaps one pointer,
    // where each storage.run() copies the context's Map: 19 against 446 ns a call, Node 24.
    bind: (work) => {
      const resource = run(work, () => new Resource('rxmode.work'));
      return (body) => resource.runInAsyncScope(body);
    },
    current: () => storage.getStore() as PendingWork | undefined,
  };
}

