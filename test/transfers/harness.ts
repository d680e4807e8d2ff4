/**
 * The transfer test world: a virtual clock, the simulated switch (with the loopback that routes
 * `service:<name>` back to the platform for services the engine runs), the call layer, a local
 * script source on the same clock, and the engine. `trace()` turns the one event stream into
 * compact lines with virtual times (seconds); `dispose()` hangs up the calls transfers handed off
 * (the far ends of a finished test) and checks that nothing is left: no live legs, hand-offs,
 * timers or sessions.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallControl } from '../../src/calls/call-control.js';
import type { CallChannel } from '../../src/calls/channel.js';
import { VirtualClock } from '../../src/calls/clock.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { SimSwitch, type InboundCall } from '../../src/calls/sim/sim-switch.js';
import type { HoldRequest, SpeechRequest, SwitchMediaOutcome, SwitchOperationOptions } from '../../src/calls/switch.js';
import { Engine, type EngineEvent, type SessionResult, type StartOptions } from '../../src/engine/engine.js';
import { ServiceDesk, servicesLoopback } from '../../src/platform/services.js';
import { compileDocument, type DocumentContext, type Program } from '../../src/language/index.js';
import { LocalScriptSource, type LocalRoute } from '../../src/webhooks/local-source.js';
import { closeWorld } from '../support/leaks.js';
import { ringInbound } from '../support/ring.js';

export interface WorldOptions {
  directory?: Record<string, PartyBehaviour>;
  routes?: Record<string, LocalRoute>;
  ownedNumbers?: string[];
  /** Services the engine runs: name → inline OzML (written to a file), `http…` URL (a route) or file path. */
  services?: Record<string, string>;
  /** Service names the sim's directory answers (`service:<name>` entries), when no scripts are given. */
  simServices?: string[];
  holdMusic?: string;
}

/** The sim, remembering what the call layer asked it to say and to play on hold (the switch's side of those options). */
class ObservedSim extends SimSwitch {
  readonly speech: Array<{ legId: string } & SpeechRequest> = [];
  readonly holds: Array<{ legId: string } & HoldRequest> = [];

  override playSpeech(legId: string, speech: SpeechRequest, options?: SwitchOperationOptions): Promise<SwitchMediaOutcome> {
    this.speech.push({ legId, ...speech });
    return super.playSpeech(legId, speech, options);
  }

  override hold(legId: string, request: HoldRequest): Promise<void> {
    this.holds.push({ legId, ...request });
    return super.hold(legId, request);
  }
}

/** Capabilities as a trace shows them: the four user-data operations, always together, as `UserData`. */
export function caps(list: readonly string[]): string {
  const shown = list.filter((c) => !c.endsWith('UserData') && c !== 'DeleteUserDataPair');
  if (list.includes('AttachUserData')) shown.push('UserData');
  return `[${shown.join(',')}]`;
}

export function compile(text: string, context: DocumentContext = 'api-extension', services: readonly string[] = []): Program {
  const result = compileDocument(text, { context, services });
  if (!result.program) throw new Error(`fixture does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.program;
}

/** Virtual milliseconds as seconds, without float noise (1300 → "1.3"). */
export const secs = (ms: number): string => String(Math.round(ms) / 1000);

/** Every event kind a transfer produces, for `trace()`. */
export const TRANSFER_TRACE = [
  'verb.started', 'verb.finished', 'leg.created', 'leg.state', 'leg.capabilities', 'transfer.started', 'transfer.ended',
  'bridge.started', 'bridge.ended', 'notification.requested', 'error', 'session.started', 'session.ended',
] as const;

export type World = ReturnType<typeof world>;

export function world(options: WorldOptions = {}) {
  const clock = new VirtualClock();
  const dir = mkdtempSync(path.join(tmpdir(), 'ozml-transfers-'));
  // Inline service scripts become files, as ozml.config.json names them.
  const scripts: Record<string, string> = {};
  for (const [name, script] of Object.entries(options.services ?? {})) {
    if (script.trimStart().startsWith('<')) {
      const file = path.join(dir, `${name}.xml`);
      writeFileSync(file, script);
      scripts[name] = file;
    } else scripts[name] = script;
  }
  const sim = new ObservedSim({
    clock, directory: options.directory ?? {}, recordingsDir: path.join(dir, 'recordings'), loopback: servicesLoopback(scripts),
  });
  const calls = new CallControl(sim, {
    clock,
    ...(options.ownedNumbers ? { ownedNumbers: options.ownedNumbers } : {}),
    ...(options.holdMusic ? { holdMusic: options.holdMusic } : {}),
  });
  const source = new LocalScriptSource({ routes: options.routes ?? {}, clock });
  const serviceNames = Object.keys(scripts).length > 0 ? Object.keys(scripts) : (options.simServices ?? []);
  const engine = new Engine({ calls, source, services: serviceNames, sourceUsesClock: true });
  // The platform's service desk answers the services this world runs scripts for.
  const desk = Object.keys(scripts).length > 0 ? new ServiceDesk({ engine, calls, scripts, serviceNames, tones: [] }) : undefined;
  const events: EngineEvent[] = [];
  engine.events.subscribe((event) => events.push(event));

  /** The channel of an inbound call that rings now. */
  function ring(call: Partial<InboundCall> = {}): CallChannel {
    return ringInbound(sim, calls, call);
  }

  /** Places an inbound call and runs `script` on it; resolves when the session has ended. */
  function inbound(call: Partial<InboundCall>, script: string, more: Omit<StartOptions, 'channel' | 'start'> = {}): Promise<SessionResult> {
    const channel = ring(call);
    return engine.start({ ...more, channel, start: { program: compile(script, 'api-extension', serviceNames) } }).done;
  }

  /** Runs a third-party document about `callId`. */
  function thirdParty(script: string, callId: string): Promise<SessionResult> {
    return engine.start({ callId, start: { program: compile(script, 'third-party') } }).done;
  }

  let withCaps = false;

  function line(e: EngineEvent): string {
    const t = secs(e.time);
    switch (e.type) {
      case 'session.started': return `${t} [${e.sessionId}] start ${e.callId}`;
      case 'session.ended': return `${t} [${e.sessionId}] end ${e.cause}`;
      case 'verb.started': return `${t} [${e.sessionId}] ${e.verb}`;
      case 'verb.finished': return `${t} [${e.sessionId}] ${e.verb} → ${e.result}`;
      case 'notification.requested': return `${t} → ${e.name} ${e.url}`;
      case 'error': return `${t} error ${e.code}: ${e.message}`;
      case 'leg.created': return `${t} ${e.legId} created ${e.callType} ${e.from}→${e.to}${e.parentCallId ? ` parent ${e.parentCallId}` : ''}`;
      case 'leg.state': return `${t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` (${e.cause})` : ''}${withCaps ? ` ${caps(e.capabilities)}` : ''}`;
      case 'leg.capabilities': return `${t} ${e.legId} capabilities ${caps(e.capabilities)}`;
      case 'media.started': return `${t} ${e.legId} ${e.media} ${e.source}`;
      case 'media.ended': return `${t} ${e.legId} ${e.media} ${e.source} ended ${e.endedBy}`;
      case 'digits.collected': return `${t} ${e.legId} digits '${e.digits}' ${e.endedBy}`;
      case 'transfer.started': return `${t} ${e.legId} ${e.kind} transfer to ${e.target}${e.targetLegId ? ` (${e.targetLegId})` : ''}`;
      case 'transfer.ended': return `${t} ${e.legId} ${e.kind} transfer ${e.cause}`;
      case 'bridge.started': return `${t} bridge ${e.legId}+${e.peerLegId}`;
      case 'bridge.ended': return `${t} unbridge ${e.legId}+${e.peerLegId} (${e.cause})`;
      case 'recording.started': return `${t} ${e.legId} recording ${e.format}`;
      case 'recording.ended': return `${t} ${e.legId} recorded ${e.durationSeconds}s ${e.endedBy} ${path.extname(e.file)}`;
      default: return `${t} ${e.type}`;
    }
  }

  /** Lines for the events of `types`; `capabilities` adds each state's capability set. */
  function trace(types: readonly string[] = TRANSFER_TRACE, opts: { capabilities?: boolean } = {}): string[] {
    withCaps = opts.capabilities === true;
    return events.filter((e) => types.includes(e.type)).map(line);
  }

  function of<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[] {
    return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  }

  /** Resolves with the first event of `type` from now on (for events that follow real I/O, such as a written recording). */
  function next<T extends EngineEvent['type']>(type: T): Promise<Extract<EngineEvent, { type: T }>> {
    return new Promise((resolve) => {
      const stop = engine.events.subscribe((e) => {
        if (e.type !== type) return;
        stop();
        resolve(e as Extract<EngineEvent, { type: T }>);
      });
    });
  }

  /** `$name` as the session's Var verbs saw it: the attributes of the `<Var>` verbs, in order. */
  function vars(): Record<string, string>[] {
    return of('verb.started').filter((e) => e.verb === 'Var').map((e) => ({ [String(e.attributes['ID'])]: String(e.attributes['Value']) }));
  }

  /** Notifications as the app received them: name, URL and the parameters a test names. */
  function deliveries(...keys: string[]): unknown[] {
    return source.deliveries.map((d) => ({ kind: d.kind, name: d.name, url: d.url, ...Object.fromEntries(keys.filter((k) => k in d.params).map((k) => [k, d.params[k]])) }));
  }

  /** Lets the virtual clock run until no timer is pending. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 10_000 && clock.pendingTimers().length > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The far ends of calls the transfers handed off hang up (at the current virtual time). */
  async function hangUpHandedOff(): Promise<void> {
    for (const id of calls.handedOffLegs()) sim.hangup(id);
    await new Promise((resolve) => setImmediate(resolve));
  }

  async function dispose(): Promise<void> {
    try {
      await hangUpHandedOff();
    } finally {
      await desk?.close();
      await closeWorld({ engine, sim, calls, clock, source }, settle, dir);
    }
  }

  return { clock, sim, calls, source, engine, events, dir, ring, inbound, thirdParty, trace, of, next, vars, deliveries, settle, hangUpHandedOff, dispose };
}
