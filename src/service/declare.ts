import type { Observable } from 'rxjs';
import type { Service } from './service.js';

/** Starts one piece of declared background work for one service instance. */
export type WorkFactory = (service: Service) => Observable<unknown>;

/** One declared piece of work: a `@task`, `@timer` or `@crontab` method. */
export interface DeclaredWork {
  readonly name: string;
  readonly factory: WorkFactory;
}

/** The work of instances still being built (their initializers run one by one). */
const building = new WeakMap<object, Map<string, DeclaredWork>>();
/** The work of each class, once one of its instances was complete: shared by all the others. */
const byClass = new WeakMap<object, readonly DeclaredWork[]>();

/**
 * Registers background work for a decorated method. The service subscribes to what
 * `factory` returns after `onStart`, in declaration order (base class first, because
 * base-class initializers run first), unsubscribes it when it stops, and crashes on
 * its error. A subclass that declares work under the same method name replaces the
 * base's (the Map keeps the first position, the last factory).
 *
 * @example
 * export function task(method: Function, context: ClassMethodDecoratorContext) {
 *   declareWork(context, (service) => invokeWork(service, `${service.label}.${String(context.name)}`, 'task', () => method.call(service)));
 * }
 */
export function declareWork<This>(context: ClassMethodDecoratorContext<This>, factory: WorkFactory): void {
  const name = String(context.name);
  context.addInitializer(function (this: unknown) {
    const instance = this as object;
    // The set of decorated methods is fixed per class: after the first instance, nothing to record.
    if (byClass.has(instance.constructor)) return;
    let works = building.get(instance);
    if (!works) building.set(instance, (works = new Map()));
    works.set(name, { name, factory });
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
