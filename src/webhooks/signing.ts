/**
 * Request signing (docs/webhooks.md): `X-OzML-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `"<t>.<METHOD>.<URL>.<body>"`, with the key id in `X-OzML-Key-Id`. The timestamp inside the
 * signed text gives replay protection; the URL inside it stops a signature being reused elsewhere.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ozml-signature';
export const KEY_ID_HEADER = 'x-ozml-key-id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface SignatureInput {
  secret: string;
  /** Unix time in seconds. */
  timestamp: number;
  method: string;
  /** Absolute URL exactly as requested (no fragment). */
  url: string;
  body: string | Uint8Array;
}

/** Hex HMAC-SHA256 of `t.METHOD.URL.body` (METHOD upper-cased; body as raw bytes). */
export function computeSignature(input: SignatureInput): string {
  const hmac = createHmac('sha256', input.secret);
  hmac.update(`${input.timestamp}.${input.method.toUpperCase()}.${input.url}.`);
  hmac.update(input.body);
  return hmac.digest('hex');
}

/** The value of the `X-OzML-Signature` header. */
export function signatureHeader(input: SignatureInput): string {
  return `t=${input.timestamp},v1=${computeSignature(input)}`;
}

/** Reads `t=…,v1=…` (order-free; several `v1` values are allowed for key rollovers). */
export function parseSignatureHeader(value: string): { timestamp: number; signatures: string[] } | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(val)) return undefined;
      timestamp = Number(val);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(val)) return undefined;
      signatures.push(val.toLowerCase());
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

export interface VerifySignatureOptions {
  /** The shared secret, or key id → secret for rotation (the request's `X-OzML-Key-Id` picks one). */
  secret: string | Readonly<Record<string, string>>;
  /** Request headers (Node's `req.headers` works); alternatively pass `signature`/`keyId`. */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** The `X-OzML-Signature` header value. */
  signature?: string | null;
  /** The `X-OzML-Key-Id` header value. */
  keyId?: string | null;
  method: string;
  /**
   * The request URL: absolute, or the request target (`req.url`, e.g. `/ivr?step=2`) together with
   * `publicBaseUrl` or a `Host` header in `headers`.
   */
  url: string;
  /** The raw body bytes exactly as received (before any parsing). */
  body: string | Uint8Array;
  /**
   * The public URL the interpreter calls, for servers behind a proxy or tunnel that rewrites host,
   * scheme or path prefix: the signed URL is rebuilt as `publicBaseUrl` + the request's path and query.
   */
  publicBaseUrl?: string;
  /** How far the timestamp may be from now, in seconds (either direction). Default 300. */
  toleranceSeconds?: number;
  /** Current time in milliseconds (default `Date.now()`). */
  now?: number;
}

export type SignatureFailure = 'missing-signature' | 'malformed-signature' | 'unknown-key' | 'stale-timestamp' | 'mismatch' | 'bad-url';

export type VerifySignatureResult =
  | { valid: true; timestamp: number; keyId?: string; url: string }
  | { valid: false; reason: SignatureFailure; message: string; url?: string };

/** Checks an incoming request's signature. Never throws for bad input; the result says why. */
export function verifySignature(options: VerifySignatureOptions): VerifySignatureResult {
  const signatureValue = options.signature ?? headerValue(options.headers, SIGNATURE_HEADER);
  if (!signatureValue) return { valid: false, reason: 'missing-signature', message: 'no X-OzML-Signature header' };
  const parsed = parseSignatureHeader(signatureValue);
  if (!parsed) return { valid: false, reason: 'malformed-signature', message: `X-OzML-Signature is not 't=<unix>,v1=<hex>': ${signatureValue}` };

  const keyId = options.keyId ?? headerValue(options.headers, KEY_ID_HEADER) ?? undefined;
  let secret: string | undefined;
  if (typeof options.secret === 'string') secret = options.secret;
  else if (keyId !== undefined && Object.hasOwn(options.secret, keyId)) secret = options.secret[keyId];
  if (secret === undefined) {
    return { valid: false, reason: 'unknown-key', message: keyId === undefined ? 'no X-OzML-Key-Id header to choose a secret' : `unknown key id '${keyId}'` };
  }

  const url = signedUrl(options);
  if (url === undefined) return { valid: false, reason: 'bad-url', message: `cannot build an absolute URL from '${options.url}'` };

  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  // A NaN or negative tolerance would switch replay protection off (every comparison is false).
  const given = options.toleranceSeconds;
  const tolerance = given !== undefined && Number.isFinite(given) && given >= 0 ? given : DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) {
    return { valid: false, reason: 'stale-timestamp', message: `timestamp ${parsed.timestamp} is more than ${tolerance}s from now (${nowSeconds})`, url };
  }

  const body: unknown = options.body;
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    return { valid: false, reason: 'mismatch', message: 'the body must be the raw bytes as received (a string or Uint8Array), not a parsed value', url };
  }
  const expected = Buffer.from(computeSignature({ secret, timestamp: parsed.timestamp, method: options.method, url, body }), 'hex');
  const matches = parsed.signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matches) {
    return { valid: false, reason: 'mismatch', message: `signature does not match the body and URL ${url} (behind a proxy? set publicBaseUrl)`, url };
  }
  return keyId === undefined ? { valid: true, timestamp: parsed.timestamp, url } : { valid: true, timestamp: parsed.timestamp, keyId, url };
}

function headerValue(headers: VerifySignatureOptions['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The URL the sender signed, normalised like the sender's WHATWG URL. */
function signedUrl(options: VerifySignatureOptions): string | undefined {
  try {
    if (options.publicBaseUrl !== undefined) {
      const target = new URL(options.url, 'http://placeholder.invalid');
      const base = new URL(options.publicBaseUrl);
      const prefix = base.pathname.replace(/\/+$/, '');
      return new URL(`${prefix}${target.pathname}${target.search}`, base.origin).href;
    }
    if (/^https?:\/\//i.test(options.url)) return new URL(options.url).href;
    const host = headerValue(options.headers, 'host');
    if (host === undefined) return undefined;
    const proto = headerValue(options.headers, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
    return new URL(options.url, `${proto}://${host}`).href;
  } catch {
    return undefined;
  }
}
