/**
 * The typed event stream of a call session. One stream feeds the dry-run output, the server and
 * the tests; leg events from the switch are merged into it unchanged.
 */
import type { DocumentContext } from '../language/index.js';

/** How a session ended. */
export const END_CAUSES = [
  'normal', 'rejected', 'caller-hangup', 'transferred', 'application-error', 'limit-exceeded', 'cancelled',
] as const;
export type EndCause = (typeof END_CAUSES)[number];

export type ResolvedValue = string | number | boolean;

interface Base {
  /** Milliseconds on the session's clock. */
  time: number;
  sessionId: string;
}

export type SessionEvent = Base & (
  | { type: 'session.started'; callId: string; caller: string; callee: string; direction: 'inbound' | 'outbound'; context: DocumentContext }
  | { type: 'session.ended'; cause: EndCause; verbs: number; documents: number }
  | { type: 'document.loaded'; url: string | null; context: DocumentContext; verbs: number }
  | { type: 'verb.started'; verb: string; attributes: Record<string, ResolvedValue>; line: number; column: number; url: string | null }
  | { type: 'verb.finished'; verb: string; result: string }
  | { type: 'digits.received'; digits: string; endedBy: string }
  | { type: 'notification.requested'; name: string; url: string; params: Record<string, string> }
  | { type: 'notification.replied'; name: string; url: string; reply: 'document' | 'empty' | 'failed'; code?: number; detail?: string }
  | { type: 'variable.warning'; name: string; verb: string }
  | { type: 'message.sent'; kind: 'sms' | 'email' | 'msg'; id: string; to: string }
  | { type: 'file.changed'; action: 'moved' | 'deleted'; path: string }
  | { type: 'alarm.sent'; to: string; dtmf: string; result: string }
  | { type: 'alarm.received'; account: string; eventCode: string; zone: string }
  | { type: 'error'; code: string; message: string; verb?: string }
);

export type SessionEventType = SessionEvent['type'];
export type SessionEventListener = (event: SessionEvent) => void;

/** A tiny synchronous fan-out; listeners must not throw (a throwing listener is isolated). */
export class EventHub<E> {
  readonly #listeners = new Set<(event: E) => void>();

  subscribe(listener: (event: E) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: E): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken observer must not break the call.
      }
    }
  }
}
