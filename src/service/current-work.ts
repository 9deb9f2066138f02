/**
 * Tells an observer which service task is running its synchronous part right now. The
 * Node blocking detector installs a listener so that, while the event loop is stuck, it
 * can name the culprit; in browsers nobody listens and the cost is one comparison.
 */
export type WorkListener = (label: string | undefined) => void;

let listener: WorkListener | undefined;

/** Installs (or, with `undefined`, removes) the listener; returns the one it replaced. */
export function setWorkListener(next: WorkListener | undefined): WorkListener | undefined {
  const previous = listener;
  listener = next;
  return previous;
}

/**
 * Runs `body` with `label` announced as the current work.
 *
 * @example
 * const result = asCurrentWork('Cache.refresh', () => cache.refresh());
 */
export function asCurrentWork<T>(label: string, body: () => T): T {
  if (!listener) return body();
  const observer = listener;
  observer(label);
  try {
    return body();
  } finally {
    observer(undefined);
  }
}
