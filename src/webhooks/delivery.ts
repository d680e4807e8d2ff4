/**
 * Delivering one notification to one URL: encoding, signing, the total deadline, retries with
 * backoff under one idempotency key, and redirects (each hop re-signed and re-checked against the
 * address policy by the transport). Redirects are followed here rather than by undici's redirect
 * interceptor so that every hop is signed for its own URL, recorded, and counted.
 */
import { DeliveryAbort } from './delivery-abort.js';
import type { AbortState } from './delivery-abort.js';
import { WebhookErrorCode } from './error-codes.js';
import type { WebhookFailure } from './error-codes.js';
import type { WebhookEventListener } from './events.js';
import type { EncodedBody } from './request-body.js';
import type { NotificationName } from './script-source.js';
import type { DeliverySettings } from './settings.js';
import { WEBHOOK_DEFAULTS } from './settings.js';
import { sleep } from './sleep.js';
import { KEY_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signing.js';
import { DeadlineExceeded, TransportError } from './transport.js';
import type { HttpRequest, HttpResponse, Transport } from './transport.js';

export interface DeliveryContext {
  transport: Transport;
  /** Milliseconds since the epoch; signature timestamps and recorded timings use it. */
  clock: () => number;
  newIdempotencyKey: () => string;
  userAgent: string;
  /** Absent when nobody listens, so no event objects are built per request. */
  emit?: WebhookEventListener | undefined;
  /**
   * Deliveries in flight register their abort here, so the owner can abort them all on close
   * (cheaper than one more AbortSignal per request).
   */
  inflight?: Set<DeliveryAbort>;
}

export interface Delivery {
  name: NotificationName;
  /** Absolute URL without fragment. */
  url: string;
  /** The encoded parameters (`NotificationName` included) and their content type. */
  body: EncodedBody;
  settings: DeliverySettings;
}

export type DeliveryResult = { ok: true; response: HttpResponse; url: string } | { ok: false; failure: WebhookFailure };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = 'application/xml, text/xml, text/plain;q=0.5';

/**
 * Resolves with the final 2xx response or a failure. Rejects only when `signal` aborts
 * (with the signal's reason).
 */
export async function deliver(d: Delivery, ctx: DeliveryContext, signal?: AbortSignal): Promise<DeliveryResult> {
  signal?.throwIfAborted();
  const { settings } = d;
  const controller = new DeliveryAbort();
  const onCallerAbort = signal === undefined ? undefined : () => controller.abort(signal.reason);
  if (onCallerAbort !== undefined) signal!.addEventListener('abort', onCallerAbort, { once: true });
  ctx.inflight?.add(controller);
  const deadline = setTimeout(() => controller.abort(new DeadlineExceeded(settings.totalMs)), settings.totalMs);
  try {
    const encoded = d.body;
    const idempotencyKey = ctx.newIdempotencyKey();
    const attempts = 1 + settings.retries;
    for (let attempt = 1; ; attempt++) {
      const outcome = await followRedirects(d, encoded, idempotencyKey, attempt, controller, ctx);
      const retryReason = outcome.ok ? retryableStatus(outcome.response.status, settings) : retryableError(outcome.error, settings);
      if (retryReason === undefined || attempt >= attempts) return finish(d, outcome, controller);
      const delayMs = Math.min(settings.retryBackoffMs * 2 ** (attempt - 1), WEBHOOK_DEFAULTS.maxBackoffMs);
      ctx.emit?.({ type: 'retry', notification: d.name, url: d.url, nextAttempt: attempt + 1, delayMs, reason: retryReason });
      try {
        await sleep(delayMs, controller.signal);
      } catch {
        return finish(d, { ok: false, error: errorFromAbort(controller) }, controller);
      }
    }
  } finally {
    clearTimeout(deadline);
    ctx.inflight?.delete(controller);
    if (onCallerAbort !== undefined) signal!.removeEventListener('abort', onCallerAbort);
  }
}

type HopOutcome = { ok: true; response: HttpResponse; url: string } | { ok: false; error: TransportError | WebhookFailure };

async function followRedirects(
  d: Delivery, encoded: EncodedBody, idempotencyKey: string, attempt: number,
  abort: DeliveryAbort, ctx: DeliveryContext,
): Promise<HopOutcome> {
  let url = d.url;
  let method: 'POST' | 'GET' = 'POST';
  let body = encoded.body;
  // Only redirects need the list of URLs seen so far.
  let visited: string[] | undefined;
  for (let redirect = 0; ; redirect++) {
    const headers: Record<string, string> = {
      accept: ACCEPT,
      'user-agent': ctx.userAgent,
      'idempotency-key': idempotencyKey,
      'x-ozml-attempt': String(attempt),
    };
    if (method === 'POST') headers['content-type'] = encoded.contentType;
    if (d.settings.secret !== undefined) {
      headers[SIGNATURE_HEADER] = signatureHeader({ secret: d.settings.secret, timestamp: Math.floor(ctx.clock() / 1000), method, url, body });
      if (d.settings.keyId !== undefined) headers[KEY_ID_HEADER] = d.settings.keyId;
    }
    const req: HttpRequest = {
      method, url, headers, body,
      connectTimeoutMs: d.settings.connectMs, readTimeoutMs: d.settings.readMs, maxBodyBytes: d.settings.maxBodyBytes,
      abort, notification: d.name, attempt, redirect,
    };
    ctx.emit?.({ type: 'request', notification: d.name, method, url, attempt, redirect });
    let response: HttpResponse;
    try {
      response = await ctx.transport.exchange(req);
    } catch (error) {
      const e = error instanceof TransportError ? error : new TransportError('lost', String(error));
      // Name the hop that failed; the failure itself is reported against the notification's own URL.
      return { ok: false, error: redirect > 0 && e.kind !== 'aborted' ? new TransportError(e.kind, `after redirect to ${url}: ${e.message}`) : e };
    }
    ctx.emit?.({ type: 'response', notification: d.name, url, status: response.status, attempt });
    if (!REDIRECT_STATUSES.has(response.status)) return { ok: true, response, url };

    const location = response.headers['location'];
    // Failures are reported against the notification's own URL (the one the app can fix); the detail names the hop.
    const fail = (detail: string): HopOutcome => ({ ok: false, error: { code: WebhookErrorCode.Redirects, detail, url: d.url } });
    if (!location) return fail(`HTTP ${response.status} redirect without a Location header`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return fail(`HTTP ${response.status} redirect to an invalid Location '${location}'`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return fail(`redirect to a ${next.protocol} URL is not followed: ${location}`);
    if (next.username !== '' || next.password !== '') return fail(`redirect to a URL with user:password is not followed: ${next.origin}${next.pathname}`);
    next.hash = '';
    visited ??= [d.url];
    if (visited.includes(next.href)) return fail(`redirect loop: ${[...visited, next.href].join(' -> ')}`);
    if (redirect + 1 > WEBHOOK_DEFAULTS.maxRedirects) {
      return fail(`more than ${WEBHOOK_DEFAULTS.maxRedirects} redirects: ${[...visited, next.href].join(' -> ')}`);
    }
    ctx.emit?.({ type: 'redirect', notification: d.name, from: url, to: next.href, status: response.status });
    // 303 means "see other": fetch it with GET. 301/302/307/308 repeat the POST, because a
    // notification without its parameters is useless (RFC 9110 allows either for 301/302).
    if (response.status === 303) {
      method = 'GET';
      body = '';
    }
    url = next.href;
    visited.push(url);
  }
}

function retryableStatus(status: number, settings: DeliverySettings): string | undefined {
  if (status >= 500 && settings.retryPolicy.serverError) return `HTTP ${status}`;
  if (status >= 400 && status < 500 && settings.retryPolicy.clientError) return `HTTP ${status}`;
  return undefined;
}

function retryableError(error: TransportError | WebhookFailure, settings: DeliverySettings): string | undefined {
  if (!(error instanceof TransportError)) return undefined;
  if ((error.kind === 'connect' || error.kind === 'connect-timeout') && settings.retryPolicy.connect) return error.message;
  if (error.kind === 'read-timeout' && settings.retryPolicy.readTimeout) return error.message;
  return undefined;
}

/** `signal` is the delivery's own: aborted by the caller, by close, or by the deadline. */
function finish(d: Delivery, outcome: HopOutcome, signal: AbortState): DeliveryResult {
  if (outcome.ok) {
    const { response, url } = outcome;
    // The hop's outcome has the result's shape already.
    if (response.status >= 200 && response.status < 300) return outcome;
    return { ok: false, failure: { code: WebhookErrorCode.HttpStatus, detail: `HTTP ${response.status} from ${url}`, url } };
  }
  const error = outcome.error;
  if (error instanceof TransportError) {
    if (error.kind === 'aborted') throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
    return { ok: false, failure: { code: error.code, detail: error.message, url: d.url } };
  }
  return { ok: false, failure: error };
}

function errorFromAbort(signal: AbortState): TransportError {
  return signal.reason instanceof DeadlineExceeded
    ? new TransportError('total-timeout', signal.reason.message)
    : new TransportError('aborted', 'aborted by the caller');
}

