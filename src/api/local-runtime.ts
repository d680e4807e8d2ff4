/**
 * The phone system behind `ozml serve`, assembled from what exists today: the sim switch on the
 * real clock, one `CallControl`, and per app (API extension) an `Engine` with the app's webhook
 * client. It rings apps with IncomingCall, places the Ozeki API's outbound calls, runs the API's
 * call-control commands as one-verb third-party documents (so they behave exactly as the verbs
 * do), enforces the call limits, and drains.
 *
 * Ids and the list of active calls come from the platform's call registry (ids unique across
 * processes), tones from the platform's reading of the config. `createPlatform` itself serves one
 * app per call layer; a server answers several apps, each with its own webhook settings and engine,
 * over one call layer, so the server assembles them here (docs/serve.md).
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallControl } from '../calls/call-control.js';
import type { CallChannel } from '../calls/channel.js';
import { RealClock } from '../calls/clock.js';
import type { CallEvent } from '../calls/events.js';
import type { PartyBehaviour } from '../calls/sim/directory.js';
import { behaviourOf } from '../calls/sim/party-file.js';
import type { PartyFile } from '../calls/sim/party-file.js';
import { SimSwitch } from '../calls/sim/sim-switch.js';
import type { AppConfig, OzmlConfig, ServeConfig } from '../config/index.js';
import { Engine, EventHub } from '../engine/index.js';
import type { Outbox, OutboxMessage, SessionEvent, SessionResult } from '../engine/index.js';
import type { ActiveCall as RegisteredCall } from '../platform/index.js';
import { compileDocument } from '../language/index.js';
import { InMemoryCallRegistry, uniqueIds } from '../platform/index.js';
import { callTones } from '../platform/tones.js';
import { HttpScriptSource } from '../webhooks/index.js';
import type { WebhookEvent } from '../webhooks/index.js';
import type {
  ActiveCall, CallsPort, ControlOutcome, MessageOutcome, OutgoingMessage, Party, PlaceCallOutcome, PlaceCallRequest,
} from './ozeki/calls-port.js';
import { escapeXml } from './ozeki/xml-reply.js';

/** Everything the server logs and counts. */
export type RuntimeEvent =
  | { kind: 'call'; event: CallEvent }
  | { kind: 'session'; app: string; event: SessionEvent }
  | { kind: 'session-result'; app: string; callId: string; result: SessionResult }
  | { kind: 'webhook'; app: string; event: WebhookEvent }
  | { kind: 'refused'; callId: string; from: string; to: string; reason: RefusalReason }
  | { kind: 'message'; app: string; id: string; message: OutboxMessage }
  /** Something failed that no caller is waiting for (a release during a refusal or the drain). */
  | { kind: 'problem'; callId: string; action: string; message: string };

export type RefusalReason = 'draining' | 'max-concurrent-calls' | 'calls-per-second' | 'no-app';

/** Release cause of calls still up when the drain deadline passes. */
export const SHUTDOWN_CAUSE = 'shutdown';

/** Ring time of the Ozeki API's Call command (the Call verb's default). */
const CALL_RING_SECONDS = 60;

export interface InboundRequest {
  from: string;
  to: string;
  displayName?: string;
  behaviour?: PartyFile;
}

export type InboundOutcome = { kind: 'ringing'; callId: string } | { kind: 'refused'; callId: string; reason: RefusalReason; cause: string };

/** One app: its webhook client and its engine. */
interface AppRuntime {
  name: string;
  config: AppConfig;
  source: HttpScriptSource;
  engine: Engine;
}

/** New calls per second for one app: a bucket holding one second's worth of calls. */
class RateBucket {
  #tokens: number;
  #at: number;

  constructor(readonly perSecond: number, now: number) {
    this.#tokens = Math.max(1, perSecond);
    this.#at = now;
  }

  take(now: number): boolean {
    const capacity = Math.max(1, this.perSecond);
    this.#tokens = Math.min(capacity, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Messages are handed to the log (no SMS or e-mail gateway yet); nothing is kept in memory. */
class EventOutbox implements Outbox {
  #count = 0;

  constructor(private readonly onMessage: (id: string, message: OutboxMessage) => void) {}

  async send(message: OutboxMessage): Promise<string> {
    const id = `${message.kind}-${++this.#count}`;
    this.onMessage(id, message);
    return id;
  }
}

export interface LocalRuntimeOptions {
  config: OzmlConfig;
  serve: ServeConfig;
}

export class LocalRuntime implements CallsPort {
  readonly events = new EventHub<RuntimeEvent>();
  readonly clock = new RealClock();
  readonly sim: SimSwitch;
  readonly calls: CallControl;
  /** Every live call by id; mints the ids of calls, legs and sessions (unique across processes). */
  readonly registry = new InMemoryCallRegistry({ ids: uniqueIds() });
  #config: OzmlConfig;
  #serve: ServeConfig;
  readonly #apps = new Map<string, AppRuntime>();
  /** Live calls this runtime started (inbound and outbound): call id → the app (and settings) it started with. */
  readonly #live = new Map<string, AppRuntime>();
  /** Apps of an earlier config, kept until their calls have ended. */
  readonly #retired = new Set<AppRuntime>();
  readonly #buckets = new Map<string, RateBucket>();
  /** Dials of the Call command still ringing; aborted on close. */
  readonly #dialing = new Set<AbortController>();
  readonly #sessions = new Set<Promise<unknown>>();
  #draining = false;
  #onIdle: (() => void) | undefined;
  readonly #unsubscribe: () => void;

  constructor(options: LocalRuntimeOptions) {
    this.#config = options.config;
    this.#serve = options.serve;
    const parties = options.serve.sim.parties;
    const directory: Record<string, PartyBehaviour> = {};
    for (const [number, party] of Object.entries(parties)) if (number !== '*') directory[number] = behaviourOf(party as PartyFile);
    this.sim = new SimSwitch({
      clock: this.clock,
      directory,
      ...(parties['*'] ? { defaultBehaviour: behaviourOf(parties['*'] as PartyFile) } : {}),
      mediaRoot: options.config.baseDir,
      recordingsDir: path.join(options.config.storageRoot ?? path.join(tmpdir(), 'ozml-serve'), 'recordings'),
      newInboundId: () => this.registry.ids.next('call'),
    });
    this.calls = new CallControl(this.sim, {
      clock: this.clock,
      ownedNumbers: options.config.ownedNumbers,
      tones: callTones(options.config.tones),
      newLegId: () => this.registry.ids.next('leg'),
    });
    const untrack = this.registry.track(this.calls);
    const unsubscribe = this.calls.subscribe((event) => this.#onCallEvent(event));
    this.#unsubscribe = () => {
      unsubscribe();
      untrack();
    };
  }

  /** Creates the recordings directory; call once before serving. */
  async start(): Promise<void> {
    await mkdir(path.join(this.#config.storageRoot ?? path.join(tmpdir(), 'ozml-serve'), 'recordings'), { recursive: true });
  }

  get draining(): boolean {
    return this.#draining;
  }

  get liveCalls(): number {
    return this.#live.size;
  }

  /** New calls use `config` from now on; running calls keep the settings they started with. */
  reload(config: OzmlConfig, serve: ServeConfig): void {
    this.#config = config;
    this.#serve = serve;
    const stale = [...this.#apps.values()];
    this.#apps.clear();
    this.#buckets.clear();
    // Engines of the old settings finish their calls, then close.
    for (const app of stale) this.#retire(app);
  }

  /**
   * Keeps an app of an earlier config for the calls that started with it. Retired apps whose calls
   * and sessions are all over are closed at the next reload (or at close): closing one while its
   * last session unwinds would change how that session ends.
   */
  #retire(app: AppRuntime): void {
    for (const old of [...this.#retired]) {
      if (old.engine.liveSessions > 0 || [...this.#live.values()].includes(old)) continue;
      this.#retired.delete(old);
      this.#track(old.engine.close().then(() => old.source.close()));
    }
    this.#retired.add(app);
  }

  #problem(callId: string, action: string, error: unknown): void {
    this.events.emit({ kind: 'problem', callId, action, message: error instanceof Error ? error.message : String(error) });
  }

  /**
   * Work `close()` waits for: session results (which never reject), notifications (failures are
   * webhook events) and engine closes; a rejection anyway is reported, not lost.
   */
  #track(work: Promise<unknown>): void {
    const settled = work.then(() => undefined, (error: unknown) => this.#problem('-', 'background work', error));
    this.#sessions.add(settled);
    void settled.finally(() => this.#sessions.delete(settled));
  }

  // ── apps ───────────────────────────────────────────────────────────────────────────────

  /**
   * The app answering `number`: the app of that name, else the config's only app. (The platform's
   * dispatcher replaces this rule with its number → app table.)
   */
  #appNameFor(number: string): string | undefined {
    const apps = this.#config.apps;
    if (Object.hasOwn(apps, number)) return number;
    const names = Object.keys(apps);
    return names.length === 1 ? names[0] : undefined;
  }

  #app(name: string): AppRuntime {
    const existing = this.#apps.get(name);
    if (existing) return existing;
    const config = this.#config.apps[name]!;
    const toneNames = Object.keys(this.#config.tones);
    const serviceNames = Object.keys(this.#config.services);
    const source = new HttpScriptSource({
      app: config,
      onEvent: (event) => this.events.emit({ kind: 'webhook', app: name, event }),
      compile: {
        rules: this.#config.lint.rules,
        ...(toneNames.length > 0 ? { tones: toneNames } : {}),
        ...(serviceNames.length > 0 ? { services: serviceNames } : {}),
      },
    });
    const engine = new Engine({
      calls: this.calls,
      source,
      outbox: new EventOutbox((id, message) => this.events.emit({ kind: 'message', app: name, id, message })),
      ...(serviceNames.length > 0 ? { services: serviceNames } : {}),
      tones: toneNames,
      apiExtension: name,
      newSessionId: () => this.registry.ids.next('session'),
      ...(config.errorUrl ? { errorUrl: config.errorUrl } : {}),
      ...(this.#config.storageRoot ? { storageRoot: this.#config.storageRoot } : {}),
    });
    engine.events.subscribe((event) => {
      if ('sessionId' in event) this.events.emit({ kind: 'session', app: name, event: event as SessionEvent });
    });
    const app: AppRuntime = { name, config, source, engine };
    this.#apps.set(name, app);
    return app;
  }

  /** Why a new call for `app` cannot be taken now, if it cannot. */
  #refusal(app: string | undefined): RefusalReason | undefined {
    if (this.#draining) return 'draining';
    if (app === undefined) return 'no-app';
    if (this.#live.size >= this.#serve.limits.maxConcurrentCalls) return 'max-concurrent-calls';
    const now = this.clock.now();
    let bucket = this.#buckets.get(app);
    if (!bucket) this.#buckets.set(app, (bucket = new RateBucket(this.#serve.limits.callsPerSecondPerApp, now)));
    return bucket.take(now) ? undefined : 'calls-per-second';
  }

  #onCallEvent(event: CallEvent): void {
    this.events.emit({ kind: 'call', event });
    if (event.type !== 'leg.state' || event.state !== 'Released') return;
    if (!this.#live.delete(event.legId)) return;
    if (this.#live.size === 0) this.#onIdle?.();
  }

  #follow(app: AppRuntime, callId: string, done: Promise<SessionResult>): void {
    this.#track(done.then((result) => this.events.emit({ kind: 'session-result', app: app.name, callId, result })));
  }

  // ── the sim's inbound calls ─────────────────────────────────────────────────────────────

  /** A caller rings `to`; the app of that number hears IncomingCall and its OzML runs the call. */
  placeInbound(request: InboundRequest): InboundOutcome {
    const name = this.#appNameFor(request.to);
    const app = name === undefined ? undefined : this.#config.apps[name];
    const reason = this.#refusal(app?.incomingCallUrl ? name : undefined);
    const callId = this.sim.placeInboundCall({
      from: request.from,
      to: request.to,
      ...(request.displayName !== undefined ? { displayName: request.displayName } : {}),
      behaviour: behaviourOf(request.behaviour ?? {}),
    });
    const channel = this.calls.channel(callId)!;
    if (reason !== undefined) {
      // Refused calls still end with a cause: busy for limits, not-found without an app, rejected while draining.
      const cause = reason === 'draining' ? 'rejected' : reason === 'no-app' ? 'not-found' : 'busy';
      if (channel.can('reject')) void channel.reject(cause === 'busy' ? 'busy' : 'rejected').catch((error: unknown) => this.#problem(callId, 'reject', error));
      this.events.emit({ kind: 'refused', callId, from: request.from, to: request.to, reason });
      return { kind: 'refused', callId, reason, cause: cause === 'not-found' ? 'rejected' : cause };
    }
    const runtime = this.#app(name!);
    this.#live.set(callId, runtime);
    const handle = runtime.engine.start({
      channel,
      apiExtension: request.to,
      start: { url: app!.incomingCallUrl!, notification: 'IncomingCall' },
    });
    this.#follow(runtime, callId, handle.done);
    return { kind: 'ringing', callId };
  }

  // ── CallsPort ─────────────────────────────────────────────────────────────────────────

  async placeCall(request: PlaceCallRequest): Promise<PlaceCallOutcome> {
    const names = Object.keys(this.#config.apps);
    const name = request.apiExtension === undefined ? (names.length === 1 ? names[0] : undefined)
      : Object.hasOwn(this.#config.apps, request.apiExtension) ? request.apiExtension : undefined;
    if (name === undefined) return { kind: 'no-extension' };
    const reason = this.#refusal(name);
    if (reason !== undefined) return { kind: 'refused', detail: reason };
    const app = this.#app(name);
    const channel = this.calls.createChannel();
    const abort = new AbortController();
    this.#dialing.add(abort);
    const from = request.callerId ?? name;
    let outcome: Awaited<ReturnType<CallChannel['dial']>>;
    try {
      this.#live.set(channel.id, app);
      outcome = await channel.dial(request.dialed, {
        from, timeoutSeconds: CALL_RING_SECONDS, signal: abort.signal,
        ...(request.callerDisplayName ? { displayName: request.callerDisplayName } : {}),
      });
    } catch {
      this.#live.delete(channel.id);
      return { kind: 'failed', callId: channel.id, state: 'Cancelled' };
    } finally {
      this.#dialing.delete(abort);
    }
    if (outcome !== 'answered') {
      this.#live.delete(channel.id);
      return { kind: 'failed', callId: channel.id, state: channel.snapshot().names.ozeki ?? 'Error' };
    }
    if (request.url === '') {
      // The vendor's rule: a Call without a Url is hung up once connected.
      await channel.hangup('application-error');
      return { kind: 'connected', callId: channel.id };
    }
    const handle = app.engine.start({
      channel,
      direction: 'outbound',
      caller: from,
      callee: request.dialed,
      apiExtension: name,
      ...(request.errorUrl ? { errorUrl: request.errorUrl } : {}),
      start: { url: request.url, notification: 'CallConnected' },
    });
    this.#follow(app, channel.id, handle.done);
    return { kind: 'connected', callId: channel.id };
  }

  /** A call of the registry that ozml still controls (its first leg is up), as ListActiveCalls shows it. */
  #activeCall(call: RegisteredCall | undefined): ActiveCall | undefined {
    if (!call || !this.#live.has(call.callId) || call.state === 'Released' || call.state === 'Idle') return undefined;
    return {
      callId: call.callId,
      state: call.ozekiState,
      source: call.caller,
      callerId: call.callerName ?? call.caller,
      destination: call.destination,
      startedAt: call.startedAt,
      ringSeconds: call.ringSeconds,
      talkSeconds: call.talkSeconds,
    };
  }

  findCall(callId: string): ActiveCall | undefined {
    return this.#activeCall(this.registry.find(callId));
  }

  listActiveCalls(): ActiveCall[] {
    const out: ActiveCall[] = [];
    for (const call of this.registry.active()) {
      const active = this.#activeCall(call);
      if (active) out.push(active);
    }
    return out;
  }

  /** The caller's and the callee's leg of a call (the same rule as the third-party verbs). */
  #parties(callId: string): { caller: CallChannel; callee: CallChannel | undefined } | undefined {
    if (!this.#live.has(callId)) return undefined;
    const leg = this.calls.channel(callId);
    if (!leg) return undefined;
    const peerId = leg.snapshot().bridgedTo;
    const peer = peerId ? this.calls.channel(peerId) : undefined;
    if (peer && peer.direction === 'inbound' && leg.direction !== 'inbound') return { caller: peer, callee: leg };
    return { caller: leg, callee: peer };
  }

  /**
   * Runs `<Verb attributes…/>` as a third-party document on the call's app. `wait`: resolves when
   * it has run, with 303 for an error it reported; otherwise once it has started.
   */
  async #command(callId: string, verb: string, attributes: ReadonlyArray<readonly [parameter: string, attribute: string, value: string]>, wait: boolean): Promise<ControlOutcome> {
    // The call's own app: a call keeps the settings it started with across reloads.
    const app = this.#live.get(callId);
    if (app === undefined) return { kind: 'not-found', callId };
    // One attribute per line: a diagnostic's line says which parameter it is about.
    const lines = attributes.map(([, attribute, value]) => `  ${attribute}="${escapeXml(value.replace(/\$/g, '$$$$'))}"`);
    const text = `<Response><${verb}\n${lines.join('\n')}\n/></Response>`;
    const { program, diagnostics } = compileDocument(text, { context: 'third-party' });
    const error = diagnostics.find((d) => d.severity === 'error');
    if (!program || error) {
      const index = (error?.range.line ?? 1) - 2;
      const parameter = attributes[index]?.[0] ?? verb;
      return { kind: 'invalid', parameter, detail: error?.message ?? 'the command does not compile' };
    }
    let failure: string | undefined;
    let sessionId: string | undefined;
    const early: SessionEvent[] = [];
    const stop = wait
      ? app.engine.events.subscribe((event) => {
        if (!('sessionId' in event) || event.type !== 'error') return;
        if (sessionId === undefined) early.push(event as SessionEvent);
        else if (event.sessionId === sessionId) failure ??= (event as Extract<SessionEvent, { type: 'error' }>).code;
      })
      : undefined;
    const handle = app.engine.start({ callId, start: { program } });
    sessionId = handle.id;
    for (const event of early) if (event.sessionId === sessionId && event.type === 'error') failure ??= event.code;
    this.#track(handle.done);
    if (!wait) return { kind: 'done' };
    try {
      await handle.done;
    } finally {
      stop?.();
    }
    if (failure === undefined) return { kind: 'done' };
    if (failure === 'TargetError' || failure === 'not-found') return { kind: 'not-found', callId };
    return { kind: 'inappropriate', detail: failure };
  }

  async hangup(callId: string): Promise<ControlOutcome> {
    return this.#command(callId, 'Hangup', [['CallId', 'CallId', callId]], true);
  }

  async hold(callId: string): Promise<ControlOutcome> {
    const legs = this.#parties(callId);
    if (!legs) return { kind: 'not-found', callId };
    if (!legs.caller.can('hold')) return { kind: 'inappropriate', detail: `the call is ${legs.caller.state}` };
    return this.#command(callId, 'Hold', [['CallId', 'CallId', callId]], true);
  }

  async unhold(callId: string): Promise<ControlOutcome> {
    const legs = this.#parties(callId);
    if (!legs) return { kind: 'not-found', callId };
    if (!legs.caller.can('retrieve')) return { kind: 'inappropriate', detail: `the call is ${legs.caller.state}` };
    return this.#command(callId, 'Unhold', [['CallId', 'CallId', callId]], true);
  }

  async blindTransfer(callId: string, options: { transferorParty: 'caller' | 'callee'; target: string; finishedUrl?: string }): Promise<ControlOutcome> {
    const legs = this.#parties(callId);
    if (!legs) return { kind: 'not-found', callId };
    const moved = options.transferorParty === 'caller' ? legs.callee : legs.caller;
    if (!moved || !moved.can('blindTransfer')) return { kind: 'inappropriate', detail: moved ? `the call is ${moved.state}` : 'nobody to transfer' };
    return this.#command(callId, 'BlindTransfer', [
      ['CallId', 'CallId', callId],
      ['TransferorParty', 'TransferorParty', options.transferorParty],
      ['Target', 'Target', options.target],
      ...(options.finishedUrl ? [['FinishedUrl', 'FinishedUrl', options.finishedUrl] as const] : []),
    ], false);
  }

  async attendedTransfer(transferredCallId: string, targetCallId: string): Promise<ControlOutcome> {
    for (const id of [transferredCallId, targetCallId]) if (!this.#parties(id)) return { kind: 'not-found', callId: id };
    return this.#command(transferredCallId, 'AttendedTransfer', [
      ['TransferredCallId', 'TransferredCallId', transferredCallId],
      ['TargetCallId', 'TargetCallId', targetCallId],
    ], true);
  }

  async forward(callId: string, destination: string): Promise<ControlOutcome> {
    const legs = this.#parties(callId);
    if (!legs) return { kind: 'not-found', callId };
    if (legs.caller.state !== 'Ringing') return { kind: 'inappropriate', detail: `the call is ${legs.caller.state}, not Ringing` };
    return this.#command(callId, 'Forward', [['CallId', 'CallId', callId], ['Destination', 'Destination', destination]], false);
  }

  /** Media commands need the party's leg, answered. */
  #mediaCheck(callId: string, party: Party, operation: 'speak' | 'play' | 'sendDtmf'): ControlOutcome | undefined {
    const legs = this.#parties(callId);
    if (!legs) return { kind: 'not-found', callId };
    const targets = party === 'callee' ? [legs.callee] : party === 'all' ? [legs.caller, legs.callee].filter(Boolean) : [legs.caller];
    for (const leg of targets) {
      if (!leg) return { kind: 'inappropriate', detail: 'the call has no callee leg' };
      if (!leg.can(operation)) return { kind: 'inappropriate', detail: `the ${party} leg is ${leg.state}` };
    }
    return undefined;
  }

  async play(callId: string, options: { party: Party; audioFile: string; repeat: boolean }): Promise<ControlOutcome> {
    const refused = this.#mediaCheck(callId, options.party, 'play');
    if (refused) return refused;
    return this.#command(callId, 'Play', [
      ['CallId', 'CallId', callId], ['Party', 'Party', options.party], ['AudioFile', 'AudioFile', options.audioFile],
      ['Repeat', 'Repeat', String(options.repeat)],
    ], false);
  }

  async speak(callId: string, options: { party: Party; text: string }): Promise<ControlOutcome> {
    const refused = this.#mediaCheck(callId, options.party, 'speak');
    if (refused) return refused;
    return this.#command(callId, 'Speak', [['CallId', 'CallId', callId], ['Party', 'Party', options.party], ['Text', 'Text', options.text]], false);
  }

  async sendDtmf(callId: string, options: { party: Party; keys: string }): Promise<ControlOutcome> {
    const refused = this.#mediaCheck(callId, options.party, 'sendDtmf');
    if (refused) return refused;
    return this.#command(callId, 'SendDTMF', [['CallId', 'CallId', callId], ['Party', 'Party', options.party], ['Keys', 'Keys', options.keys]], false);
  }

  async record(callId: string, options: { format: string; finishedUrl?: string }): Promise<ControlOutcome> {
    const legs = this.#parties(callId);
    if (!legs) return { kind: 'not-found', callId };
    if (!legs.caller.can('recordCall')) return { kind: 'inappropriate', detail: `the call is ${legs.caller.state}` };
    return this.#command(callId, 'Record', [
      ['CallId', 'CallId', callId], ['Format', 'Format', options.format],
      ...(options.finishedUrl ? [['FinishedURL', 'FinishedUrl', options.finishedUrl] as const] : []),
    ], false);
  }

  async sendMessage(message: OutgoingMessage): Promise<MessageOutcome> {
    if (!Object.hasOwn(this.#config.apps, message.apiExtension)) return { kind: 'no-extension' };
    const app = this.#app(message.apiExtension);
    const outgoing: OutboxMessage = message.kind === 'sms'
      ? {
        kind: 'sms', recipient: message.recipient, message: message.message,
        ...(message.sender ? { sender: message.sender } : {}),
        ...(message.deliveryReportUrl ? { deliveryReportUrl: message.deliveryReportUrl } : {}),
      }
      : {
        kind: 'email', recipient: message.recipient, attachments: [],
        ...(message.sender ? { sender: message.sender } : {}),
        ...(message.subject ? { subject: message.subject } : {}),
        ...(message.message ? { message: message.message } : {}),
      };
    return { kind: 'queued', id: await app.engine.outbox.send(outgoing, {}) };
  }

  // ── drain and close ──────────────────────────────────────────────────────────────────────

  /**
   * Refuses new calls from now on, lets running calls go on for `deadlineMs`, then releases the
   * rest with cause `shutdown` and sends each an Error notification (ErrorCode `shutdown`) to its
   * app's ErrorUrl. Resolves with the number of calls released that way.
   */
  async drain(deadlineMs: number): Promise<number> {
    this.#draining = true;
    if (this.#live.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        this.#onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#onIdle = undefined;
    }
    let released = 0;
    for (const [callId, app] of [...this.#live]) {
      const channel = this.calls.channel(callId);
      if (!channel) continue;
      const before = channel.snapshot();
      if (channel.can('hangup')) await channel.hangup(SHUTDOWN_CAUSE).catch((error: unknown) => this.#problem(callId, 'hangup', error));
      else if (channel.can('reject')) await channel.reject('rejected').catch((error: unknown) => this.#problem(callId, 'reject', error));
      released++;
      if (app.config.errorUrl) {
        this.#track(app.source.send({
          name: 'Error',
          url: app.config.errorUrl,
          context: 'api-extension',
          params: {
            CallId: callId, Caller: before.caller, Callee: before.callee, ApiExtension: app.name, CallState: 'Completed',
            Direction: before.direction === 'inbound' ? 'Incoming' : 'Outgoing', Timestamp: new Date(this.clock.now()).toISOString(),
            ErrorCode: SHUTDOWN_CAUSE, ErrorUrl: '', Detail: 'the server shut down before the call ended',
          },
        }));
      }
    }
    return released;
  }

  /** Stops everything: dials, sessions, webhook clients, the call layer. */
  async close(): Promise<void> {
    this.#draining = true;
    for (const abort of this.#dialing) abort.abort(new DOMException('the server is closing', 'AbortError'));
    const apps = [...this.#apps.values(), ...this.#retired];
    await Promise.all(apps.map((app) => app.engine.close()));
    while (this.#sessions.size > 0) await Promise.all([...this.#sessions]);
    await Promise.all(apps.map((app) => app.source.close()));
    this.calls.close();
    this.#unsubscribe();
  }
}
