/**
 * Runs a scenario: builds the simulated switch, the call layer, the scenario's script source and
 * the engine on one clock, places the call the scenario describes, and collects every event until
 * nothing can happen any more (or the time limit is reached). The result feeds the output formats
 * and the expectations.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RealClock, VirtualClock } from '../calls/clock.js';
import type { CallEvent } from '../calls/events.js';
import type { PartyBehaviour } from '../calls/sim/directory.js';
import { SimSwitch } from '../calls/sim/sim-switch.js';
import type { OzmlConfig } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import type { EndCause, SessionEvent, SessionStart } from '../engine/index.js';
import { compileDocument } from '../language/index.js';
import type { Diagnostic } from '../language/index.js';
import { createPlatform, InMemoryCallRegistry, sequentialIds, UnknownAppError } from '../platform/index.js';
import type { CallTicket, Platform, PlatformEvent } from '../platform/index.js';
import { DryRunClock } from './clock.js';
import { fromEngineEvent, runEvent, secondsSince } from './events.js';
import type { DryRunEvent, RunEventBody } from './events.js';
import { ScenarioError } from './scenario/load.js';
import type { Scenario, ScenarioCall } from './scenario/types.js';
import { SCRIPT_ORIGIN } from './scenario/types.js';
import { ScenarioSource } from './source.js';
import type { ServedRoute } from './source.js';

export interface RunOptions {
  /** Wall-clock time instead of the virtual clock. */
  realtime?: boolean;
  /** Record the HTTP exchanges of pass-through webhooks to this directory. */
  recordDir?: string;
  /** Answer pass-through webhooks from a recording (no network). */
  replayDir?: string;
  /** A loaded config; default: the scenario's `config` file, if any. */
  config?: OzmlConfig;
  /** Called for every event as it happens (streaming output). */
  onEvent?: (event: DryRunEvent) => void;
}

export interface RunResult {
  scenario: Scenario;
  events: DryRunEvent[];
  /** How the scenario's call session ended; null when no session ran on it (e.g. the call was never answered). */
  cause: EndCause | null;
  /** The run was stopped at the time limit. */
  stopped: boolean;
  /** Seconds of call time the run took. */
  seconds: number;
}

/** The script cannot run at all (direction `none` with a script that does not compile). */
export class ScriptError extends Error {
  constructor(message: string, readonly diagnostics: readonly Diagnostic[]) {
    super(message);
    this.name = 'ScriptError';
  }
}

/** Leg release cause for calls still up when the run ends. */
export const END_OF_RUN_CAUSE = 'end-of-run';

/** How long (wall time) nothing may move in a virtual run before it counts as stuck. */
const STUCK_AFTER_MS = 50;

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const config = options.config ?? (scenario.config ? await loadConfig(scenario.config) : undefined);
  const realtime = options.realtime === true;
  const inner = realtime ? new RealClock() : new VirtualClock({ startTime: scenario.clock.startMs });
  const startMs = realtime ? inner.now() : scenario.clock.startMs;
  const limitAt = startMs + scenario.clock.maxMs;
  const clock = new DryRunClock(inner, realtime ? {} : { limitAt });
  const recordingsDir = await mkdtemp(path.join(tmpdir(), 'ozml-dryrun-'));

  const events: DryRunEvent[] = [];
  // Streaming starts once run.started is in place (placing the call produces events before it).
  let streaming = false;
  const publish = (event: DryRunEvent): void => {
    events.push(event);
    if (streaming) options.onEvent?.(event);
  };
  const emit = (body: RunEventBody): void => publish(runEvent(body, secondsSince(startMs, clock.now())));

  const call = scenario.call;
  const registry = new InMemoryCallRegistry({ ids: sequentialIds() });
  // The switch routes the platform's own service addresses back to it (set once the platform exists).
  let platform: Platform | undefined;
  const sim = simulatedSwitch(scenario, clock, recordingsDir, {
    loopback: (address) => platform?.answersAddress(address) ?? false,
    newInboundId: () => registry.ids.next('call'),
  });
  let keys = 0;
  let source: ScenarioSource | undefined;
  try {
    platform = createPlatform({
      ...(config ? { config } : {}),
      switch: sim,
      clock,
      registry,
      ...(scenario.app !== undefined ? { app: scenario.app } : {}),
      // A service the scenario simulates as a party is the switch's, not a script's.
      switchServices: Object.keys(scenario.services),
      apiExtension: call.apiExtension,
      // The platform's arrays (docs/dry-run.md, `arrays`): every session starts with them.
      arrays: scenario.arrays,
      source: ({ app, compile, http }) => (source = new ScenarioSource({
        routes: servedRoutes(scenario),
        passThroughUnmatched: scenario.passThroughUnmatched,
        app,
        compile,
        clock,
        emit,
        http: (hooks) => http({
          ...hooks,
          // The dry run's own failure policy sends Error notifications and tries FallbackUrl.
          app: { ...app, errorUrl: undefined, fallbackUrl: undefined },
          ...(options.recordDir !== undefined ? { recordDir: options.recordDir } : {}),
          ...(options.replayDir !== undefined ? { replayDir: options.replayDir } : {}),
          // Signatures carry the wall-clock time (a real app's replay protection checks it); the
          // notification's own Timestamp parameter is on the run's clock.
          idempotencyKey: () => `${scenario.seed}-${++keys}`,
        }),
      })),
    });
  } catch (error) {
    await rm(recordingsDir, { recursive: true, force: true });
    if (error instanceof UnknownAppError) throw new ScenarioError(scenario.path ?? scenario.name, [`app: ${error.message}`]);
    throw error;
  }
  const { engine, calls } = platform;

  // Leg events straight from the call layer (they keep coming after the engine is closed),
  // session events from the engine; both arrive synchronously, so the order is the true one.
  const unsubscribeCalls = calls.subscribe((event: CallEvent) => publish(fromEngineEvent(event, startMs, recordingsDir)));
  const unsubscribeEngine = engine.events.subscribe((event) => {
    if ('sessionId' in event) publish(fromEngineEvent(event as SessionEvent, startMs, recordingsDir));
  });
  const unsubscribePlatform = platform.events.subscribe((event) => publish(fromPlatformEvent(event, startMs)));

  try {
    const ticket = await startCall(scenario, platform, sim);
    // run.started comes first although placing the call above already produced leg events.
    events.unshift(runEvent({
      type: 'run.started', scenario: scenario.name, script: scenario.script, direction: call.direction, context: call.context,
      from: call.from, to: call.to, clock: new Date(startMs).toISOString(), leg: call.direction === 'none' ? null : ticket.callId,
    }, 0));
    streaming = true;
    if (options.onEvent) for (const event of events) options.onEvent(event);
    let cause: EndCause | null = null;
    void ticket.cause.then((c) => { cause = c; });
    scheduleNotifications(scenario, ticket, platform, clock);
    let placement: { error: unknown } | undefined;
    scheduleCalls(scenario, platform, sim, clock, (error) => { placement ??= { error }; });

    const running = platform;
    const stopped = await settle({ platform: running, source: source!, clock, realtime, limitAt });
    if (stopped && !realtime) await clock.sleep(Math.max(0, limitAt - clock.now()));
    await platform.close({ endCause: END_OF_RUN_CAUSE });
    clock.dropParked();
    const failure = platform.failure ?? placement;
    if (failure) throw failure.error;
    const seconds = secondsSince(startMs, clock.now());
    const sessions = events.filter((e) => e.type === 'session.started').length;
    emit({ type: 'run.ended', cause, seconds, sessions, stopped: stopped ? 'max-seconds' : null });
    return { scenario, events, cause, stopped, seconds };
  } finally {
    unsubscribeCalls();
    unsubscribeEngine();
    unsubscribePlatform();
    await rm(recordingsDir, { recursive: true, force: true });
  }
}

/** A platform event as a dry-run event (`time` becomes `t`). */
function fromPlatformEvent(event: PlatformEvent, startMs: number): DryRunEvent {
  const { time, type, ...rest } = event;
  return { t: secondsSince(startMs, time), type, ...rest } as DryRunEvent;
}

/** Places the scenario's call (or, direction `none`, runs its script as an API command). */
async function startCall(scenario: Scenario, platform: Platform, sim: SimSwitch): Promise<CallTicket> {
  const call = scenario.call;
  if (call.direction === 'none') return platform.runCommand(await directStart(scenario), { caller: call.from, callee: call.to });
  return placeCall(call, platform, sim);
}

/** A multi-call scenario's further calls, each placed at its time. */
function scheduleCalls(scenario: Scenario, platform: Platform, sim: SimSwitch, clock: DryRunClock, onFailure: (error: unknown) => void): void {
  for (const call of scenario.calls) {
    clock.setTimer(call.atMs, () => {
      try {
        placeCall(call, platform, sim);
      } catch (error) {
        onFailure(error); // e.g. a fixed id that a live leg already has: the run fails with it
      }
    }, 'scenario call');
  }
}

/** Places one inbound or outbound call of the scenario; the platform decides what answers it. */
function placeCall(call: ScenarioCall, platform: Platform, sim: SimSwitch): CallTicket {
  if (call.direction === 'outbound') {
    return platform.placeCall({ from: call.from, to: call.to, url: call.url, notification: call.notification, params: call.params }, call.id !== undefined ? { callId: call.id } : {});
  }
  const callId = call.id ?? platform.ids.next('call');
  const ticket = platform.assign(callId, {
    context: call.context === 'routing' || call.context === 'third-party' ? call.context : 'api-extension',
    url: call.url,
    notification: call.notification,
    params: call.params,
    ...(call.displayName !== undefined ? { displayName: call.displayName } : {}),
  });
  sim.placeInboundCall({
    legId: callId,
    from: call.from,
    to: call.to,
    ...(call.displayName !== undefined ? { displayName: call.displayName } : {}),
    ...(call.internal ? { internal: true } : {}),
    ...(call.diversions.length > 0 ? { diversions: call.diversions } : {}),
    behaviour: call.behaviour,
  });
  return ticket;
}

/** The scenario's `notifications`: sent at their times about the call they name. */
function scheduleNotifications(scenario: Scenario, ticket: CallTicket, platform: Platform, clock: DryRunClock): void {
  const mainLeg = scenario.call.direction === 'none' ? undefined : ticket.callId;
  for (const trigger of scenario.triggers) {
    clock.setTimer(trigger.atMs, () => {
      const legId = trigger.call === 'caller' ? mainLeg : trigger.call;
      platform.notify({ callId: legId ?? 'none', name: trigger.name, url: trigger.url, params: trigger.params, caller: scenario.call.from, callee: scenario.call.to });
    }, 'scenario notification');
  }
}

/** Waits until nothing can happen any more. Returns true when the run hit the time limit instead. */
async function settle(run: {
  platform: Platform;
  source: ScenarioSource;
  clock: DryRunClock;
  realtime: boolean;
  limitAt: number;
}): Promise<boolean> {
  const { platform, source, clock } = run;
  const working = (): boolean => platform.busy || source.inflight > 0 || clock.moving || clock.parked > 0;
  let idleSince: number | undefined;
  for (;;) {
    if (!working()) return false;
    if (run.realtime) {
      if (clock.now() >= run.limitAt) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    if (clock.held) {
      // Real I/O (a webhook, a file) holds virtual time: nothing moves until it lets go, so wait
      // for that instead of spinning (a slow webhook used to cost a core).
      idleSince = undefined;
      await clock.released();
      continue;
    }
    if (clock.moving || source.inflight > 0) {
      // The virtual clock fires its timers one per turn of the event loop: let it.
      idleSince = undefined;
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    // Nothing can move virtual time: what is left waits past the limit, or for ever.
    idleSince ??= Date.now();
    if (Date.now() - idleSince > STUCK_AFTER_MS) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The switch with the scenario's parties, services and media settings. */
function simulatedSwitch(
  scenario: Scenario,
  clock: DryRunClock,
  recordingsDir: string,
  platform: { loopback: (address: string) => boolean; newInboundId: () => string },
): SimSwitch {
  const call = scenario.call;
  const directory: Record<string, PartyBehaviour> = { ...scenario.parties };
  for (const [name, behaviour] of Object.entries(scenario.services)) directory[`service:${name}`] = behaviour;
  // Outbound, a call's behaviour is the called party's.
  for (const placed of [call, ...scenario.calls]) {
    if (placed.direction === 'outbound') directory[placed.to] = { ...directory[placed.to], ...placed.behaviour };
  }
  return new SimSwitch({
    clock,
    directory,
    ...(scenario.defaultParty ? { defaultBehaviour: scenario.defaultParty } : {}),
    mediaRoot: scenario.baseDir,
    recordingsDir,
    loopback: platform.loopback,
    newInboundId: platform.newInboundId,
    recordingsBaseUrl: scenario.recordingsBaseUrl,
    ...(scenario.media.defaultAudioSeconds !== undefined ? { defaultAudioSeconds: scenario.media.defaultAudioSeconds } : {}),
    ...(scenario.media.wordsPerMinute !== undefined ? { speech: { wordsPerMinute: scenario.media.wordsPerMinute } } : {}),
  });
}

/** Direction `none`: the script runs as an API command, with no call and no notification. */
async function directStart(scenario: Scenario): Promise<SessionStart> {
  if (!scenario.scriptFile) return { url: scenario.call.url, notification: 'IncomingCall' };
  const text = await readFile(scenario.scriptFile);
  const { program, diagnostics } = compileDocument(text, { context: scenario.call.context, url: scenario.call.url });
  if (!program) throw new ScriptError(`${scenario.script} does not compile`, diagnostics.filter((d) => d.severity === 'error'));
  return { program, url: scenario.call.url };
}

/** The scenario's webhooks, then each call's script and the files next to the scenario's script. */
function servedRoutes(scenario: Scenario): ServedRoute[] {
  const routes: ServedRoute[] = [...scenario.webhooks];
  for (const call of scenario.calls) if (call.scriptFile) routes.push({ url: call.url, replies: [{ file: call.scriptFile }] });
  if (scenario.scriptFile) {
    routes.push({ url: scenario.call.url, replies: [{ file: scenario.scriptFile }] });
    if (scenario.call.url.startsWith(SCRIPT_ORIGIN)) routes.push({ url: `${SCRIPT_ORIGIN}**`, replies: [{ dir: path.dirname(scenario.scriptFile) }] });
  }
  return routes;
}
