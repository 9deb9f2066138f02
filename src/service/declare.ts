import type { Subscription } from 'rxjs';
import type { Service } from './service.js';

/**
 * Starts one piece of declared background work for one service instance, reporting its
 * failure to the service ({@link reportWorkError}), and returns what the run must end on
 * stop: a subscription, or nothing (a Promise task, which the run tracks by its Promise).
 */
export type WorkStarter = (service: Service) => Subscription | undefined;

/** One declared piece of work: a `@task`, `@timer` or `@crontab` method. */
export interface DeclaredWork {
  readonly name: string;
  readonly start: WorkStarter;
}

/** The work of instances still being built (their initializers run one by one). */
const building = new WeakMap<object, Map<string, DeclaredWork>>();
/** The work of each class, once one of its instances was complete: shared by all the others. */
const byClass = new WeakMap<object, readonly DeclaredWork[]>();

/**
 * Registers background work for a decorated method. The service calls `start` after
 * `onStart`, in declaration order (base class first, because base-class initializers
 * run first), and ends what it returns when it stops; `start` reports the work's failure
 * (which crashes the service). A subclass that declares work under the same method name
 * replaces the base's (the Map keeps the first position, the last starter).
 *
 * @example
 * export function every(ms: number) {
 *   return (method: Function, context: ClassMethodDecoratorContext) =>
 *     declareWork(context, (service) => subscribeWork(service, interval(ms).pipe(tap(() => method.call(service)))));
 * }
 */
export function declareWork<This>(context: ClassMethodDecoratorContext<This>, start: WorkStarter): void {
  const name = String(context.name);
  context.addInitializer(function (this: unknown) {
    const instance = this as object;
    // The set of decorated methods is fixed per class: after the first instance, nothing to record.
    if (byClass.has(instance.constructor)) return;
    let works = building.get(instance);
    if (!works) building.set(instance, (works = new Map()));
    works.set(name, { name, start });
  });
}

/** The work declared on `service`, in start order. */
export function declaredWork(service: object): readonly DeclaredWork[] {
  const shared = byClass.get(service.constructor);
  if (shared) return shared;
  const works = building.get(service);
  // Called at start, when construction is over: the list is complete and holds for the class.
  const list = works ? [...works.values()] : [];
  building.delete(service);
  byClass.set(service.constructor, list);
  return list;
}
