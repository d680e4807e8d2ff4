/**
 * One HTTP exchange (one attempt, one hop), below the failure policy. Live requests go through
 * undici; the recorder and the replayer implement the same interface, so retries, redirects,
 * content-type checks and compilation behave identically in all three modes.
 */
import type { AddressPolicy } from './address-policy.js';
import type { AbortState, DeliveryAbort } from './delivery-abort.js';
import type { DispatcherPool } from './dispatchers.js';
import { WebhookErrorCode } from './error-codes.js';
import { CollectFailure, collectResponse } from './response-collector.js';
import type { CollectedResponse } from './response-collector.js';
import type { NotificationName } from './script-source.js';

export interface HttpRequest {
  method: 'POST' | 'GET';
  /** Absolute http(s) URL without fragment. */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Empty for GET. */
  body: string;
  connectTimeoutMs: number;
  /** Limit for the response headers to arrive and for each silence while the body streams. */
  readTimeoutMs: number;
  maxBodyBytes: number;
  /** The delivery's abort (caller, close or deadline). */
  abort: DeliveryAbort;
  /** Labels for recordings and events. */
  notification: NotificationName;
  attempt: number;
  redirect: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * What went wrong below HTTP semantics:
 * - `connect`: no usable connection, or the connection dropped before any response byte (safe to
 *   retry: nothing was answered, and the idempotency key covers a request the server did see);
 * - `lost`: the connection dropped after the response started;
 * - `total-timeout`: the policy's whole-notification deadline aborted the exchange;
 * - `aborted`: the caller aborted (the call ended) — not a webhook failure.
 */
export type TransportErrorKind =
  | 'address-refused' | 'connect' | 'connect-timeout' | 'read-timeout' | 'total-timeout' | 'lost'
  | 'too-large' | 'tls' | 'replay-missing' | 'aborted';

const CODES: Record<TransportErrorKind, WebhookErrorCode> = {
  'address-refused': WebhookErrorCode.AddressRefused,
  connect: WebhookErrorCode.Connection,
  'connect-timeout': WebhookErrorCode.Timeout,
  'read-timeout': WebhookErrorCode.Timeout,
  'total-timeout': WebhookErrorCode.Timeout,
  lost: WebhookErrorCode.Connection,
  'too-large': WebhookErrorCode.TooLarge,
  tls: WebhookErrorCode.Tls,
  'replay-missing': WebhookErrorCode.ReplayMissing,
  aborted: WebhookErrorCode.Timeout,
};

export class TransportError extends Error {
  readonly code: WebhookErrorCode;
  constructor(readonly kind: TransportErrorKind, message: string) {
    super(message);
    this.name = 'TransportError';
    this.code = CODES[kind];
  }
}

export const TRANSPORT_ERROR_KINDS = Object.keys(CODES) as TransportErrorKind[];

export interface Transport {
  /** Resolves with any HTTP status; rejects only with a TransportError. */
  exchange(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** Marks the abort reason of the policy's own deadline, so it is not mistaken for the caller's abort. */
export class DeadlineExceeded extends Error {
  constructor(readonly totalMs: number) {
    super(`no complete answer within the total time limit of ${totalMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const DROP_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ECONNABORTED']);
const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/;

/** Maps undici/Node errors to a kind; `started` = the response headers had arrived. */
function classifyError(error: unknown, signal: AbortState, started: boolean): TransportError {
  if (error instanceof TransportError) return error;
  if (signal.aborted) {
    return signal.reason instanceof DeadlineExceeded
      ? new TransportError('total-timeout', signal.reason.message)
      : new TransportError('aborted', 'aborted by the caller');
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'OZML_ADDRESS_REFUSED') return new TransportError('address-refused', message);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new TransportError('connect-timeout', `connect timeout: ${message}`);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new TransportError('read-timeout', 'read timeout: no response headers in time');
  if (code === 'UND_ERR_BODY_TIMEOUT') return new TransportError('read-timeout', 'read timeout: the response body stalled');
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new TransportError('too-large', 'the response body exceeds the size limit');
  if (code !== undefined && TLS_CODE.test(code)) return new TransportError('tls', `TLS failure (${code}): ${message}`);
  if (code !== undefined && CONNECT_CODES.has(code)) return new TransportError('connect', `connection failed (${code}): ${message}`);
  if (code !== undefined && DROP_CODES.has(code)) {
    return started
      ? new TransportError('lost', `connection lost while reading the response (${code}): ${message}`)
      : new TransportError('connect', `connection closed before a response (${code}): ${message}`);
  }
  return new TransportError(started ? 'lost' : 'connect', `request failed${code ? ` (${code})` : ''}: ${message}`);
}

function errorCode(error: unknown): string | undefined {
  // undici wraps some socket errors; the useful code may sit on `cause`.
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
  }
  return undefined;
}

/**
 * undici's parsed response headers (a fresh object per response, names already lower-case) with
 * repeated headers joined by ", ", changed in place rather than copied. A `__proto__` header is
 * dropped, as copying it into a plain object did.
 */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) headers[name] = value.join(', ');
    else if (value === undefined || name === '__proto__') delete headers[name];
  }
  return headers as Record<string, string>;
}

/** What undici needs of a request URL, derived once per distinct URL. */
interface RequestTarget {
  origin: string;
  /** Path and query, as undici's top-level `request(url, …)` derives them. */
  path: string;
  hostname: string;
  /** Whether the address policy lets the host through as far as an IP literal goes (names are vetted at connect). */
  literalAllowed: boolean;
}

/** Distinct request URLs remembered (bounded: URLs come from untrusted documents). */
const MAX_CACHED_TARGETS = 512;

/** Live exchanges over the shared keep-alive agents. */
export class UndiciTransport implements Transport {
  /** A call flow hits the same few URLs again and again; parsing each once saves a URL parse per request. */
  private readonly targets = new Map<string, RequestTarget>();

  constructor(private readonly pool: DispatcherPool, private readonly policy: AddressPolicy) {}

  async exchange(req: HttpRequest): Promise<HttpResponse> {
    const target = this.targetOf(req.url);
    // IP literals are refused here too, so no dispatcher or pool is touched for them.
    const refused = target.literalAllowed ? undefined : this.policy.checkLiteralHost(target.hostname);
    if (refused) throw new TransportError('address-refused', refused.message);
    const abort = req.abort;
    if (abort.aborted) throw classifyError(abort.reason, abort, false);

    let response: CollectedResponse;
    try {
      // The agent's own `dispatch`, with origin and path derived as undici's top-level
      // `request(url, …)` derives them, and a handler that keeps the answer in memory.
      response = await collectResponse(this.pool.get(req.connectTimeoutMs, req.maxBodyBytes), {
        origin: target.origin,
        path: target.path,
        method: req.method,
        headers: req.headers,
        body: req.method === 'GET' ? null : req.body,
        headersTimeout: req.readTimeoutMs,
        bodyTimeout: req.readTimeoutMs,
      }, abort);
    } catch (failure) {
      throw failure instanceof CollectFailure ? classifyError(failure.error, abort, failure.started) : classifyError(failure, abort, false);
    }
    // undici frees a keep-alive socket one event-loop turn after the response ends (setImmediate);
    // waiting that turn lets the caller's next notification reuse it instead of opening another.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { status: response.status, headers: flattenHeaders(response.headers), body: response.body };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private targetOf(href: string): RequestTarget {
    let target = this.targets.get(href);
    if (target === undefined) {
      const url = new URL(href);
      // The policy's allow list is fixed, so its verdict on a host is too.
      const literalAllowed = this.policy.checkLiteralHost(url.hostname) === undefined;
      target = { origin: url.origin, path: url.search ? `${url.pathname}${url.search}` : url.pathname, hostname: url.hostname, literalAllowed };
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      this.targets.set(href, target);
    }
    return target;
  }
}
