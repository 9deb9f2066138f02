import { CORE } from './core.js';
import { describeValue } from './describe-value.js';
import type { Service } from './service.js';

/**
 * The dependency operations of a service, kept apart from the class so that it stays a
 * thin shell. Each takes the parent first.
 */

/** Makes `child` a dependency of `parent` (moving it from any earlier parent). */
export function addDependency<S extends Service>(parent: Service, child: S): S {
  child[CORE].reattach(parent[CORE]);
  return child;
}

/** Adds a dependency and, if `parent` is running, starts it now. */
export async function addRuntimeDependency<S extends Service>(parent: Service, child: S): Promise<S> {
  parent.addDependency(child);
  if (parent.state === 'running') await child.maybeStart();
  return child;
}

/** Stops a dependency of `parent` and detaches it; a TypeError naming it if it is not one. */
export async function removeDependency<S extends Service>(parent: Service, child: S): Promise<S> {
  if (!child || typeof child !== 'object' || (child as Service).beacon?.parent !== parent.beacon) {
    throw new TypeError(`${parent.label}.removeDependency: ${describeValue(child)} is not a dependency of ${parent.label}`);
  }
  await child.stop();
  child.beacon.detach();
  return child;
}

/** Starts each service in order (a failure crashes `joiner` and the rest go on), then stops them in reverse. */
export async function joinServices(joiner: Service, services: readonly Service[]): Promise<void> {
  for (const service of services) {
    try {
      await service.maybeStart();
    } catch (error) {
      await joiner.crash(error);
    }
  }
  for (const service of [...services].reverse()) await service.stop();
}
