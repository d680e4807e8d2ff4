/**
 * The run-time state of one call session and the services verbs use. Verb executors get a
 * `VerbScope` (this session + the document the verb came from) and nothing else: legs are reached
 * only through `CallChannel`s, documents only through the `ScriptSource`.
 */
import { LinkedAbort, type AbortSignalLike } from '../calls/abort.js';
import type { CallChannel, DialOutcome } from '../calls/channel.js';
import type { CallControl } from '../calls/call-control.js';
import type { Clock } from '../calls/clock.js';
import type { DocumentContext, Program, ProgramNode } from '../language/index.js';
import type { Notification, NotificationName, ScriptReply, ScriptSource } from '../webhooks/script-source.js';
import type { EndCause, SessionEvent } from './events.js';
import type { Flow } from './flow.js';
import { SessionEnd } from './flow.js';
import type { Outbox } from './outbox.js';
import type { FileStorage } from './storage.js';
import type { Variables } from './variables.js';

/** Limits per call (docs/engine.md). */
export interface SessionLimits {
  documents: number;
  verbs: number;
  callSeconds: number;
}

export const DEFAULT_LIMITS: SessionLimits = { documents: 100, verbs: 10_000, callSeconds: 4 * 3600 };

/** Distributes an event without the fields every event carries. */
export type EventBody = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'time' | 'sessionId'> : never) : never;

export interface SessionServices {
  calls: CallControl;
  clock: Clock;
  source: ScriptSource;
  outbox: Outbox;
  /** Where MoveFile/DeleteFile act; without it those verbs fail with an error event. */
  storage?: FileStorage;
  /** Registered inbound services (TransferToService). */
  services: readonly string[];
  /** Extra tone names. */
  tones: readonly string[];
  limits: SessionLimits;
  /** The app's ErrorUrl: limit and call failures the engine detects itself are reported there. */
  errorUrl?: string;
  /**
   * Keep virtual time still while a notification is in flight (real I/O). False when the source
   * itself waits on the session clock (a LocalScriptSource whose `sleep` is `clock.sleep`).
   */
  holdClockDuringFetch: boolean;
  /**
   * Starts a new outbound session (Call): dials and, once answered, runs the script from `url`.
   * Resolves with the dial outcome (`cancelled` when the engine closed first).
   */
  startOutbound(request: OutboundRequest): Promise<DialOutcome>;
  /** Runs work that outlives the verb (and maybe the session); `Engine.close` aborts and awaits it. */
  background(task: (signal: AbortSignal) => Promise<void>): void;
  emit(event: SessionEvent): void;
}

export interface OutboundRequest {
  /** The session placing the call (per-session limits). */
  sessionId: string;
  to: string;
  from: string;
  displayName?: string;
  url: string;
  baseUrl?: string;
  errorUrl?: string;
  ringSeconds: number;
  apiExtension: string;
  params: Record<string, string>;
}

/** Who the session is. */
export interface SessionIdentity {
  id: string;
  callId: string;
  caller: string;
  callee: string;
  apiExtension: string;
  direction: 'inbound' | 'outbound';
  /** The context of the first document (routing sessions describe a call still being set up). */
  context: DocumentContext;
}

export class Session {
  documents = 0;
  verbs = 0;
  /** The caller's leg in api-extension sessions; absent for third-party/routing documents. */
  channel: CallChannel | undefined;
  /** Set by a successful transfer: the interpreter left the call. */
  leftCall = false;
  /** Route decision of a routing session. */
  route: { destination: string; ringSeconds: number; callerId?: string; dialedNumber?: string } | undefined;
  /** Message of the SessionEnd that ended the script, if one did (for the Error notification). */
  lastError: string | undefined;
  /** URL of the document running now (undefined for a program handed in directly). */
  documentUrl: string | undefined;
  /**
   * Short work the session started and must see finished before it reports its end; created with
   * the first such work (most calls have none, and every live call would hold an empty set).
   */
  #pending: Set<Promise<unknown>> | undefined;
  /** A real AbortSignal for the script source (fetch takes nothing else), made by the first fetch. */
  #sourceAbort: LinkedAbort | undefined;

  constructor(
    readonly identity: SessionIdentity,
    readonly services: SessionServices,
    readonly variables: Variables,
    readonly signal: AbortSignalLike,
    channel: CallChannel | undefined,
  ) {
    this.channel = channel;
  }

  emit(body: EventBody): void {
    this.services.emit({ time: this.services.clock.now(), sessionId: this.identity.id, ...body } as SessionEvent);
  }

  countVerb(): void {
    if (++this.verbs > this.services.limits.verbs) {
      throw new SessionEnd('limit-exceeded', `more than ${this.services.limits.verbs} verbs executed`, 'limit-exceeded');
    }
  }

  /** Keeps `work` (an outbox hand-over, a notification delivery) from outliving the session's end report. */
  track(work: Promise<unknown>): void {
    const settled = work.then(() => {}, () => {});
    const pending = (this.#pending ??= new Set());
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  }

  /** Resolves once everything `track`ed has settled (including work started meanwhile). */
  async settled(): Promise<void> {
    while (this.#pending && this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /**
   * The leg notifications describe: the session's own leg, else (third-party) the call it acts on.
   * Released legs are no longer reachable by id, so a vanished call reads `Completed` (a call being
   * routed that this call control does not hold reads `Ringing`).
   */
  #leg(): CallChannel | undefined {
    return this.channel ?? this.services.calls.channel(this.identity.callId);
  }

  /** The common parameters of every notification (docs/webhooks.md). */
  baseParams(name: NotificationName): Record<string, string> {
    const snapshot = this.#leg()?.snapshot();
    return {
      NotificationName: name,
      CallId: this.identity.callId,
      Caller: this.identity.caller,
      Callee: this.identity.callee,
      ApiExtension: this.identity.apiExtension,
      CallState: snapshot?.names.ozeki ?? (this.identity.context === 'routing' ? 'Ringing' : 'Completed'),
      Direction: this.identity.direction === 'inbound' ? 'Incoming' : 'Outgoing',
      Timestamp: new Date(this.services.clock.now()).toISOString(),
    };
  }

  #hold(): () => void {
    return this.services.holdClockDuringFetch ? this.services.clock.hold() : () => {};
  }

  /**
   * Sends a notification whose reply may run. Counts the document limit, keeps virtual time still
   * while the request is in flight (unless the source runs on the clock), and reports it. A
   * `failed` reply ends the session with `application-error` (the source has already sent the
   * Error notification and tried FallbackUrl).
   */
  async fetch(
    name: NotificationName,
    url: string,
    options: { baseUrl: string | undefined; context: DocumentContext; params?: Record<string, string>; errorUrl?: string },
  ): Promise<Extract<ScriptReply, { kind: 'document' | 'empty' }>> {
    if (++this.documents > this.services.limits.documents) {
      throw new SessionEnd('limit-exceeded', `more than ${this.services.limits.documents} documents fetched`, 'limit-exceeded');
    }
    const params = { ...this.baseParams(name), ...options.params };
    this.emit({ type: 'notification.requested', name, url: absolute(url, options.baseUrl), params });
    const notification: Notification = {
      name, url, params, context: options.context,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.errorUrl ? { errorUrl: options.errorUrl } : {}),
    };
    const release = this.#hold();
    let reply: ScriptReply;
    try {
      reply = await this.services.source.fetch(notification, { signal: (this.#sourceAbort ??= new LinkedAbort(this.signal)).signal });
    } finally {
      release();
    }
    if (reply.kind === 'failed') {
      this.emit({ type: 'notification.replied', name, url: reply.url, reply: 'failed', code: reply.code, detail: reply.detail });
      throw new SessionEnd('application-error', `${name} to ${reply.url} failed: ${reply.detail}`, String(reply.code));
    }
    this.emit({ type: 'notification.replied', name, url: reply.url, reply: reply.kind });
    if (reply.kind === 'document') this.variables.setAll(params);
    return reply;
  }

  /**
   * Fire-and-forget notification (reply ignored); never blocks or fails the call. Not tied to the
   * session's signal: a RecordCompleted after the caller hung up must still go out.
   */
  send(name: NotificationName, url: string, options: { baseUrl: string | undefined; params?: Record<string, string> }): void {
    const params = { ...this.baseParams(name), ...options.params };
    this.emit({ type: 'notification.requested', name, url: absolute(url, options.baseUrl), params });
    const release = this.#hold();
    const delivery = this.services.source
      .send({ name, url, params, context: 'api-extension', ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) })
      .catch(() => {})
      .finally(release);
    this.track(delivery);
  }

  /** An Error notification to the app's ErrorUrl (or the verb's own), for failures the engine detects itself. */
  sendError(code: string, detail: string, errorUrl = this.services.errorUrl, baseUrl = this.documentUrl): void {
    if (!errorUrl) return;
    this.send('Error', errorUrl, { baseUrl, params: { ErrorCode: code, ErrorUrl: this.documentUrl ?? '', Detail: detail } });
  }
}

/** `url` against `base` for reports (the source resolves it the same way); as written when it cannot be. */
function absolute(url: string, base: string | undefined): string {
  if (!base) return url;
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

/** A verb's view: the session plus the document it came from. */
export interface VerbScope {
  session: Session;
  context: DocumentContext;
  documentUrl: string | undefined;
  /** Runs nested commands (Input, ForEach, Consult, …) in the same document. */
  runBlock(nodes: readonly ProgramNode[], scope?: Partial<Pick<VerbScope, 'channel' | 'signal' | 'menuDepth'>>): Promise<Flow>;
  /** The leg commands act on (the caller's, or a consult leg inside <Consult>). */
  channel: CallChannel | undefined;
  /** The session's signal, or a narrower one (a UserInput's prompts, a Consult leg's block). */
  signal: AbortSignalLike;
  /** How many UserInputs enclose this block (BackKey needs one to return to). */
  menuDepth: number;
}

export type { Program, EndCause };
