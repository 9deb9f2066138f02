/**
 * Storage for "usually none, often one, sometimes many": nothing, the one item itself,
 * or an array once there are two. A service holds a few subscriptions, timers and
 * children; an array made up front costs ~100 bytes with room for 17 (pino measured,
 * W5 here: 4.1 KB to 3.6 KB a service when the run and the timers moved to this shape).
 *
 * @example
 * let held: Few<Subscription>;
 * held = addToFew(held, a);   // a
 * held = addToFew(held, b);   // [a, b]
 * forEachOfFew(held, (s) => s.unsubscribe());
 */
export type Few<T extends object> = T | T[] | undefined;

export function addToFew<T extends object>(few: Few<T>, item: T): Few<T> {
  if (few === undefined) return item;
  if (Array.isArray(few)) {
    few.push(item);
    return few;
  }
  return [few, item];
}

export function forEachOfFew<T extends object>(few: Few<T>, visit: (item: T) => void): void {
  if (few === undefined) return;
  if (Array.isArray(few)) for (const item of few) visit(item);
  else visit(few);
}

export function everyOfFew<T extends object>(few: Few<T>, test: (item: T) => boolean): boolean {
  if (few === undefined) return true;
  return Array.isArray(few) ? few.every(test) : test(few);
}
