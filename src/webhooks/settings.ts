/**
 * Per-app webhook settings (the `apps.<name>` section of ozml.config.json, structurally) and the
 * defaults of docs/webhooks.md.
 */
import type { RetryPolicy, UrlOverrides } from './url-overrides.js';
import { DEFAULT_RETRY_POLICY } from './url-overrides.js';

export type BodyFormat = 'form' | 'json';

/** The fields of a config app this package reads; a loaded config's app object fits as is. */
export interface WebhookApp {
  errorUrl?: string;
  fallbackUrl?: string;
  /** HMAC secret; when set every request is signed. */
  secret?: string;
  /** Sent as `X-OzML-Key-Id` so the app can pick the right secret during rotation. */
  keyId?: string;
  bodyFormat?: BodyFormat;
  timeouts?: { connectMs?: number; readMs?: number; totalMs?: number };
  /** Retries after the first attempt (0–5). */
  retries?: number;
  /** First retry delay; doubles per retry, capped at 5 s. */
  retryBackoffMs?: number;
  maxBodyBytes?: number;
  /** CIDRs, single addresses, or `loopback` / `private` / `link-local`. */
  allowAddresses?: readonly string[];
  /** Base for relative app URLs (ErrorUrl, FallbackUrl, and notification URLs without a document URL). */
  publicBaseUrl?: string;
}

export const WEBHOOK_DEFAULTS = {
  connectMs: 5_000,
  totalMs: 15_000,
  retries: 1,
  retryBackoffMs: 250,
  maxBodyBytes: 64 * 1024,
  bodyFormat: 'form' as BodyFormat,
  maxRedirects: 5,
  maxBackoffMs: 5_000,
} as const;

/** Everything one delivery needs, after app settings and URL overrides are combined. */
export interface DeliverySettings {
  connectMs: number;
  readMs: number;
  totalMs: number;
  retries: number;
  retryPolicy: RetryPolicy;
  retryBackoffMs: number;
  maxBodyBytes: number;
  bodyFormat: BodyFormat;
  secret?: string;
  keyId?: string;
}

export function appSettings(app: WebhookApp = {}): DeliverySettings {
  const totalMs = app.timeouts?.totalMs ?? WEBHOOK_DEFAULTS.totalMs;
  const settings: DeliverySettings = {
    connectMs: app.timeouts?.connectMs ?? WEBHOOK_DEFAULTS.connectMs,
    // Without a read timeout of its own, only the total limit bounds a slow server.
    readMs: app.timeouts?.readMs ?? totalMs,
    totalMs,
    retries: app.retries ?? WEBHOOK_DEFAULTS.retries,
    retryPolicy: { ...DEFAULT_RETRY_POLICY },
    retryBackoffMs: app.retryBackoffMs ?? WEBHOOK_DEFAULTS.retryBackoffMs,
    maxBodyBytes: app.maxBodyBytes ?? WEBHOOK_DEFAULTS.maxBodyBytes,
    bodyFormat: app.bodyFormat ?? WEBHOOK_DEFAULTS.bodyFormat,
  };
  if (app.secret !== undefined) settings.secret = app.secret;
  if (app.keyId !== undefined) settings.keyId = app.keyId;
  return settings;
}

/** Whether a URL's fragment set anything (most URLs have none, and then the app's settings apply as they are). */
export function hasOverrides(overrides: UrlOverrides): boolean {
  for (const _key in overrides) return true;
  return false;
}

export function withOverrides(settings: DeliverySettings, overrides: UrlOverrides): DeliverySettings {
  const totalMs = overrides.totalMs ?? settings.totalMs;
  return {
    ...settings,
    connectMs: overrides.connectMs ?? settings.connectMs,
    readMs: Math.min(overrides.readMs ?? settings.readMs, totalMs),
    totalMs,
    retries: overrides.retries ?? settings.retries,
    retryPolicy: overrides.retryPolicy ?? settings.retryPolicy,
  };
}
