/**
 * The ScriptSource for customer-hosted OzML: notifications POSTed with undici over one shared
 * keep-alive agent, the failure policy of docs/webhooks.md, the address policy, signing, and
 * record/replay of every exchange.
 */
import { randomUUID } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { AddressPolicy } from './address-policy.js';
import type { DeliveryAbort } from './delivery-abort.js';
import { deliver } from './delivery.js';
import type { DeliveryContext } from './delivery.js';
import { DispatcherPool } from './dispatchers.js';
import { WebhookErrorCode } from './error-codes.js';
import type { WebhookFailure } from './error-codes.js';
import type { WebhookEventListener } from './events.js';
import { RecordingTransport, ReplayTransport } from './exchange-log.js';
import { fetchWithFailurePolicy } from './failure-policy.js';
import type { FailurePolicyDeps } from './failure-policy.js';
import { replyFromResponse } from './reply.js';
import { SIGNATURE_HEADER } from './signing.js';
import type { ReplyCompileOptions, ReplyOrFailure } from './reply.js';
import type { Notification, ScriptReply, ScriptSource } from './script-source.js';
import { encodeNotification } from './request-body.js';
import { appSettings, withOverrides } from './settings.js';
import type { DeliverySettings, WebhookApp } from './settings.js';
import type { Transport } from './transport.js';
import { UndiciTransport } from './transport.js';
import { TargetCache } from './target-cache.js';

export interface HttpScriptSourceOptions {
  /** The app's webhook settings (an `apps.<name>` entry of the loaded config fits). */
  app?: WebhookApp;
  /** Write every exchange to this directory (replacing an earlier recording there). */
  recordDir?: string;
  /** Answer from a recording in this directory; no network at all. */
  replayDir?: string;
  /** Milliseconds since the epoch, for signature timestamps and recorded timings (default `Date.now`). */
  clock?: () => number;
  /**
   * The clock of recordings, when it is not `clock` (a dry run on virtual time signs with wall-clock
   * time, which a real app's replay protection checks): `timing.elapsedMs` is measured on it, and
   * the signature header, which differs on every run, is left out of the files, so two recordings
   * of the same run are byte-identical.
   */
  recordClock?: () => number;
  /** Idempotency key per notification (default: a random UUID); deterministic keys make recordings reproducible. */
  idempotencyKey?: () => string;
  /** DNS lookup used before the address policy (default `dns.lookup`). */
  lookup?: LookupFunction;
  /** Compile settings for replies (config services/tones, rule overrides). */
  compile?: ReplyCompileOptions;
  onEvent?: WebhookEventListener;
  userAgent?: string;
  /** How long idle keep-alive sockets are kept (default 4 s, or less if the server says so). */
  keepAliveTimeoutMs?: number;
}

export const DEFAULT_USER_AGENT = 'ozml-webhooks/1';

export class HttpScriptSource implements ScriptSource {
  private readonly app: WebhookApp;
  private readonly targets: TargetCache;
  private readonly pool: DispatcherPool | undefined;
  private readonly transport: Transport;
  private readonly context: DeliveryContext;
  private readonly policyDeps: FailurePolicyDeps;
  private readonly emit: WebhookEventListener;
  private readonly inflight = new Set<DeliveryAbort>();
  private closed = false;

  /** @throws Error when `allowAddresses` has an invalid entry or both recordDir and replayDir are set. */
  constructor(private readonly options: HttpScriptSourceOptions = {}) {
    if (options.recordDir !== undefined && options.replayDir !== undefined) throw new Error('recordDir and replayDir cannot be used together');
    this.app = options.app ?? {};
    // Normalised once (read limit within the total), so URLs without overrides reuse it as is.
    this.targets = new TargetCache(Object.freeze(withOverrides(appSettings(this.app), {})));
    const clock = options.clock ?? Date.now;
    if (options.replayDir !== undefined) {
      this.transport = new ReplayTransport(options.replayDir);
    } else {
      const policy = new AddressPolicy(this.app.allowAddresses ?? []);
      this.pool = new DispatcherPool({
        policy,
        ...(options.lookup ? { lookup: options.lookup } : {}),
        ...(options.keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs: options.keepAliveTimeoutMs } : {}),
      });
      const live = new UndiciTransport(this.pool, policy);
      this.transport = options.recordDir === undefined
        ? live
        : options.recordClock === undefined
          ? new RecordingTransport(live, options.recordDir, clock)
          : new RecordingTransport(live, options.recordDir, options.recordClock, { unrecordedRequestHeaders: [SIGNATURE_HEADER] });
    }
    const emit: WebhookEventListener = options.onEvent ?? (() => {});
    this.emit = emit;
    this.context = {
      transport: this.transport,
      clock,
      newIdempotencyKey: options.idempotencyKey ?? randomUUID,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      emit: options.onEvent,
      inflight: this.inflight,
    };
    this.policyDeps = {
      retrieve: (n, signal) => this.retrieve(n, signal),
      deliverError: (n, signal) => this.deliverIgnoringReply(n, signal),
      emit,
      ...(this.app.errorUrl !== undefined ? { errorUrl: this.app.errorUrl } : {}),
      ...(this.app.fallbackUrl !== undefined ? { fallbackUrl: this.app.fallbackUrl } : {}),
      ...(this.app.publicBaseUrl !== undefined ? { publicBaseUrl: this.app.publicBaseUrl } : {}),
    };
  }

  // Not `async`: an async function returning the policy's promise costs three more promise jobs
  // per call; a closed source or an aborted signal still rejects rather than throws.
  fetch(n: Notification, options: { signal?: AbortSignal } = {}): Promise<ScriptReply> {
    try {
      this.checkOpen(options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return fetchWithFailurePolicy(n, this.policyDeps, options.signal);
  }

  send(n: Notification, options: { signal?: AbortSignal } = {}): Promise<void> {
    try {
      this.checkOpen(options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.deliverIgnoringReply(n, options.signal);
  }

  /** Aborts what is still in flight (those calls reject with an AbortError) and closes the sockets. */
  async close(): Promise<void> {
    this.closed = true;
    const reason = new DOMException('The script source was closed', 'AbortError');
    for (const controller of this.inflight) controller.abort(reason);
    await this.transport.close();
  }

  /** Per-origin socket counts of the keep-alive agents (empty in replay mode). */
  socketStats(): ReturnType<DispatcherPool['stats']> {
    return this.pool?.stats() ?? {};
  }

  private checkOpen(signal: AbortSignal | undefined): void {
    if (this.closed) throw new DOMException('The script source is closed', 'AbortError');
    signal?.throwIfAborted();
  }

  /** One notification to one URL, reply compiled; failures are values. */
  private async retrieve(n: Notification, signal?: AbortSignal): Promise<ReplyOrFailure> {
    const target = this.resolve(n, signal);
    if (!target.ok) return { kind: 'failure', failure: target.failure };
    const result = await deliver({ name: n.name, url: target.href, body: encodeNotification(n, target.settings.bodyFormat), settings: target.settings }, this.context, signal);
    if (!result.ok) return { kind: 'failure', failure: result.failure };
    return replyFromResponse(result.response, result.url, n, target.settings.maxBodyBytes, this.options.compile);
  }

  /** Delivers and ignores the answer; failures become `failure` events only. */
  private async deliverIgnoringReply(n: Notification, signal?: AbortSignal): Promise<void> {
    const target = this.resolve(n, signal);
    const result = target.ok
      ? await deliver({ name: n.name, url: target.href, body: encodeNotification(n, target.settings.bodyFormat), settings: target.settings }, this.context, signal)
      : target;
    if (!result.ok) {
      const { url, code, detail } = result.failure;
      this.emit({ type: 'failure', notification: n.name, url, code, detail });
    }
  }

  /** The URL resolved, with its fragment overrides applied to the settings (reported when some are ignored). */
  private resolve(n: Notification, signal: AbortSignal | undefined): { ok: true; href: string; settings: DeliverySettings } | { ok: false; failure: WebhookFailure } {
    this.checkOpen(signal);
    const target = this.targets.resolve(n.url, n.baseUrl ?? this.app.publicBaseUrl);
    if (!target.ok) return { ok: false, failure: { code: WebhookErrorCode.InvalidUrl, detail: target.detail, url: n.url } };
    if (target.ignored.length > 0) this.emit({ type: 'overrides-ignored', url: target.href, entries: [...target.ignored] });
    return target;
  }
}
