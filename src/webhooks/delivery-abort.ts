/**
 * The abort of one delivery (caller abort, source close, or the total deadline). undici accepts
 * any object with `aborted`, `reason`, `once` and `removeListener` as a request's `signal`, so this
 * small class is handed to undici directly. A real AbortSignal is built only when something asks
 * for one (a retry's backoff sleep): in Node 20 creating an AbortController cost ~4 µs of CPU per
 * delivery, and the 'abort' listener undici adds to an AbortSignal another 5–10 µs (add plus
 * remove), against next to nothing here (bench:webhooks, loopback).
 */

/** What the transports read: whether the delivery was aborted, and why. */
export interface AbortState {
  readonly aborted: boolean;
  readonly reason: unknown;
}

type AbortListener = () => void;

export class DeliveryAbort implements AbortState {
  aborted = false;
  reason: unknown = undefined;
  /** Listeners in registration order; a delivery has at most one request (so one listener) in flight. */
  private listeners: AbortListener[] | undefined;
  private controller: AbortController | undefined;

  /** An AbortSignal view of this abort (created on first use, already aborted if this is). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** EventEmitter-style registration, as undici uses it (`once('abort', fn)`). */
  once(event: string, listener: AbortListener): this {
    if (event === 'abort' && !this.aborted) (this.listeners ??= []).push(listener);
    return this;
  }

  /** undici checks that `on` exists before it uses `once`. */
  on(event: string, listener: AbortListener): this {
    return this.once(event, listener);
  }

  removeListener(event: string, listener: AbortListener): this {
    const listeners = this.listeners;
    if (event !== 'abort' || listeners === undefined) return this;
    const i = listeners.lastIndexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
    return this;
  }

  /**
   * Marks this aborted first (so whoever a listener wakes up sees it aborted), then aborts the
   * signal view if one exists, then calls the listeners once. Later calls do nothing.
   */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
