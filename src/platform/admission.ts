/** The platform's admission of the calls sessions place, by its limits (docs/platform.md "Limits"). */
import type { CallAdmission, CallRefusal } from '../engine/index.js';
import type { PlatformEvent } from './events.js';
import type { PlatformLimits } from './limits.js';

/** A sliding window of one second. */
const WINDOW_MS = 1000;

/**
 * The platform's admission of `Call`s (the engine asks before it dials): per session, per app at
 * once, per app per second. A refused call fails with `limit-exceeded` (the script's Call reports
 * it as an error, to its ErrorUrl) and the platform reports `call.refused`.
 */
export class CallLimits implements CallAdmission {
  readonly #placedBySession = new Map<string, number>();
  #live = 0;
  /** Times of the calls admitted in the last second, oldest first. */
  readonly #recent: number[] = [];

  constructor(
    readonly limits: PlatformLimits,
    private readonly context: { app: string; now: () => number; emit: (event: PlatformEvent) => void },
  ) {}

  admit(request: { sessionId: string; to: string }): { admitted: true; release: () => void } | CallRefusal {
    const now = this.context.now();
    while (this.#recent.length > 0 && this.#recent[0]! <= now - WINDOW_MS) this.#recent.shift();
    const placed = this.#placedBySession.get(request.sessionId) ?? 0;
    const refusal = placed >= this.limits.outboundCallsPerSession
      ? { limit: 'outboundCallsPerSession' as const, detail: `session ${request.sessionId} already placed ${placed} calls (limit ${this.limits.outboundCallsPerSession} per session)` }
      : this.#live >= this.limits.concurrentCallsPerApp
        ? { limit: 'concurrentCallsPerApp' as const, detail: `${this.#live} calls of the app are up (limit ${this.limits.concurrentCallsPerApp} at once)` }
        : this.#recent.length >= this.limits.callsPerSecondPerApp
          ? { limit: 'callsPerSecondPerApp' as const, detail: `${this.#recent.length} calls placed in the last second (limit ${this.limits.callsPerSecondPerApp} per second)` }
          : undefined;
    if (refusal) {
      this.context.emit({ type: 'call.refused', time: now, sessionId: request.sessionId, app: this.context.app, to: request.to, ...refusal });
      return { admitted: false, detail: refusal.detail };
    }
    this.#placedBySession.set(request.sessionId, placed + 1);
    this.#live++;
    this.#recent.push(now);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#live--;
      },
    };
  }
}
