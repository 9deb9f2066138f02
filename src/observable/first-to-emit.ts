import { Observable, type Subscription } from 'rxjs';

/**
 * rxjs's `race` for Observables: subscribes to each in turn, and the first to emit, error
 * or complete wins; the others are unsubscribed, and the winner is followed to its end.
 *
 * Why not `race`: it reaches rxjs's `innerFrom` and with it tslib's generator helpers,
 * 1.7 KB gzipped of every browser bundle that imports `Service` (see `toObservable`).
 *
 * @example
 * firstToEmit(stopped$, timer(1000)).subscribe(() => console.log('a stop or a second'));
 */
export function firstToEmit<T>(...sources: Observable<T>[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    // Each entrant's subscription, in order. One being subscribed to is not in it yet:
    // winning at once, it finds only the others here; and a follower that leaves meanwhile
    // stops the loop, the teardown below running once this function has returned (rxjs
    // adds it then), with that one in.
    const entrants: Subscription[] = [];
    let winner = -1;
    // The first notification from source `index` ends the race: the others go. (The
    // winner's later notifications find them gone: the guard only saves the loop.)
    const win = (index: number): void => {
      if (winner >= 0) return;
      winner = index;
      for (let other = 0; other < entrants.length; other++) if (other !== index) entrants[other]!.unsubscribe();
    };
    for (let index = 0; winner < 0 && !subscriber.closed && index < sources.length; index++) {
      entrants[index] = sources[index]!.subscribe({
        next: (value) => {
          win(index);
          subscriber.next(value);
        },
        error: (error: unknown) => {
          win(index);
          subscriber.error(error);
        },
        complete: () => {
          win(index);
          subscriber.complete();
        },
      });
    }
    return () => {
      for (const entrant of entrants) entrant.unsubscribe();
    };
  });
}
