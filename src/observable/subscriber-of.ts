import { Observable, type Observer, type Subscriber } from 'rxjs';

/**
 * The Subscriber that `subscribe(observer)` would make for `observer`, made before
 * anything is subscribed to: handed to a source's `subscribe`, it is what the source
 * sees, so unsubscribing it from the observer's own `next` closes it for the source too
 * (a synchronous source that checks `closed` stops at once), as rxjs's operators and
 * `firstValueFrom` close theirs. rxjs's `Subscriber` constructor would do, but it is
 * deprecated.
 *
 * @example
 * const first = subscriberOf<number>({ next: (n) => { console.log(n); first.unsubscribe(); } });
 * range(1, Infinity).subscribe(first); // logs 1, and the range stops
 */
export function subscriberOf<T>(observer: Partial<Observer<T>>): Subscriber<T> {
  let made: Subscriber<T> | undefined;
  new Observable<T>((subscriber) => {
    made = subscriber;
  }).subscribe(observer);
  return made!;
}
