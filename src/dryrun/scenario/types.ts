/**
 * A dry-run scenario: the call, the simulated parties and services, the webhook map, the clock and
 * the expectations. `ScenarioFile` is the shape of a `*.scenario.yaml|json` file (see
 * schemas/scenario.schema.json); `Scenario` is the same after loading: defaults applied, paths
 * absolute, shorthands expanded.
 */
import type { PartyBehaviour } from '../../calls/sim/directory.js';
import type { DiversionReason } from '../../calls/diversion.js';
import type { ArrayItem } from '../../engine/index.js';
import type { DocumentContext } from '../../language/index.js';
import type { NotificationName, WebhookApp } from '../../webhooks/index.js';
import type { Expectation, ExpectationSet } from '../expect/types.js';

/** `inbound`: a caller rings the script; `outbound`: the platform dials and the script runs on answer; `none`: no call (an API command). */
export type CallDirection = 'inbound' | 'outbound' | 'none';

import type { PartyFile } from '../../calls/sim/party-file.js';

export type { PartyFile };

export interface CallFile extends PartyFile {
  /** A fixed call id (the first leg's id), e.g. `HL1bE`. */
  id?: string;
  from?: string;
  to?: string;
  direction?: CallDirection;
  context?: DocumentContext;
  notification?: NotificationName;
  /** The URL the script is served from (relative URLs in it resolve against this). */
  url?: string;
  params?: Record<string, string>;
  displayName?: string;
  internal?: boolean;
  diversions?: ReadonlyArray<{ number: string; reason?: DiversionReason }>;
  apiExtension?: string;
}

/** One more call of a multi-call scenario: placed at `atSeconds`, optionally with its own script. */
export interface PlacedCallFile extends CallFile {
  atSeconds?: number;
  script?: string;
}

/** What a webhook answers. A string starting with `<` is inline OzML, any other string a file path. */
export type ReplyFile =
  | string
  | {
      ozml?: string;
      file?: string;
      status?: number;
      delaySeconds?: number;
      /** `true`: send the request to the real URL; a string: send it to this URL instead. */
      passThrough?: boolean | string;
    };

export interface WebhookEntryFile {
  url: string;
  notification?: NotificationName;
  params?: Record<string, string>;
  ozml?: string;
  file?: string;
  status?: number;
  delaySeconds?: number;
  passThrough?: boolean | string;
  /** Answers in turn, one per matching request; the last one repeats. */
  replies?: ReplyFile[];
}

export interface TriggerFile {
  atSeconds: number;
  name: NotificationName;
  url: string;
  /** The call the notification is about: `caller` (the scenario's call, default) or a leg id. */
  call?: string;
  params?: Record<string, string>;
}

export interface ScenarioFile {
  $schema?: string;
  name?: string;
  description?: string;
  script: string;
  config?: string;
  app?: string | WebhookApp;
  seed?: number | string;
  call?: CallFile;
  calls?: PlacedCallFile[];
  parties?: Record<string, PartyFile>;
  services?: Record<string, PartyFile>;
  webhooks?: Record<string, ReplyFile> | WebhookEntryFile[];
  notifications?: TriggerFile[];
  clock?: { start?: string; maxSeconds?: number };
  recordings?: { baseUrl?: string };
  media?: { defaultAudioSeconds?: number; wordsPerMinute?: number };
  /** Arrays the platform provides (ForEach Source): text items, or items with fields. */
  arrays?: Record<string, ReadonlyArray<string | number | boolean | Record<string, string | number | boolean>>>;
  expect?: Expectation[] | ExpectationSet;
  golden?: string;
}

// ── loaded ─────────────────────────────────────────────────────────────────────────────────

/** One answer of a webhook, ready to serve. `file` is absolute. */
export interface Reply {
  ozml?: string;
  file?: string;
  status?: number;
  delayMs?: number;
  passThrough?: true | string;
}

export interface WebhookRoute {
  /** The URL pattern as written (exact URL, `*`/`**` glob, or a `/path` pattern). */
  url: string;
  notification?: NotificationName;
  params?: Record<string, string>;
  replies: Reply[];
}

export interface Trigger {
  atMs: number;
  name: NotificationName;
  url: string;
  call: string;
  params: Record<string, string>;
}

export interface ScenarioCall {
  /** A fixed call id; absent: the platform mints one when the call is placed. */
  id?: string;
  from: string;
  to: string;
  direction: CallDirection;
  context: DocumentContext;
  notification: NotificationName;
  url: string;
  params: Record<string, string>;
  displayName?: string;
  internal: boolean;
  diversions: ReadonlyArray<{ number: string; reason: DiversionReason }>;
  apiExtension: string;
  /** The caller (inbound) or the called party (outbound). */
  behaviour: PartyBehaviour;
}

/** A further call of the scenario, placed at `atMs` after the run starts. */
export interface PlacedCall extends ScenarioCall {
  atMs: number;
  /** The script as written, and its absolute file (absent when it is a URL); absent: the scenario's script. */
  script?: string;
  scriptFile?: string;
}

export interface Scenario {
  /** Absolute path of the scenario file; absent for runs built from command-line options. */
  path?: string;
  /** Directory relative paths resolve against. */
  baseDir: string;
  name: string;
  /** The script as written (relative path or URL): shown in output, never made absolute. */
  script: string;
  /** Absolute path of a script file; absent when the script is a URL. */
  scriptFile?: string;
  config?: string;
  app?: string | WebhookApp;
  seed: string;
  call: ScenarioCall;
  /** More calls (a multi-call scenario), in the order written. */
  calls: PlacedCall[];
  parties: Record<string, PartyBehaviour>;
  /** Behaviour of numbers not listed in `parties` (`parties['*']`). */
  defaultParty?: PartyBehaviour;
  services: Record<string, PartyBehaviour>;
  webhooks: WebhookRoute[];
  /** Whether URLs no webhook answers go to the network (true when the script is a URL). */
  passThroughUnmatched: boolean;
  triggers: Trigger[];
  clock: { startMs: number; maxMs: number };
  recordingsBaseUrl: string;
  media: { defaultAudioSeconds?: number; wordsPerMinute?: number };
  /** Arrays every session of the run starts with; `voicemails` is always there (empty unless given). */
  arrays: Record<string, ArrayItem[]>;
  expect: ExpectationSet;
  /** Absolute path of the golden NDJSON file. */
  golden?: string;
}

export const DEFAULT_CLOCK_START = '2026-01-01T00:00:00Z';
export const DEFAULT_MAX_SECONDS = 3600;
export const DEFAULT_CALLER = '+15550100001';
export const DEFAULT_API_EXTENSION = '9000';
/** Script files are served from this origin unless `call.url` names another URL. */
export const SCRIPT_ORIGIN = 'https://app.invalid/';
export const DEFAULT_RECORDINGS_URL = 'https://recordings.invalid/';
