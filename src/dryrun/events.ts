/**
 * The dry-run's event stream: every engine event (session and leg events, in order) with its clock
 * time turned into `t`, seconds since the call started, plus the dry-run's own events (run start and
 * end, webhook failures, routing decisions). One event is one NDJSON line; schemas/events.schema.json
 * documents every type. Nothing in an event depends on the machine or the wall clock in
 * virtual-time runs: ids are counters, times are virtual, recordings are named relative to their
 * directory.
 */
import type { TransferCause } from '../calls/transfer-causes.js';
import type { EndCause, EngineEvent } from '../engine/index.js';
import type { DocumentContext } from '../language/index.js';
import type { PlatformLimitName } from '../platform/index.js';
import type { CallDirection } from './scenario/types.js';

type WithoutTime<E> = E extends unknown ? Omit<E, 'time'> : never;

/** Events the dry-run itself reports. */
export type RunEventBody =
  | {
      type: 'run.started';
      scenario: string;
      script: string;
      direction: CallDirection;
      context: DocumentContext;
      from: string;
      to: string;
      /** The clock's start (ISO 8601): what `t = 0` is. */
      clock: string;
      /** The scenario call's leg, when there is one. */
      leg: string | null;
    }
  | { type: 'run.ended'; cause: EndCause | null; seconds: number; sessions: number; stopped: 'max-seconds' | null }
  | { type: 'webhook.failure'; notification: string; url: string; code: number; detail: string }
  | { type: 'webhook.error-notification'; url: string; code: number; failedUrl: string }
  | { type: 'webhook.fallback'; notification: string; url: string; failedUrl: string; code: number }
  | { type: 'webhook.retry'; notification: string; url: string; nextAttempt: number; delayMs: number; reason: string }
  | { type: 'webhook.redirect'; notification: string; from: string; to: string; status: number }
  | { type: 'route.decided'; sessionId: string; destination: string; ringSeconds: number; callerId: string | null; dialedNumber: string | null }
  /** `lastCallState`: what the next RoutingInterception reports (null when the call was connected or the caller left). */
  | { type: 'route.ended'; destination: string; cause: TransferCause; lastCallState: string | null }
  /** A platform limit refused a Call (docs/platform.md "Limits"). */
  | { type: 'call.refused'; sessionId: string | null; app: string; to: string; limit: PlatformLimitName; detail: string };

/** One line of the NDJSON output. */
export type DryRunEvent = { t: number } & (WithoutTime<EngineEvent> | RunEventBody);
export type DryRunEventType = DryRunEvent['type'];

/** Seconds since `startMs`, to the millisecond. */
export function secondsSince(startMs: number, time: number): number {
  return Math.round(time - startMs) / 1000;
}

/**
 * An engine event as a dry-run event: `time` becomes `t` (first key, then `type`), recording files
 * are named relative to the recordings directory.
 */
export function fromEngineEvent(event: EngineEvent, startMs: number, recordingsDir: string): DryRunEvent {
  const { time, type, ...rest } = event as EngineEvent & Record<string, unknown>;
  const out = { t: secondsSince(startMs, time), type, ...rest } as DryRunEvent;
  if (out.type === 'recording.ended') {
    const file = out.file;
    const inside = file.startsWith(recordingsDir) ? file.slice(recordingsDir.length).replace(/^[\\/]+/, '') : file;
    return { ...out, file: inside.split('\\').join('/') };
  }
  return out;
}

export function runEvent(body: RunEventBody, t: number): DryRunEvent {
  return { t, ...body } as DryRunEvent;
}

/** One NDJSON line (no trailing newline). Key order is the event's, which is fixed by construction. */
export function toJsonLine(event: DryRunEvent): string {
  return JSON.stringify(event);
}
