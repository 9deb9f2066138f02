import { CORE } from './core.js';
import { declareWork } from './declare.js';
import type { Service } from './service.js';
import { stackHere, startWork } from './work.js';

/**
 * Declares a method as a background task of its service, started after `onStart` and
 * ended by the stop. It may return an Observable (unsubscribed on stop), a Promise (stop
 * waits for it up to `stopTimeout`), or nothing. A method that declares a parameter gets
 * the service's AbortSignal in it (`this.signal` is the same one). Its error crashes the
 * service; the AbortError of a stop is the normal way out.
 *
 * @example
 * ```ts
 * class Poller extends Service {
 *   @task poll() { return interval(1000).pipe(tap(() => this.log.info('tick'))); }
 *   @task async drain(signal: AbortSignal) { while (!signal.aborted) await this.sleep('1s'); }
 * }
 * ```
 */
export function task<This extends Service>(
  _method: (this: This, signal: AbortSignal) => unknown,
  context: ClassMethodDecoratorContext<This>,
): void {
  const name = String(context.name);
  // Where the method was declared: the code that started a service is the same for every
  // task of a tree (a Worker's execute()), so tracebacks() shows this first.
  const declared = stackHere();
  declareWork(context, (service) =>
    startWork(
      service,
      `${service.label}.${name}`,
      () => {
        const method = (service as unknown as Record<string, (signal: AbortSignal) => unknown>)[name]!;
        // Made only for a method that takes it: an AbortController made and aborted for
        // every run was 13% of a crash loop's time (W4), for tasks that never look at it.
        return method.length > 0 ? method.call(service, service.signal) : (method as () => unknown).call(service);
      },
      new TaskOrigin(declared, startedFrom(service)),
    ),
  );
}

/**
 * A task's origin: the line that declared it, then the stack that started its service,
 * written out only when asked for, like any origin. A class, not an object literal with a
 * getter: each such literal made a closure and an accessor pair, 5 % of a crash loop's
 * time on Node 24 (W4, which starts a task each cycle).
 */
class TaskOrigin implements Error {
  readonly name = 'Error';
  readonly message = '';

  constructor(
    private readonly declared: Error,
    private readonly started: Error,
  ) {}

  get stack(): string {
    const lines = (this.started.stack ?? '').split('\n');
    const site = (this.declared.stack ?? '').split('\n').slice(1).find((line) => !DECORATING.test(line));
    const where = site ? /\(([^()]+)\)\s*$/.exec(site)?.[1] ?? site.replace(/^\s*at\s+/, '') : undefined;
    if (where) lines.splice(1, 0, `    declared at ${where}`);
    return lines.join('\n');
  }
}

// Frames of taking the stack and of applying decorators (this file, and the helpers
// esbuild and tsc emit for TC39 decorators): the declaration is the first frame after them.
const DECORATING = /[\\/]service[\\/](?:task|work)\.[jt]s|\bat (?:stackHere|task|__decorateElement|__runInitializers|__esDecorate|__decorate) /;

/** Where a start began: by run for a first start, by core for the restarts. */
const startStacks = new WeakMap<object, Error>();

/**
 * Where the service's start began: taken once per first start and shared by all the
 * tasks it starts (the frames above the loop that starts them are the same); for a
 * restart, the stack of its first restart, taken once and kept for the later ones. A
 * crash loop restarts a service thousands of times, and a 40-frame stack at each was 36%
 * of a `restart()` loop with one task (and more than the rest of that restart). W6: a
 * stack per task was two thirds of starting 2,000 tasks, and their frames, live until
 * the stop, made the scavenges that land in the stop several times longer.
 */
function startedFrom(service: Service): Error {
  const core = service[CORE];
  const key = core.restartCount === 0 ? core.run : core;
  let stack = startStacks.get(key);
  if (!stack) startStacks.set(key, (stack = stackHere()));
  return stack;
}
