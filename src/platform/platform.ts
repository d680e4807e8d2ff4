/**
 * `createPlatform`: the one place that builds the call layer, the script source, the engine and
 * the services from a config, for the dry run today and `ozml serve` later (docs/platform.md).
 * Everything a script may name — tones, services, owned numbers, the app's ErrorUrl — reaches
 * lint (the compile options) and the running call (CallControl, the engine) from here, so the two
 * cannot disagree.
 */
import { CallControl } from '../calls/call-control.js';
import type { Clock } from '../calls/clock.js';
import type { Switch } from '../calls/switch.js';
import type { OzmlConfig } from '../config/types.js';
import { Engine, EventHub } from '../engine/index.js';
import type { ArrayItem, EndCause, SessionStart } from '../engine/index.js';
import type { FileStorage } from '../engine/storage.js';
import { HttpScriptSource } from '../webhooks/http-source.js';
import type { HttpScriptSourceOptions } from '../webhooks/http-source.js';
import type { ReplyCompileOptions } from '../webhooks/reply.js';
import type { NotificationName, ScriptSource } from '../webhooks/script-source.js';
import { defaultContextFor } from '../webhooks/script-source.js';
import type { WebhookApp } from '../webhooks/settings.js';
import { Dispatcher } from './dispatcher.js';
import type { CallTicket, InboundPlan } from './dispatcher.js';
import type { PlatformEvent } from './events.js';
import type { IdSource } from './ids.js';
import { sequentialIds } from './ids.js';
import { CallLimits } from './admission.js';
import { DEFAULT_PLATFORM_LIMITS } from './limits.js';
import type { PlatformLimits } from './limits.js';
import { InMemoryCallRegistry } from './registry.js';
import type { CallRegistry } from './registry.js';
import { ServiceDesk, servicesLoopback } from './services.js';
import { callTones } from './tones.js';
import { Work } from './work.js';

/** A script source the platform closes with itself. */
export type PlatformSource = ScriptSource;

/** What a custom script source is built from (the dry run wraps the HTTP source in its webhook map). */
export interface SourceParts {
  app: WebhookApp;
  compile: ReplyCompileOptions;
  /** The HTTP source for `app` (or `options.app`), with the platform's compile options. */
  http(options?: Omit<HttpScriptSourceOptions, 'compile'>): HttpScriptSource;
}

export interface PlatformOptions {
  config?: OzmlConfig;
  switch: Switch;
  clock: Clock;
  /** Where calls are found and ids minted; default an in-memory registry over `ids`. */
  registry?: CallRegistry;
  /** The id source of the default registry (default: counters, as in the dry run). */
  ids?: IdSource;
  /** The app whose webhooks the platform calls: its settings, a name in the config, or (absent) the config's only app. */
  app?: WebhookApp | string;
  /** Services the switch answers by itself (simulated), which the service desk leaves alone. */
  switchServices?: readonly string[];
  /** Builds the script source; default the HTTP source for the app. */
  source?: (parts: SourceParts) => PlatformSource;
  /** The API extension number sessions answer as (default 9000). */
  apiExtension?: string;
  /** The source waits on `clock` itself (a LocalScriptSource on the virtual clock): see EngineOptions. */
  sourceUsesClock?: boolean;
  limits?: Partial<PlatformLimits>;
  /** Arrays every session starts with (the dry run's `arrays`; e.g. `voicemails`). */
  arrays?: Readonly<Record<string, readonly ArrayItem[]>>;
  /** Where MoveFile/DeleteFile act; default the config's storageRoot on disk (the dry run: an overlay). */
  storage?: FileStorage;
}

/** An app name the config does not have. */
export class UnknownAppError extends Error {
  constructor(readonly app: string, readonly known: readonly string[]) {
    super(`no app "${app}" in the config (apps: ${known.length > 0 ? known.join(', ') : 'none'})`);
    this.name = 'UnknownAppError';
  }
}

/** An outbound call the platform places: dial `to`; once answered, run the app's document from `url`. */
export interface OutboundPlan {
  from: string;
  to: string;
  url: string;
  notification: NotificationName;
  params: Readonly<Record<string, string>>;
}

/** A notification about a call, sent at the platform's initiative (a third-party session on that call). */
export interface CallNotification {
  callId: string;
  name: NotificationName;
  url: string;
  params: Readonly<Record<string, string>>;
  /** Caller and callee to report when the call is not (or no longer) live. */
  caller: string;
  callee: string;
}

export interface Platform {
  readonly calls: CallControl;
  readonly engine: Engine;
  readonly registry: CallRegistry;
  readonly ids: IdSource;
  readonly source: PlatformSource;
  readonly app: WebhookApp;
  /** What documents are compiled with (lint and run agree): services, tones, rule settings. */
  readonly compile: ReplyCompileOptions;
  readonly limits: PlatformLimits;
  readonly events: EventHub<PlatformEvent>;
  /** True for addresses the switch must route back to this platform (its own services). */
  answersAddress(address: string): boolean;
  /** Handles the inbound leg `callId` as `plan` when it rings in (assign before the switch places it). */
  assign(callId: string, plan: InboundPlan): CallTicket;
  /** Dials `plan.to`; once answered, the app's document runs on the call. */
  placeCall(plan: OutboundPlan, options?: { callId?: string }): CallTicket;
  /** Runs a document with no call (an API command). */
  runCommand(start: SessionStart, who: { caller: string; callee: string }): CallTicket;
  /** Sends a notification about a call; its reply runs as a third-party session. */
  notify(notification: CallNotification): void;
  /** Sessions running, or platform work (routing, dialling, connecting) in flight. */
  readonly busy: boolean;
  /** The first failure of the platform's own work (a defect): whoever runs the platform reports it. */
  readonly failure: { error: unknown } | undefined;
  /** Stops everything: sessions end, live legs are hung up with `endCause`, the source closes. */
  close(options?: { endCause?: string }): Promise<void>;
}

export function createPlatform(options: PlatformOptions): Platform {
  const { config, clock } = options;
  const registry = options.registry ?? new InMemoryCallRegistry({ ids: options.ids ?? sequentialIds() });
  const ids = registry.ids;
  const app = resolveApp(config, options.app);
  const limits: PlatformLimits = { ...DEFAULT_PLATFORM_LIMITS, ...config?.limits, ...options.limits };

  const switchServices = new Set(options.switchServices ?? []);
  // The config's services run their own scripts, unless the switch answers a service of that name.
  const scripts = Object.fromEntries(Object.entries(config?.services ?? {}).filter(([name]) => !switchServices.has(name)));
  const serviceNames = [...new Set([...switchServices, ...Object.keys(config?.services ?? {})])];
  const toneNames = Object.keys(config?.tones ?? {});
  const compile: ReplyCompileOptions = {
    ...(serviceNames.length > 0 ? { services: serviceNames } : {}),
    ...(toneNames.length > 0 ? { tones: toneNames } : {}),
    ...(config ? { rules: config.lint.rules } : {}),
  };

  const calls = new CallControl(options.switch, {
    clock,
    ownedNumbers: config?.ownedNumbers ?? [],
    tones: callTones(config?.tones ?? {}),
    newLegId: () => ids.next('leg'),
  });
  const untrack = registry.track(calls);
  const http = (extra: Omit<HttpScriptSourceOptions, 'compile'> = {}): HttpScriptSource => new HttpScriptSource({ app, ...extra, compile });
  const source: PlatformSource = options.source ? options.source({ app, compile, http }) : http();
  const events = new EventHub<PlatformEvent>();
  const appName = typeof options.app === 'string' ? options.app : Object.keys(config?.apps ?? {}).find((name) => config?.apps[name] === app) ?? 'default';
  const admission = new CallLimits(limits, { app: appName, now: () => clock.now(), emit: (event) => events.emit(event) });
  const engine = new Engine({
    calls,
    admission,
    source,
    services: serviceNames,
    tones: toneNames,
    newSessionId: () => ids.next('session'),
    ...(options.apiExtension !== undefined ? { apiExtension: options.apiExtension } : {}),
    ...(options.storage ? { storage: options.storage } : config?.storageRoot ? { storageRoot: config.storageRoot } : {}),
    // Errors the engine detects itself (a limit, a Call never answered) go to the app's ErrorUrl.
    ...(app.errorUrl ? { errorUrl: app.errorUrl } : {}),
    ...(options.sourceUsesClock ? { sourceUsesClock: true } : {}),
    ...(options.arrays ? { arrays: options.arrays } : {}),
  });
  const work = new Work();
  const hasScripts = Object.keys(scripts).length > 0;
  const desk = hasScripts ? new ServiceDesk({ engine, calls, scripts, serviceNames, tones: toneNames }) : undefined;
  const loopback = hasScripts ? servicesLoopback(scripts) : () => false;
  const extensions = config?.extensions ?? {};
  const dispatcher = new Dispatcher({
    calls, engine, work, emit: (event) => events.emit(event),
    extension: (number) => {
      const name = Object.hasOwn(extensions, number) ? extensions[number]! : undefined;
      const target = name === undefined ? undefined : config?.apps[name];
      if (!target?.incomingCallUrl) return undefined;
      return { context: 'api-extension', url: target.incomingCallUrl, notification: 'IncomingCall', params: {} };
    },
  });

  const ticket = (callId: string, run: (onCause: (cause: EndCause) => void) => Promise<void>): CallTicket => {
    let settle!: (cause: EndCause | null) => void;
    const cause = new Promise<EndCause | null>((resolve) => { settle = resolve; });
    let ended: EndCause | null = null;
    work.run(() => run((c) => { ended = c; }).finally(() => settle(ended)));
    return { callId, cause };
  };

  return {
    calls, engine, registry, ids, source, app, compile, limits, events,
    answersAddress: loopback,
    assign: (callId, plan) => dispatcher.assign(callId, plan),
    placeCall(plan, placeOptions = {}) {
      const leg = calls.createChannel(...(placeOptions.callId !== undefined ? [placeOptions.callId] : []));
      return ticket(leg.id, async (onCause) => {
        if ((await leg.dial(plan.to, { from: plan.from })) !== 'answered') return;
        const handle = engine.start({
          channel: leg, direction: 'outbound', caller: plan.from, callee: plan.to,
          start: { url: plan.url, notification: plan.notification, context: 'api-extension', params: { ...plan.params } },
        });
        onCause((await handle.done).cause);
      });
    },
    runCommand(start, who) {
      const handle = engine.start({ caller: who.caller, callee: who.callee, direction: 'outbound', start });
      return ticket(handle.id, async (onCause) => onCause((await handle.done).cause));
    },
    notify(n) {
      const snapshot = calls.channel(n.callId)?.snapshot();
      engine.start({
        callId: n.callId,
        caller: snapshot?.caller ?? n.caller,
        callee: snapshot?.callee ?? n.callee,
        start: { url: n.url, notification: n.name, context: defaultContextFor(n.name), params: { CallState: snapshot?.names.ozeki ?? 'Completed', ...n.params } },
      });
    },
    get busy() {
      return engine.liveSessions > 0 || work.size > 0;
    },
    get failure() {
      return work.failure;
    },
    async close(closeOptions = {}) {
      await desk?.close();
      await engine.close();
      dispatcher.close();
      await work.drained();
      const endCause = closeOptions.endCause ?? 'normal';
      for (const leg of calls.liveChannels()) {
        if (leg.can('hangup')) await leg.hangup(endCause);
        else if (leg.can('reject')) await leg.reject('rejected');
      }
      calls.close();
      untrack();
      await source.close();
    },
  };
}

/** The app's webhook settings: given, a named app of the config, or the config's only app. */
export function resolveApp(config: OzmlConfig | undefined, app: WebhookApp | string | undefined): WebhookApp {
  const apps = config?.apps ?? {};
  if (typeof app === 'object') return app;
  if (typeof app === 'string') {
    const found = Object.hasOwn(apps, app) ? apps[app] : undefined;
    if (!found) throw new UnknownAppError(app, Object.keys(apps));
    return found;
  }
  const only = Object.values(apps);
  return only.length === 1 ? only[0]! : {};
}
