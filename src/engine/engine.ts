/**
 * The executor: starts call sessions on a `CallControl`, one XState actor each, and publishes one
 * event stream (session events and the call layer's leg events, in order).
 */
import { setMaxListeners } from 'node:events';
import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { isAbortError, type AbortSignalLike } from '../calls/abort.js';
import type { CallChannel, DialOutcome } from '../calls/channel.js';
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
import { diskStorage } from './storage.js';
import type { FileStorage } from './storage.js';
import type { OutboundRequest, SessionIdentity, SessionLimits, SessionServices } from './runtime.js';
import { Variables } from './variables.js';
import type { ArrayItem } from './variables.js';

export type EngineEvent = SessionEvent | CallEvent;

/** A call the admission refused: why, in words for the error event and the Error notification. */
export interface CallRefusal {
  admitted: false;
  detail: string;
}

/**
 * Admission of the calls a session places (`Call`): the engine asks before it dials and releases
 * the admission when the call is over. The platform implements it with its limits
 * (docs/platform.md "Limits"); without one every call is admitted.
 */
export interface CallAdmission {
  admit(request: { sessionId: string; to: string }): { admitted: true; release: () => void } | CallRefusal;
}

export interface EngineOptions {
  calls: CallControl;
  source: ScriptSource;
  outbox?: Outbox;
  /** MoveFile/DeleteFile act on the files under this directory... */
  storageRoot?: string;
  /** ...or here, when given (a dry run's copy-on-write view: src/engine/storage.ts). */
  storage?: FileStorage;
  /**
   * Names of the inbound services TransferToService may use (compile checks). Who answers them is
   * the platform's business (its service desk, or the switch itself): docs/platform.md.
   */
  services?: readonly string[];
  tones?: readonly string[];
  limits?: Partial<SessionLimits>;
  /** Limits on the calls sessions place; default: none. */
  admission?: CallAdmission;
  /** Mints session ids (the platform's id source); default `s1`, `s2`, … per engine. */
  newSessionId?: () => string;
  /** The API extension number the interpreter answers as (default 9000). */
  apiExtension?: string;
  /** The app's ErrorUrl: where the engine reports limits and failed calls it detects itself. */
  errorUrl?: string;
  /** Arrays the platform provides to every session (e.g. `voicemails`); a start's own `arrays` add to them. */
  arrays?: Readonly<Record<string, readonly ArrayItem[]>>;
  /**
   * True when the source waits on the calls clock (a LocalScriptSource whose `sleep` is
   * `clock.sleep`): virtual time then runs while a notification is in flight. Default false: time
   * stands still during fetches, which are real I/O.
   */
  sourceUsesClock?: boolean;
}

/** How a session gets its first document. */
export type SessionStart =
  | { program: Program; url?: string; params?: Record<string, string> }
  | { url: string; notification: NotificationName; context?: DocumentContext; params?: Record<string, string> };

export interface StartOptions {
  /** The caller's leg (api-extension). Absent for third-party and routing documents. */
  channel?: CallChannel;
  start: SessionStart;
  /** Arrays the platform provides to the script (e.g. `voicemails`, items with fields for `$item.field`). */
  arrays?: Readonly<Record<string, readonly ArrayItem[]>>;
  /** ErrorUrl for failures of the first document's notification (a Call's ErrorUrl). */
  errorUrl?: string;
  /** Identity overrides (third-party sessions name the call they act on; a Call names its ApiExtension). */
  callId?: string;
  apiExtension?: string;
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
  readonly #storage: FileStorage | undefined;
  readonly #live = new Set<SessionHandle>();
  readonly #background = new Set<Promise<void>>();
  /** Aborts work that outlives its verb (outbound dials, CallSetup, alarm calls) on `close()`. */
  readonly #closing = new AbortController();
  readonly #unsubscribe: () => void;
  #nextId = 0;
  #sessionServices: SessionServices | undefined;
  /**
   * The parent of every session actor, so that they share its XState system: a root actor builds
   * a system of its own (a registry, a scheduler, about twenty closures), which every live call
   * kept (bench:calls). It ignores what it is sent (the sessions' done events) and holds nothing,
   * so it is never stopped.
   */
  readonly #host: AnyActorRef;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.outbox = options.outbox ?? new RecordingOutbox();
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#storage = options.storage ?? (options.storageRoot ? diskStorage(options.storageRoot) : undefined);
    this.#unsubscribe = options.calls.subscribe((event) => this.events.emit(event));
    // Every background task (a dial, a recording) listens to this one signal: as many as there
    // are calls in flight, which the platform's limits bound, not Node's default of ten.
    setMaxListeners(0, this.#closing.signal);
    this.#host = createActor(fromCallback(() => undefined), { clock: xstateClock(options.calls.clock) }).start();
  }

  get liveSessions(): number {
    return this.#live.size;
  }

  /** What every session of this engine uses; the same for all, so built once (bench:calls). */
  #services(): SessionServices {
    return (this.#sessionServices ??= this.#buildServices());
  }

  #buildServices(): SessionServices {
    return {
      calls: this.#options.calls,
      clock: this.#options.calls.clock,
      source: this.#options.source,
      outbox: this.outbox,
      ...(this.#storage ? { storage: this.#storage } : {}),
      services: this.#options.services ?? [],
      tones: this.#options.tones ?? [],
      limits: this.#limits,
      ...(this.#options.errorUrl ? { errorUrl: this.#options.errorUrl } : {}),
      holdClockDuringFetch: !this.#options.sourceUsesClock,
      startOutbound: (request) => this.#startOutbound(request),
      background: (task) => this.#runInBackground(task),
      emit: (event) => this.events.emit(event),
    };
  }

  start(options: StartOptions): SessionHandle {
    const id = this.#options.newSessionId?.() ?? `s${++this.#nextId}`;
    const channel = options.channel;
    // A third-party session describes the call it was notified about. Read field by field: a whole
    // snapshot (capability and operation lists, copies of diversions and user data) per session
    // was garbage at once (bench:calls).
    const described = channel ?? (options.callId ? this.#options.calls.channel(options.callId) : undefined);
    const direction = options.direction ?? described?.direction ?? 'inbound';
    const context: DocumentContext = 'program' in options.start ? options.start.program.context : options.start.context ?? 'api-extension';
    const identity: SessionIdentity = {
      id,
      context,
      callId: options.callId ?? channel?.id ?? id,
      caller: options.caller ?? described?.caller ?? '',
      callee: options.callee ?? described?.callee ?? '',
      apiExtension: options.apiExtension ?? this.#options.apiExtension ?? '9000',
      direction,
    };
    const services = this.#services();
    let session: Session | undefined;
    let script: Promise<EndCause> | undefined;
    /** The cause the script itself returned (undefined when the machine ended it). */
    let scriptCause: EndCause | undefined;

    const run = (signal: AbortSignalLike): Promise<EndCause> => {
      const current = new Session(identity, services, new Variables(), signal, channel);
      session = current;
      current.variables.setAll({
        CallId: identity.callId, Caller: identity.caller, Callee: identity.callee, ApiExtension: identity.apiExtension,
        ...options.start.params,
      });
      for (const [name, items] of Object.entries({ ...this.#options.arrays, ...options.arrays })) current.variables.defineArray(name, items);
      script = runGuarded(current, options).then((cause) => (scriptCause = cause));
      return script;
    };

    const actor = createActor(sessionMachine, {
      input: { run, callLimitMs: this.#limits.callSeconds * 1000, clock: services.clock },
      // No `clock` option: a child schedules on its system's clock, the host's.
      parent: this.#host,
    });
    const stopListening = channel?.subscribe((event) => {
      if (event.type === 'leg.state' && event.state === 'Released' && event.cause === 'remote-hangup') actor.send({ type: 'HANGUP' });
    });

    let resolveDone!: (result: SessionResult) => void;
    const done = new Promise<SessionResult>((resolve) => { resolveDone = resolve; });
    const handle: SessionHandle = {
      id,
      done,
      stop: () => {
        if (actor.getSnapshot().status === 'active') actor.send({ type: 'STOP' });
      },
    };
    this.#live.add(handle);

    // A child of the host reports a failure to the host, which ignores it: without an error
    // observer a defect in the machine would leave `done` pending for ever. It ends the session
    // as an application error instead.
    const ended = (failed: boolean) => {
      const cause = failed ? 'application-error' : actor.getSnapshot().output ?? 'normal';
      // No `actor.stop()`: a finished actor has already stopped (and a child of the host may
      // not be stopped directly).
      const ending: SessionEnding = { identity, channel, session, script, cause, byMachine: scriptCause === undefined };
      void this.#finish(ending).finally(() => {
        stopListening?.();
        this.#live.delete(handle);
        resolveDone({
          sessionId: id, cause, verbs: session?.verbs ?? 0, documents: session?.documents ?? 0,
          ...(session?.route ? { route: session.route } : {}),
        });
      });
    };
    actor.subscribe({ complete: () => ended(false), error: () => ended(true) });
    this.events.emit({
      time: services.clock.now(), sessionId: id, type: 'session.started', callId: identity.callId,
      caller: identity.caller, callee: identity.callee, direction, context,
    });
    actor.start();
    return handle;
  }

  /**
   * Reports a limit, releases what the script left behind, waits for the script to unwind (its
   * verbs report `interrupted`) and for short work it started, then reports the end.
   */
  async #finish({ identity, channel, session, script, cause, byMachine }: SessionEnding): Promise<void> {
    if (cause === 'limit-exceeded' && session) {
      const detail = byMachine ? `the call lasted longer than ${this.#limits.callSeconds} seconds` : undefined;
      if (detail) session.emit({ type: 'error', code: 'limit-exceeded', message: detail });
      session.sendError('limit-exceeded', detail ?? session.lastError ?? 'a limit was exceeded');
    }
    // Only the interpreter's own leg (api-extension) is its to release.
    if (identity.context === 'api-extension' && channel && !session?.leftCall) {
      if (channel.can('hangup')) await channel.hangup(cause).catch(() => {});
      else if (channel.can('reject')) await channel.reject('rejected').catch(() => {});
    }
    await script?.catch(() => {});
    await session?.settled();
    this.events.emit({
      time: this.#options.calls.clock.now(), sessionId: identity.id, type: 'session.ended', cause,
      verbs: session?.verbs ?? 0, documents: session?.documents ?? 0,
    });
  }

  #runInBackground(task: (signal: AbortSignal) => Promise<void>): void {
    const work = task(this.#closing.signal).catch(() => {});
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }

  /** Call verb: dial; once answered, run the document CallConnected fetches from `url`. */
  #startOutbound(request: OutboundRequest): Promise<DialOutcome> {
    const calls = this.#options.calls;
    const admission = this.#options.admission?.admit({ sessionId: request.sessionId, to: request.to }) ?? { admitted: true, release: () => {} };
    if (!admission.admitted) return Promise.resolve('limit-exceeded');
    const channel = calls.createChannel();
    return new Promise<DialOutcome>((resolve) => {
      this.#runInBackground(async (signal) => {
        try {
          await this.#placeOutbound(channel, request, signal, resolve);
        } finally {
          admission.release();
        }
      });
    });
  }

  /** Dials; once answered, runs the CallConnected document and waits for that session to end. */
  async #placeOutbound(channel: CallChannel, request: OutboundRequest, signal: AbortSignal, resolve: (outcome: DialOutcome) => void): Promise<void> {
    let result: DialOutcome;
    try {
      result = await channel.dial(request.to, {
        signal, from: request.from, timeoutSeconds: request.ringSeconds,
        ...(request.displayName ? { displayName: request.displayName } : {}),
      });
    } catch (error) {
      resolve(isAbortError(error) || signal.aborted ? 'cancelled' : 'failed');
      throw error;
    }
    resolve(result);
    if (result !== 'answered') return;
    if (!request.url) {
      // Vendor rule: a Call with an empty Url is hung up once connected.
      await channel.hangup('application-error');
      return;
    }
    // Awaited: the call counts against the limits until its session is over.
    await this.start({
      channel,
      direction: 'outbound',
      caller: request.from,
      callee: request.to,
      apiExtension: request.apiExtension,
      ...(request.errorUrl ? { errorUrl: request.errorUrl } : {}),
      start: {
        url: request.baseUrl ? new URL(request.url, request.baseUrl).href : request.url,
        notification: 'CallConnected',
        params: request.params,
      },
    }).done;
  }

  /** Stops every live session and background task and waits for them to end. */
  async close(): Promise<void> {
    this.#closing.abort(new DOMException('the engine is closing', 'AbortError'));
    while (this.#live.size > 0 || this.#background.size > 0) {
      const handles = [...this.#live];
      for (const handle of handles) handle.stop();
      await Promise.all([...handles.map((h) => h.done), ...this.#background]);
    }
    this.#unsubscribe();
  }
}

interface SessionEnding {
  identity: SessionIdentity;
  channel: CallChannel | undefined;
  session: Session | undefined;
  script: Promise<EndCause> | undefined;
  cause: EndCause;
  /** The machine ended the session (hangup, stop, call length), not the script. */
  byMachine: boolean;
}

/** Runs the script; a `SessionEnd` or an unexpected error becomes the cause. Rejects only when aborted. */
async function runGuarded(session: Session, options: StartOptions): Promise<EndCause> {
  try {
    return await runScript(session, options);
  } catch (error) {
    if (error instanceof SessionEnd) {
      session.lastError = error.message;
      session.emit({ type: 'error', code: error.code ?? error.endCause, message: error.message });
      return error.endCause;
    }
    if (isAbortError(error) || session.signal.aborted) throw error;
    session.emit({ type: 'error', code: 'internal', message: error instanceof Error ? error.message : String(error) });
    return 'application-error';
  }
}

/** First document, answer (unless the script starts with Reject), then run. */
async function runScript(session: Session, options: StartOptions): Promise<EndCause> {
  const start = options.start;
  const context = session.identity.context;
  let program: Program;
  let url: string | undefined;
  if ('program' in start) {
    program = start.program;
    url = start.url;
  } else {
    const reply = await session.fetch(start.notification, start.url, {
      baseUrl: undefined, context, params: start.params ?? {}, ...(options.errorUrl ? { errorUrl: options.errorUrl } : {}),
    });
    // Nothing to run: a ringing call is refused, an answered one hung up.
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
