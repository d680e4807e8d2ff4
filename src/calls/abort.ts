/** Small AbortSignal helpers shared by the channel operations and the simulated switch. */

/** True for the rejection an aborted operation produces (DOMException or Error named AbortError). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * An AbortController that also aborts (with the same reason) when `parent` aborts.
 * `dispose()` detaches it from `parent`, so long-lived parent signals do not collect listeners.
 */
export class LinkedAbort {
  readonly controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    this.controller.abort(this.#parent?.reason);
  };

  constructor(parent: AbortSignal | undefined) {
    this.#parent = parent;
    if (!parent) return;
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.#onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  dispose(): void {
    this.#parent?.removeEventListener('abort', this.#onAbort);
  }
}
