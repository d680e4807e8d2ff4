/**
 * The executor: starts call sessions on a `CallControl`, one XState actor each, and publishes one
 * event stream (session events and the call layer's leg events, in order).
 */
import { createActor } from 'xstate';
import { isAbortError } from '../calls/abort.js';
import type { CallChannel } from '../calls/channel.js';
import type { CallControl } from '../calls/call-control.js';
import type { CallEvent } from '../calls/events.js';
import type { DocumentContext, Program } from '../language/index.js';
import type { NotificationName, ScriptSource } from '../webhooks/script-source.js';
import type { EndCause, SessionEvent } from './events.js';
import { EventHub } from './events.js';
import { SessionEnd } from './flow.js';
import { sessionMachine, xstateClock } from './machine.js';
import type { Outbox } from './outbox.js';
import { RecordingOutbox } from './outbox.js';
import { runProgram } from './run.js';
import { DEFAULT_LIMITS, Session } from './runtime.js';
import type { OutboundRequest, SessionIdentity, SessionLimits, SessionServices } from './runtime.js';
import { Variables } from './variables.js';

export type EngineEvent = SessionEvent | CallEvent;

export interface EngineOptions {
  calls: CallControl;
  source: ScriptSource;
  outbox?: Outbox;
  storageRoot?: string;
  /** Registered inbound service names (TransferToService). */
  services?: readonly string[];
  tones?: readonly string[];
  limits?: Partial<SessionLimits>;
  /** The API extension number the interpreter answers as (default 9000). */
  apiExtension?: string;
}

/** How a session gets its first document. */
export type SessionStart =
  | { program: Program; url?: string; params?: Record<string, string> }
  | { url: string; notification: NotificationName; context?: DocumentContext; params?: Record<string, string> };

export interface StartOptions {
  /** The caller's leg (api-extension). Absent for third-party and routing documents. */
  channel?: CallChannel;
  start: SessionStart;
  /** Identity overrides (third-party sessions name the call they act on). */
  callId?: string;
  caller?: string;
  callee?: string;
  direction?: 'inbound' | 'outbound';
}

export interface SessionResult {
  sessionId: string;
  cause: EndCause;
  verbs: number;
  documents: number;
  /** RoutingInterception answers: the Route decision. */
  route?: Session['route'];
}

export interface SessionHandle {
  id: string;
  done: Promise<SessionResult>;
  /** Ends the session (cause `cancelled`) and releases its leg. */
  stop(): void;
}

export class Engine {
  readonly events = new EventHub<EngineEvent>();
  readonly outbox: Outbox;
  readonly #options: EngineOptions;
  readonly #limits: SessionLimits;
  readonly #live = new Set<SessionHandle>();
  readonly #unsubscribe: () => void;
  #nextId = 0;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.outbox = options.outbox ?? new RecordingOutbox();
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#unsubscribe = options.calls.subscribe((event) => this.events.emit(event));
  }

  get liveSessions(): number {
    return this.#live.size;
  }

  #services(): SessionServices {
    return {
      calls: this.#options.calls,
      clock: this.#options.calls.clock,
      source: this.#options.source,
      outbox: this.outbox,
      ...(this.#options.storageRoot ? { storageRoot: this.#options.storageRoot } : {}),
      services: this.#options.services ?? [],
      tones: this.#options.tones ?? [],
      limits: this.#limits,
      startOutbound: (request) => this.#startOutbound(request),
      emit: (event) => this.events.emit(event),
    };
  }

  start(options: StartOptions): SessionHandle {
    const id = `s${++this.#nextId}`;
    const channel = options.channel;
    const snapshot = channel?.snapshot();
    const direction = options.direction ?? snapshot?.direction ?? 'inbound';
    const identity: SessionIdentity = {
      id,
      callId: options.callId ?? channel?.id ?? id,
      caller: options.caller ?? snapshot?.caller ?? '',
      callee: options.callee ?? snapshot?.callee ?? '',
      apiExtension: this.#options.apiExtension ?? '9000',
      direction,
    };
    const services = this.#services();
    const context: DocumentContext = 'program' in options.start ? options.start.program.context : options.start.context ?? 'api-extension';
    let session: Session | undefined;

    const run = async (signal: AbortSignal): Promise<EndCause> => {
      session = new Session(identity, services, new Variables(), signal, channel);
      session.variables.setAll({
        CallId: identity.callId, Caller: identity.caller, Callee: identity.callee, ApiExtension: identity.apiExtension,
        ...options.start.params,
      });
      try {
        return await runScript(session, options.start, context);
      } catch (error) {
        if (error instanceof SessionEnd) {
          session.emit({ type: 'error', code: error.code ?? error.endCause, message: error.message });
          return error.endCause;
        }
        if (isAbortError(error) || signal.aborted) throw error;
        session.emit({ type: 'error', code: 'internal', message: error instanceof Error ? error.message : String(error) });
        return 'application-error';
      }
    };

    const actor = createActor(sessionMachine, {
      input: { run, callLimitMs: this.#limits.callSeconds * 1000 },
      clock: xstateClock(services.clock),
    });
    const stopListening = channel?.subscribe((event) => {
      if (event.type === 'leg.state' && event.state === 'Released' && event.cause === 'remote-hangup') actor.send({ type: 'HANGUP' });
    });

    let resolveDone!: (result: SessionResult) => void;
    const done = new Promise<SessionResult>((resolve) => { resolveDone = resolve; });
    const handle: SessionHandle = { id, done, stop: () => actor.send({ type: 'STOP' }) };
    this.#live.add(handle);

    actor.subscribe({
      complete: () => {
        const cause = actor.getSnapshot().output ?? 'normal';
        actor.stop();
        void this.#finish(identity, channel, session, cause).finally(() => {
          stopListening?.();
          this.#live.delete(handle);
          const result: SessionResult = {
            sessionId: id, cause, verbs: session?.verbs ?? 0, documents: session?.documents ?? 0,
            ...(session?.route ? { route: session.route } : {}),
          };
          resolveDone(result);
        });
      },
    });
    this.events.emit({
      time: services.clock.now(), sessionId: id, type: 'session.started', callId: identity.callId,
      caller: identity.caller, callee: identity.callee, direction, context,
    });
    actor.start();
    return handle;
  }

  /** Releases what the script left behind and reports the end. */
  async #finish(identity: SessionIdentity, channel: CallChannel | undefined, session: Session | undefined, cause: EndCause): Promise<void> {
    if (channel && !session?.leftCall && channel.can('hangup')) {
      await channel.hangup(cause === 'normal' ? 'normal' : cause).catch(() => {});
    } else if (channel && !session?.leftCall && channel.can('reject')) {
      await channel.reject('rejected').catch(() => {});
    }
    this.events.emit({
      time: this.#options.calls.clock.now(), sessionId: identity.id, type: 'session.ended', cause,
      verbs: session?.verbs ?? 0, documents: session?.documents ?? 0,
    });
  }

  /** Call verb: dial; once answered, run the document CallConnected fetches from `url`. */
  #startOutbound(request: OutboundRequest): void {
    const calls = this.#options.calls;
    const channel = calls.createChannel();
    void (async () => {
      const result = await channel.dial(request.to, {
        from: request.from, timeoutSeconds: request.ringSeconds, ...(request.displayName ? { displayName: request.displayName } : {}),
      });
      if (result !== 'answered') return;
      if (!request.url) {
        // Vendor rule: a Call with an empty Url is hung up once connected.
        await channel.hangup('application-error');
        return;
      }
      this.start({
        channel,
        direction: 'outbound',
        caller: request.from,
        callee: request.to,
        start: {
          url: request.baseUrl ? new URL(request.url, request.baseUrl).href : request.url,
          notification: 'CallConnected',
          params: request.params,
        },
      });
    })().catch(() => {});
  }

  /** Stops every live session and waits for them to end. */
  async close(): Promise<void> {
    const handles = [...this.#live];
    for (const handle of handles) handle.stop();
    await Promise.all(handles.map((h) => h.done));
    this.#unsubscribe();
  }
}

/** First document, answer (unless the script starts with Reject), then run. */
async function runScript(session: Session, start: SessionStart, context: DocumentContext): Promise<EndCause> {
  let program: Program;
  let url: string | undefined;
  if ('program' in start) {
    program = start.program;
    url = start.url;
  } else {
    const reply = await session.fetch(start.notification, start.url, { baseUrl: undefined, context, params: start.params ?? {} });
    if (reply.kind === 'empty') return session.channel?.can('reject') ? 'rejected' : 'normal';
    program = reply.program;
    url = reply.url;
  }
  const channel = session.channel;
  if (context === 'api-extension' && channel?.can('answer') && program.instructions[0]?.name !== 'Reject') {
    await channel.answer({ signal: session.signal });
  }
  return runProgram(session, program, url);
}
