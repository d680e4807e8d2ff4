/**
 * Listener isolation (docs/calls.md, "Listeners"): an exception thrown by one listener of an
 * event fan-out never stops the other listeners or the call. It goes to a handler, by default a
 * process warning, so a faulty listener is seen without stopping anything.
 */

/** Receives what a listener threw and the event it was given. */
export type ListenerErrorHandler<E> = (error: unknown, event: E) => void;

/** The default handler: `process.emitWarning` with the name `CallEventListenerError`. */
export function warnListenerError(source: string): ListenerErrorHandler<{ readonly type: string; readonly legId: string }> {
  return (error, event) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.emitWarning(`a ${source} listener threw on ${event.type} of ${event.legId}: ${detail}`, 'CallEventListenerError');
  };
}

/** Calls `listener(event)`; what it throws goes to `onError` (and what `onError` throws, to the process, later). */
export function deliver<E>(listener: (event: E) => void, event: E, onError: ListenerErrorHandler<E>): void {
  try {
    listener(event);
  } catch (error) {
    try {
      onError(error, event);
    } catch (handlerError) {
      // A handler that throws cannot be told about it; the process is, without stopping the call.
      queueMicrotask(() => {
        throw new AggregateError([error, handlerError], 'a listener error handler threw');
      });
    }
  }
}
