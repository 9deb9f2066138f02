import { type SchedulerLike, Subscription } from 'rxjs';

/**
 * The longest delay `setTimeout`/`setInterval` honour (2^31-1 ms, about 24.8 days): a
 * longer one is clamped to 1 ms by browsers and Node, so the job would fire at once.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Calls `onDue(now)` once `scheduler.now()` has reached `at`. Waits longer than
 * {@link MAX_TIMEOUT_MS} are slept in pieces, and a scheduler that wakes before `at`
 * is waited out, so `onDue` never runs early (`onEarly` hears by how much the final
 * piece woke too soon). Every piece is a fresh `scheduler.schedule` call, so a
 * wrapping scheduler (a test double) sees each wait. Unsubscribe to cancel.
 *
 * @example
 * // a yearly job: 365 days is far beyond setTimeout's limit
 * const year = 365 * 86_400_000;
 * const wait = wakeAt(asyncScheduler, asyncScheduler.now() + year, () => console.log('new year'));
 * wait.unsubscribe(); // changed our mind
 */
export function wakeAt(
  scheduler: SchedulerLike,
  at: number,
  onDue: (now: number) => void,
  onEarly?: (earlyByMs: number) => void,
): Subscription {
  // The piece waiting now, if any; unsubscribing the result cancels it. (A teardown
  // function, not outer.add(piece): Subscription's finalizer array costs ~150 bytes.)
  let current: Subscription | undefined;
  const outer = new Subscription(() => current?.unsubscribe());
  const arm = (): void => {
    const now = scheduler.now();
    const delay = Math.min(Math.max(at - now, 0), MAX_TIMEOUT_MS);
    const finalPiece = now + delay >= at;
    let ran = false;
    const piece = scheduler.schedule(() => {
      ran = true;
      current = undefined;
      if (outer.closed) return;
      const woke = scheduler.now();
      if (woke < at) {
        if (finalPiece) onEarly?.(at - woke);
        arm();
        return;
      }
      onDue(woke);
    }, delay);
    // A synchronous scheduler may already have run the piece; keep only a pending one.
    if (!ran) current = piece;
  };
  arm();
  return outer;
}
