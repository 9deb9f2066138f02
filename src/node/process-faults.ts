/** How an error reached the process without being caught. */
export type ProcessFault = 'uncaughtException' | 'unhandledRejection';

/**
 * Hears the errors nothing caught: an exception thrown out of a callback and a rejection
 * no one handled. While it listens Node no longer ends the process on them, so
 * `onFault` must see to it (the Worker crashes its tree, stops it in order and exits 1).
 * Returns the function that stops listening, after which Node's own behaviour is back.
 *
 * @example
 * const stopListening = catchProcessFaults((reason, kind) => void root.crash(reason));
 * // ... when the program has stopped:
 * stopListening();
 */
export function catchProcessFaults(onFault: (reason: unknown, kind: ProcessFault) => void): () => void {
  const onException = (error: unknown): void => onFault(error, 'uncaughtException');
  const onRejection = (reason: unknown): void => onFault(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
