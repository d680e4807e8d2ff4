/**
 * The abort of one delivery (caller abort, source close, or the total deadline). The live
 * transport's response handler listens to it directly; a real AbortSignal is built only when
 * something asks for one (a retry's backoff sleep): in Node 20 creating an AbortController showed
 * up as ~4 µs of CPU per delivery in the bench:webhooks profile, against next to nothing here.
 */

/** What the transports read: whether the delivery was aborted, and why. */
export interface AbortState {
  readonly aborted: boolean;
  readonly reason: unknown;
}

type AbortListener = () => void;

export class DeliveryAbort implements AbortState {
  private abortedFlag = false;
  private abortReason: unknown = undefined;
  /** Listeners in registration order; a delivery has at most one request (so one listener) in flight. */
  private listeners: AbortListener[] | undefined;
  private controller: AbortController | undefined;

  get aborted(): boolean {
    return this.abortedFlag;
  }

  get reason(): unknown {
    return this.abortReason;
  }

  /** An AbortSignal view of this abort (created on first use, already aborted if this is). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** `listener` is called once, when the delivery aborts (never if it already has). */
  addAbortListener(listener: AbortListener): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeAbortListener(listener: AbortListener): void {
    const listeners = this.listeners;
    if (listeners === undefined) return;
    const i = listeners.lastIndexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  }

  /**
   * Marks this aborted first (so whoever a listener wakes up sees it aborted), then aborts the
   * signal view if one exists, then calls the listeners once. Later calls do nothing.
   */
  abort(reason: unknown): void {
    if (this.abortedFlag) return;
    this.abortedFlag = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
