import type { Observable } from 'rxjs';
import type { Service } from './service.js';

/**
 * Starts one piece of declared background work for one service instance; `stack` says
 * where the service was started, for `tracebacks()`.
 */
export type WorkFactory = (service: Service, stack?: string) => Observable<unknown>;

/** One declared piece of work: a `@task`, `@timer` or `@crontab` method. */
export interface DeclaredWork {
  readonly name: string;
  readonly factory: WorkFactory;
}

const declared = new WeakMap<object, Map<string, DeclaredWork>>();

/**
 * Registers background work for a decorated method. The service subscribes to what
 * `factory` returns after `onStart`, in declaration order (base class first, because
 * base-class initializers run first), ends it with `takeUntil(stopped$)`, and crashes
 * on its error. A subclass that declares work under the same method name replaces the
 * base's (the Map keeps the first position, the last factory).
 *
 * @example
 * export function task(method: Function, context: ClassMethodDecoratorContext) {
 *   declareWork(context, (service) => invokeMethod(service, context.name));
 * }
 */
export function declareWork<This>(context: ClassMethodDecoratorContext<This>, factory: WorkFactory): void {
  const name = String(context.name);
  context.addInitializer(function (this: unknown) {
    const instance = this as object;
    let works = declared.get(instance);
    if (!works) declared.set(instance, (works = new Map()));
    works.set(name, { name, factory });
  });
}

/** The work declared on `service`, in start order. */
export function declaredWork(service: object): readonly DeclaredWork[] {
  const works = declared.get(service);
  return works ? [...works.values()] : [];
}
