/**
 * Test harness: a virtual clock, the simulated switch, the call layer, a local script source whose
 * delays run on the same clock, and the engine. `trace()` turns the one event stream into compact
 * lines with virtual times (seconds) that tests compare whole; `dispose()` checks that nothing is
 * left behind (no live legs, hand-offs, timers or sessions).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallControl } from '../../src/calls/call-control.js';
import type { CallChannel } from '../../src/calls/channel.js';
import { VirtualClock } from '../../src/calls/clock.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import type { InboundCall, SimSwitchOptions } from '../../src/calls/sim/sim-switch.js';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent, EngineOptions, SessionResult, SessionStart, StartOptions } from '../../src/engine/engine.js';
import { RecordingOutbox } from '../../src/engine/outbox.js';
import { compileDocument } from '../../src/language/index.js';
import type { CompileOptions, DocumentContext, Program } from '../../src/language/index.js';
import { LocalScriptSource } from '../../src/webhooks/local-source.js';
import type { LocalRoute, LocalScriptSourceOptions } from '../../src/webhooks/local-source.js';
import { closeWorld } from '../support/leaks.js';
import { ringInbound } from '../support/ring.js';

export interface HarnessOptions {
  directory?: Record<string, PartyBehaviour>;
  routes?: Record<string, LocalRoute>;
  engine?: Partial<Omit<EngineOptions, 'calls' | 'source'>>;
  ownedNumbers?: string[];
  services?: Record<string, string>;
  sim?: Partial<Omit<SimSwitchOptions, 'clock' | 'directory'>>;
  source?: Partial<Pick<LocalScriptSourceOptions, 'errorUrl' | 'fallbackUrl' | 'publicBaseUrl'>>;
}

export function compile(text: string, context: DocumentContext = 'api-extension', options: Omit<CompileOptions, 'context'> = {}): Program {
  const result = compileDocument(text, { ...options, context });
  if (!result.program) throw new Error(`fixture does not compile: ${JSON.stringify(result.diagnostics)}`);
  return result.program;
}

/** Virtual milliseconds as seconds, without float noise (1300 → "1.3"). */
export const secs = (ms: number): string => String(Math.round(ms) / 1000);

/** The event types `trace()` shows unless told otherwise. */
export const DEFAULT_TRACE = [
  'verb.started', 'verb.finished', 'leg.state', 'session.ended', 'digits.received', 'notification.requested', 'error',
] as const;

export type Harness = ReturnType<typeof harness>;

export function harness(options: HarnessOptions = {}) {
  const clock = new VirtualClock();
  const recordingsDir = mkdtempSync(path.join(tmpdir(), 'ozml-engine-rec-'));
  const sim = new SimSwitch({ clock, directory: options.directory ?? {}, recordingsDir, ...options.sim });
  const calls = new CallControl(sim, {
    clock,
    ...(options.ownedNumbers ? { ownedNumbers: options.ownedNumbers } : {}),
    ...(options.services ? { services: options.services } : {}),
  });
  const source = new LocalScriptSource({
    routes: options.routes ?? {},
    clock,
    ...options.source,
  });
  const outbox = new RecordingOutbox();
  const engine = new Engine({ calls, source, outbox, sourceUsesClock: true, ...options.engine });
  const events: EngineEvent[] = [];
  engine.events.subscribe((event) => events.push(event));

  /** The channel of an inbound call that rings now. */
  function ring(call: Partial<InboundCall> = {}): CallChannel {
    return ringInbound(sim, calls, call);
  }

  /** Places an inbound call and runs `start` on it; resolves when the session has ended. */
  function inbound(call: Partial<InboundCall>, start: SessionStart | string, more: Omit<StartOptions, 'channel' | 'start'> = {}): Promise<SessionResult> {
    const first = typeof start === 'string' ? { program: compile(start) } : start;
    const channel = ring(call);
    return engine.start({ ...more, channel, start: first }).done;
  }

  /** Runs a session without a leg of its own (third-party, routing). */
  function run(text: string, context: DocumentContext, more: Omit<StartOptions, 'start'> & { url?: string } = {}): Promise<SessionResult> {
    const { url, ...rest } = more;
    return engine.start({ ...rest, start: { program: compile(text, context), ...(url ? { url } : {}) } }).done;
  }

  function line(e: EngineEvent): string {
    const t = secs(e.time);
    switch (e.type) {
      case 'session.started': return `${t} start ${e.context} ${e.callId}`;
      case 'session.ended': return `${t} end ${e.cause}`;
      case 'document.loaded': return `${t} document ${e.url ?? '-'}`;
      case 'verb.started': return `${t} ${e.verb}`;
      case 'verb.finished': return `${t} ${e.verb} → ${e.result}`;
      case 'digits.received': return `${t} digits '${e.digits}' ${e.endedBy}`;
      case 'notification.requested': return `${t} → ${e.name} ${e.url}`;
      case 'notification.replied': return `${t} ← ${e.name} ${e.reply}${e.code ? ` ${e.code}` : ''}`;
      case 'variable.warning': return `${t} warning $${e.name} in ${e.verb}`;
      case 'message.sent': return `${t} ${e.kind} ${e.id} to ${e.to}`;
      case 'file.changed': return `${t} ${e.action} ${e.path}`;
      case 'alarm.sent': return `${t} alarm to ${e.to} ${e.dtmf} ${e.result}`;
      case 'alarm.received': return `${t} alarm from ${e.account} event ${e.eventCode} zone ${e.zone}`;
      case 'error': return `${t} error ${e.code}: ${e.message}`;
      case 'leg.created': return `${t} ${e.legId} created ${e.callType} ${e.from}→${e.to}`;
      case 'leg.state': return `${t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` (${e.cause})` : ''}`;
      case 'leg.alerting': return `${t} ${e.legId} alerting`;
      case 'media.started': return `${t} ${e.legId} ${e.media} ${e.source}`;
      case 'media.ended': return `${t} ${e.legId} ${e.media} ended ${e.endedBy}`;
      case 'dtmf.received': return `${t} ${e.legId} dtmf ${e.digit}`;
      case 'dtmf.sent': return `${t} ${e.legId} sent ${e.digits}`;
      case 'recording.started': return `${t} ${e.legId} recording ${e.format}`;
      case 'recording.ended': return `${t} ${e.legId} recorded ${e.durationSeconds}s ${e.endedBy}`;
      case 'transfer.started': return `${t} ${e.legId} ${e.kind} transfer to ${e.target}`;
      case 'transfer.ended': return `${t} ${e.legId} ${e.kind} transfer ${e.cause}`;
      case 'bridge.started': return `${t} bridge ${e.legId}+${e.peerLegId}`;
      case 'bridge.ended': return `${t} unbridge ${e.legId}+${e.peerLegId}${e.cause ? ` (${e.cause})` : ''}`;
      default: return `${t} ${e.type}`;
    }
  }

  /** Compact, comparable lines for the events of `types` (optionally of one session, or prefixed with it). */
  function trace(types: readonly string[] = DEFAULT_TRACE, opts: { session?: string; prefix?: boolean } = {}): string[] {
    return events
      .filter((e) => types.includes(e.type) && (opts.session === undefined || !('sessionId' in e) || e.sessionId === opts.session))
      .map((e) => (opts.prefix && 'sessionId' in e ? `[${e.sessionId}] ${line(e)}` : line(e)));
  }

  function of<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[] {
    return events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  }

  /** Lets the virtual clock run until no timer is pending (the calls' far ends finish what they do). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 10_000 && clock.pendingTimers().length > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Closes everything and checks that nothing was left: live legs, hand-offs, timers, sessions. */
  async function dispose(): Promise<void> {
    await closeWorld({ engine, sim, calls, clock, source }, settle, recordingsDir);
  }

  return { clock, sim, calls, source, engine, outbox, events, recordingsDir, ring, inbound, run, trace, of, settle, dispose };
}
