/**
 * Runs a scenario: builds the simulated switch, the call layer, the scenario's script source and
 * the engine on one clock, places the call the scenario describes, and collects every event until
 * nothing can happen any more (or the time limit is reached). The result feeds the output formats
 * and the expectations.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CallControl } from '../calls/call-control.js';
import type { CallChannel } from '../calls/channel.js';
import { RealClock, VirtualClock } from '../calls/clock.js';
import type { CallEvent } from '../calls/events.js';
import type { PartyBehaviour } from '../calls/sim/directory.js';
import { SimSwitch } from '../calls/sim/sim-switch.js';
import type { OzmlConfig } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import { Engine, servicesLoopback } from '../engine/index.js';
import type { EndCause, SessionEvent, SessionHandle, SessionStart } from '../engine/index.js';
import { compileDocument } from '../language/index.js';
import type { Diagnostic } from '../language/index.js';
import { defaultContextFor, HttpScriptSource } from '../webhooks/index.js';
import type { WebhookApp } from '../webhooks/index.js';
import { DryRunClock } from './clock.js';
import { fromEngineEvent, runEvent, secondsSince } from './events.js';
import type { DryRunEvent, RunEventBody } from './events.js';
import { routeCall } from './routing.js';
import { ScenarioError } from './scenario/load.js';
import type { Scenario } from './scenario/types.js';
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
  const app = appOf(scenario, config);
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
  // Services of the config run their own scripts (a second session answers the transfer), unless
  // the scenario simulates a service of the same name as a party.
  const scripts = Object.fromEntries(Object.entries(config?.services ?? {}).filter(([name]) => !Object.hasOwn(scenario.services, name)));
  const runsScripts = Object.keys(scripts).length > 0;
  const sim = simulatedSwitch(scenario, clock, recordingsDir, runsScripts ? servicesLoopback(scripts) : undefined);
  const calls = new CallControl(sim, { clock, ownedNumbers: config?.ownedNumbers ?? [] });

  const serviceNames = [...new Set([...Object.keys(scenario.services), ...Object.keys(config?.services ?? {})])];
  const toneNames = Object.keys(config?.tones ?? {});
  const compile = {
    ...(serviceNames.length > 0 ? { services: serviceNames } : {}),
    ...(toneNames.length > 0 ? { tones: toneNames } : {}),
    ...(config ? { rules: config.lint.rules } : {}),
  };
  let keys = 0;
  const source = new ScenarioSource({
    routes: servedRoutes(scenario),
    passThroughUnmatched: scenario.passThroughUnmatched,
    app,
    compile,
    clock,
    emit,
    http: (hooks) => new HttpScriptSource({
      ...hooks,
      // The dry run's own failure policy sends Error notifications and tries FallbackUrl.
      app: { ...app, errorUrl: undefined, fallbackUrl: undefined },
      ...(options.recordDir !== undefined ? { recordDir: options.recordDir } : {}),
      ...(options.replayDir !== undefined ? { replayDir: options.replayDir } : {}),
      // Signatures carry the wall-clock time (a real app's replay protection checks it); the
      // notification's own Timestamp parameter is on the run's clock.
      idempotencyKey: () => `${scenario.seed}-${++keys}`,
      compile,
    }),
  });
  const engine = new Engine({
    calls,
    source,
    services: runsScripts ? scripts : serviceNames,
    tones: toneNames,
    apiExtension: call.apiExtension,
    ...(config?.storageRoot ? { storageRoot: config.storageRoot } : {}),
  });

  // Leg events straight from the call layer (they keep coming after the engine is closed),
  // session events from the engine; both arrive synchronously, so the order is the true one.
  const unsubscribeCalls = calls.subscribe((event: CallEvent) => publish(fromEngineEvent(event, startMs, recordingsDir)));
  const unsubscribeEngine = engine.events.subscribe((event) => {
    if ('sessionId' in event) publish(fromEngineEvent(event as SessionEvent, startMs, recordingsDir));
  });

  let cause: EndCause | null = null;
  let flows = 0;
  let failure: unknown;
  const flow = (work: () => Promise<void>): void => {
    flows++;
    work().catch((error: unknown) => { failure ??= error; }).finally(() => { flows--; });
  };

  let mainLeg: CallChannel | undefined;
  if (call.direction === 'outbound') mainLeg = calls.createChannel();
  else if (call.direction === 'inbound') {
    const legId = sim.placeInboundCall({
      from: call.from,
      to: call.to,
      ...(call.displayName !== undefined ? { displayName: call.displayName } : {}),
      ...(call.internal ? { internal: true } : {}),
      ...(call.diversions.length > 0 ? { diversions: call.diversions } : {}),
      behaviour: call.behaviour,
    });
    mainLeg = calls.channel(legId);
  }
  // run.started comes first although placing the call above already produced leg events.
  events.unshift(runEvent({
    type: 'run.started', scenario: scenario.name, script: scenario.script, direction: call.direction, context: call.context,
    from: call.from, to: call.to, clock: new Date(startMs).toISOString(), leg: mainLeg?.id ?? null,
  }, 0));
  streaming = true;
  if (options.onEvent) for (const event of events) options.onEvent(event);

  try {
    const started = { engine, calls, emit, flow, onCause: (c: EndCause) => { cause = c; } };
    await startCall(scenario, mainLeg, started);
    scheduleNotifications(scenario, mainLeg, started, clock);

    const stopped = await settle({ engine, source, clock, realtime, limitAt, busy: () => flows > 0 });
    if (stopped && !realtime) await clock.sleep(Math.max(0, limitAt - clock.now()));
    await engine.close();
    for (const leg of calls.liveChannels()) if (leg.can('hangup')) await leg.hangup(END_OF_RUN_CAUSE).catch(() => {});
    calls.close();
    clock.dropParked();
    await source.close();
    if (failure) throw failure;
    const seconds = secondsSince(startMs, clock.now());
    const sessions = events.filter((e) => e.type === 'session.started').length;
    emit({ type: 'run.ended', cause, seconds, sessions, stopped: stopped ? 'max-seconds' : null });
    return { scenario, events, cause, stopped, seconds };
  } finally {
    unsubscribeCalls();
    unsubscribeEngine();
    await rm(recordingsDir, { recursive: true, force: true });
  }
}

interface CallStarter {
  engine: Engine;
  calls: CallControl;
  emit: (body: RunEventBody) => void;
  /** Runs work the run must wait for. */
  flow: (work: () => Promise<void>) => void;
  /** Reports how the scenario call's session ended. */
  onCause: (cause: EndCause) => void;
}

/** Starts the scenario's call: the first session on it, or the platform's part (dialling, routing, connecting). */
async function startCall(scenario: Scenario, mainLeg: CallChannel | undefined, { engine, emit, flow, onCause }: CallStarter): Promise<void> {
  const call = scenario.call;
  const first = { url: call.url, notification: call.notification, context: call.context, params: call.params };
  // The platform's arrays (docs/dry-run.md, `arrays`): every session of the call starts with them.
  const arrays = scenario.arrays;
  const follow = (handle: SessionHandle): Promise<void> => handle.done.then((result) => onCause(result.cause));
  if (call.direction === 'none') {
    const handle = engine.start({ caller: call.from, callee: call.to, direction: 'outbound', start: await directStart(scenario), arrays });
    flow(() => follow(handle));
    return;
  }
  const leg = mainLeg!;
  if (call.direction === 'outbound') {
    flow(async () => {
      if ((await leg.dial(call.to, { from: call.from })) !== 'answered') return;
      await follow(engine.start({ channel: leg, direction: 'outbound', caller: call.from, callee: call.to, start: first, arrays }));
    });
  } else if (call.context === 'routing') {
    flow(() => routeCall({ engine, caller: leg, call, emit, onFirstCause: onCause }));
  } else if (call.context === 'third-party') {
    flow(async () => {
      // A call the platform connects by itself (no API extension); the app hears about it.
      await leg.answer();
      const joined = await leg.singleStepConference(call.to, { callerId: 'caller' });
      if (joined.cause !== 'completed') return;
      const params = { CallState: leg.snapshot().names.ozeki ?? 'InCall', ...call.params };
      await follow(engine.start({ callId: leg.id, caller: call.from, callee: call.to, start: { ...first, params }, arrays }));
    });
  } else {
    const handle = engine.start({ channel: leg, start: first, arrays });
    flow(() => follow(handle));
  }
}

/** The scenario's `notifications`: sent at their times about the call they name. */
function scheduleNotifications(scenario: Scenario, mainLeg: CallChannel | undefined, { engine, calls }: CallStarter, clock: DryRunClock): void {
  for (const trigger of scenario.triggers) {
    clock.setTimer(trigger.atMs, () => {
      const legId = trigger.call === 'caller' ? mainLeg?.id : trigger.call;
      const snapshot = legId === undefined ? undefined : calls.channel(legId)?.snapshot();
      engine.start({
        arrays: scenario.arrays,
        callId: legId ?? 'none',
        caller: snapshot?.caller ?? scenario.call.from,
        callee: snapshot?.callee ?? scenario.call.to,
        start: {
          url: trigger.url, notification: trigger.name, context: defaultContextFor(trigger.name),
          params: { CallState: snapshot?.names.ozeki ?? 'Completed', ...trigger.params },
        },
      });
    }, 'scenario notification');
  }
}

/** Waits until nothing can happen any more. Returns true when the run hit the time limit instead. */
async function settle(run: {
  engine: Engine;
  source: ScenarioSource;
  clock: DryRunClock;
  realtime: boolean;
  limitAt: number;
  busy: () => boolean;
}): Promise<boolean> {
  const { engine, source, clock } = run;
  const working = (): boolean => engine.liveSessions > 0 || source.inflight > 0 || run.busy() || clock.moving || clock.parked > 0;
  let idleSince: number | undefined;
  for (;;) {
    if (!working()) return false;
    if (run.realtime) {
      if (clock.now() >= run.limitAt) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    if (clock.moving || source.inflight > 0) {
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
  loopback: ((address: string) => boolean) | undefined,
): SimSwitch {
  const call = scenario.call;
  const directory: Record<string, PartyBehaviour> = { ...scenario.parties };
  for (const [name, behaviour] of Object.entries(scenario.services)) directory[`service:${name}`] = behaviour;
  // Outbound, the scenario's call behaviour is the called party's.
  if (call.direction === 'outbound') directory[call.to] = { ...directory[call.to], ...call.behaviour };
  return new SimSwitch({
    clock,
    directory,
    ...(scenario.defaultParty ? { defaultBehaviour: scenario.defaultParty } : {}),
    mediaRoot: scenario.baseDir,
    recordingsDir,
    ...(loopback ? { loopback } : {}),
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

/** The scenario's webhooks, then the script itself and the files next to it. */
function servedRoutes(scenario: Scenario): ServedRoute[] {
  const routes: ServedRoute[] = [...scenario.webhooks];
  if (scenario.scriptFile) {
    routes.push({ url: scenario.call.url, replies: [{ file: scenario.scriptFile }] });
    if (scenario.call.url.startsWith(SCRIPT_ORIGIN)) routes.push({ url: `${SCRIPT_ORIGIN}**`, replies: [{ dir: path.dirname(scenario.scriptFile) }] });
  }
  return routes;
}

/** Webhook settings: the scenario's own, a named app of the config, or the config's only app. */
function appOf(scenario: Scenario, config: OzmlConfig | undefined): WebhookApp {
  const apps = config?.apps ?? {};
  if (typeof scenario.app === 'object') return scenario.app;
  if (typeof scenario.app === 'string') {
    const app = apps[scenario.app];
    if (!app) {
      const known = Object.keys(apps);
      throw new ScenarioError(scenario.path ?? scenario.name, [`app: no app "${scenario.app}" in the config (apps: ${known.length > 0 ? known.join(', ') : 'none'})`]);
    }
    return app;
  }
  const only = Object.values(apps);
  return only.length === 1 ? only[0]! : {};
}
