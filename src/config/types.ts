/**
 * The loaded, validated and normalised `ozml.config.json`: defaults applied, paths absolute,
 * relative app URLs resolved against `publicBaseUrl`, secrets read from the environment.
 */
import type { DocumentContext, RuleSetting } from '../language/types.js';
import type { ServeConfig } from './serve.js';

export interface AppTimeouts {
  connectMs: number;
  /** Time to the response headers, and each silence while the body streams. */
  readMs: number;
  /** The whole notification: all attempts, backoff and redirects. */
  totalMs: number;
}

/** How notifications are encoded (docs/webhooks.md). */
export const BODY_FORMATS = ['form', 'json'] as const;

export interface AppConfig {
  incomingCallUrl?: string;
  errorUrl?: string;
  fallbackUrl?: string;
  secret?: string;
  keyId?: string;
  bodyFormat: (typeof BODY_FORMATS)[number];
  timeouts: AppTimeouts;
  retries: number;
  retryBackoffMs: number;
  maxBodyBytes: number;
  allowAddresses: string[];
  publicBaseUrl?: string;
}

/** An audio file or URL, or a generated tone: 1–2 frequencies and an on/off cadence in ms. */
export type ToneDefinition = string | { frequencies: number[]; cadenceMs?: number[]; level?: number };

export interface LintContextMapping {
  /** Glob relative to the config file's directory. */
  files: string;
  context: DocumentContext;
}

export interface LintConfig {
  /** Rule id → severity (`warn` in the file becomes `warning`). */
  rules: Record<string, RuleSetting>;
  contexts: LintContextMapping[];
  /** Variables the notifications define (silences undefined-variable for them); absent when none are listed. */
  knownVariables?: string[];
  /** Arrays the platform provides besides `voicemails`; absent when none are listed. */
  knownArrays?: string[];
}

export interface OzmlConfig {
  /** Absolute path of the file it came from (absent for configs validated from memory). */
  path?: string;
  /** Directory relative paths were resolved against. */
  baseDir: string;
  apps: Record<string, AppConfig>;
  ownedNumbers: string[];
  /** Service name → absolute file path or http(s) URL. */
  services: Record<string, string>;
  tones: Record<string, ToneDefinition>;
  /** API extensions: number → app name (a key of `apps`). */
  extensions: Record<string, string>;
  /** Platform limits given in the file (the platform's defaults fill the rest: docs/platform.md). */
  limits: Partial<Record<'outboundCallsPerSession' | 'concurrentCallsPerApp' | 'callsPerSecondPerApp', number>>;
  /** Absolute directory. */
  storageRoot?: string;
  lint: LintConfig;
  /** `ozml serve` settings; absent when the file has no `serve` section (see `defaultServeConfig`). */
  serve?: ServeConfig;
}

/** Defaults of docs/webhooks.md (the webhook client has the same values; a test keeps them equal). */
export const APP_DEFAULTS = {
  bodyFormat: 'form',
  connectMs: 5_000,
  totalMs: 15_000,
  retries: 1,
  retryBackoffMs: 250,
  maxBodyBytes: 64 * 1024,
} as const;

/** Tone names every installation has; the config may add others but not redefine these. */
export { BUILTIN_TONES } from '../language/vocabulary/tones.js';
