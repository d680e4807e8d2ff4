/**
 * The ScriptSource of a dry run: the scenario's webhook map answers notifications from local files,
 * inline OzML, status codes and delays, and hands the rest to the real HTTP source (pass-through,
 * with record/replay). The failure policy (Error notification, FallbackUrl) is the webhook
 * client's own, so a failing local webhook behaves like a failing real one.
 */
import path from 'node:path';
import { within } from '../engine/storage.js';
import { WebhookErrorCode } from '../webhooks/error-codes.js';
import type { WebhookFailure } from '../webhooks/error-codes.js';
import type { WebhookEvent, WebhookEventListener } from '../webhooks/events.js';
import { fetchWithFailurePolicy } from '../webhooks/failure-policy.js';
import type { FailurePolicyDeps } from '../webhooks/failure-policy.js';
import type { HttpScriptSource } from '../webhooks/http-source.js';
import { compileReply } from '../webhooks/reply.js';
import type { ReplyCompileOptions, ReplyOrFailure } from '../webhooks/reply.js';
import { notificationParams } from '../webhooks/script-source.js';
import type { Notification, ScriptReply, ScriptSource } from '../webhooks/script-source.js';
import { WEBHOOK_DEFAULTS } from '../webhooks/settings.js';
import type { WebhookApp } from '../webhooks/settings.js';
import { resolveTarget } from '../webhooks/url-overrides.js';
import { compileUrlPattern } from '../webhooks/url-pattern.js';
import type { UrlPattern } from '../webhooks/url-pattern.js';
import type { DryRunClock, HoldLease } from './clock.js';
import type { RunEventBody } from './events.js';
import { readAtMost, tooLargeMessage } from './read-limited.js';
import type { Reply, WebhookRoute } from './scenario/types.js';

/** A reply the dry run adds itself: files under a directory (the script's own folder). */
export interface ServedReply extends Reply {
  dir?: string;
}

export interface ServedRoute extends Omit<WebhookRoute, 'replies'> {
  replies: ServedReply[];
}

export interface ScenarioSourceOptions {
  routes: readonly ServedRoute[];
  /** URLs no route answers go to the network (else they fail like a 404). */
  passThroughUnmatched: boolean;
  /**
   * The real HTTP source, created on first use (pass-through requests only). It must pass `hooks`
   * on: its retries and redirects become run events, and recordings use the run's clock.
   */
  http: (hooks: HttpSourceHooks) => HttpScriptSource;
  app: WebhookApp;
  compile?: ReplyCompileOptions;
  clock: DryRunClock;
  emit: (event: RunEventBody) => void;
}

/** What the scenario source gives the HTTP source it creates. */
export interface HttpSourceHooks {
  onEvent: WebhookEventListener;
  recordClock: () => number;
}

interface CompiledRoute {
  route: ServedRoute;
  pattern: UrlPattern;
  used: number;
}

type Resolved = { ok: true; url: URL } | { ok: false; detail: string; text: string };

export class ScenarioSource implements ScriptSource {
  readonly #options: ScenarioSourceOptions;
  readonly #routes: CompiledRoute[];
  #http: HttpScriptSource | undefined;
  #inflight = 0;

  constructor(options: ScenarioSourceOptions) {
    this.#options = options;
    this.#routes = options.routes.map((route) => ({ route, pattern: compileUrlPattern(route.url), used: 0 }));
  }

  /** Notifications being answered right now (the run is not over while there are any). */
  get inflight(): number {
    return this.#inflight;
  }

  async fetch(n: Notification, options: { signal?: AbortSignal } = {}): Promise<ScriptReply> {
    const lease = this.#options.clock.takeLastHold();
    return this.#track(() => fetchWithFailurePolicy(n, this.#deps(lease), options.signal));
  }

  async send(n: Notification, options: { signal?: AbortSignal } = {}): Promise<void> {
    const lease = this.#options.clock.takeLastHold();
    await this.#track(() => this.#deliver(n, lease, options.signal));
  }

  async close(): Promise<void> {
    await this.#http?.close();
  }

  async #track<T>(work: () => Promise<T>): Promise<T> {
    this.#inflight++;
    try {
      return await work();
    } finally {
      this.#inflight--;
    }
  }

  #deps(lease: HoldLease | undefined): FailurePolicyDeps {
    const { app } = this.#options;
    return {
      retrieve: (n, signal) => this.#retrieve(n, lease, signal),
      deliverError: (n, signal) => this.#deliver(n, lease, signal),
      emit: (event) => this.#report(event),
      ...(app.errorUrl !== undefined ? { errorUrl: app.errorUrl } : {}),
      ...(app.fallbackUrl !== undefined ? { fallbackUrl: app.fallbackUrl } : {}),
      ...(app.publicBaseUrl !== undefined ? { publicBaseUrl: app.publicBaseUrl } : {}),
    };
  }

  #report(event: WebhookEvent): void {
    const emit = this.#options.emit;
    switch (event.type) {
      case 'failure':
        emit({ type: 'webhook.failure', notification: event.notification, url: event.url, code: event.code, detail: event.detail });
        break;
      case 'error-notification':
        emit({ type: 'webhook.error-notification', url: event.url, code: event.code, failedUrl: event.failedUrl });
        break;
      case 'fallback':
        emit({ type: 'webhook.fallback', notification: event.notification, url: event.url, failedUrl: event.failedUrl, code: event.code });
        break;
      case 'retry':
        emit({ type: 'webhook.retry', notification: event.notification, url: event.url, nextAttempt: event.nextAttempt, delayMs: event.delayMs, reason: event.reason });
        break;
      case 'redirect':
        emit({ type: 'webhook.redirect', notification: event.notification, from: event.from, to: event.to, status: event.status });
        break;
      default:
        break; // requests and responses are in the engine's notification events already
    }
  }

  #httpSource(): HttpScriptSource {
    this.#http ??= this.#options.http({
      // Retries and redirects happen inside the HTTP source; its failures come back as values and
      // are reported once, by this source's own failure policy.
      onEvent: (event) => {
        if (event.type === 'retry' || event.type === 'redirect') this.#report(event);
      },
      recordClock: () => this.#options.clock.now(),
    });
    return this.#http;
  }

  #resolve(n: Notification): Resolved {
    const resolved = resolveTarget(n.url, n.baseUrl ?? this.#options.app.publicBaseUrl);
    return resolved.ok ? { ok: true, url: resolved.target.url } : { ok: false, detail: resolved.detail, text: n.url };
  }

  /** The route that answers `n`, and the reply it gives this time. */
  #match(n: Notification, url: URL): { route: CompiledRoute; reply: ServedReply } | undefined {
    const params = notificationParams(n);
    for (const compiled of this.#routes) {
      const { route } = compiled;
      if (!compiled.pattern.matches(url)) continue;
      if (route.notification !== undefined && route.notification !== n.name) continue;
      if (route.params && !Object.entries(route.params).every(([key, value]) => params[key] === value)) continue;
      const reply = route.replies[Math.min(compiled.used, route.replies.length - 1)]!;
      compiled.used++;
      return { route: compiled, reply };
    }
    return undefined;
  }

  #unmatched(url: string): string {
    const known = this.#routes.map((r) => r.route.url).filter((u, i, all) => all.indexOf(u) === i);
    return `no webhook in the scenario answers ${url} (webhooks: ${known.length > 0 ? known.join(', ') : 'none'})`;
  }

  async #retrieve(n: Notification, lease: HoldLease | undefined, signal?: AbortSignal): Promise<ReplyOrFailure> {
    const resolved = this.#resolve(n);
    if (!resolved.ok) return failure(WebhookErrorCode.InvalidUrl, resolved.detail, resolved.text);
    const href = resolved.url.href;
    const match = this.#match(n, resolved.url);
    if (!match) {
      if (this.#options.passThroughUnmatched) return this.#passThrough(n, undefined, signal);
      return failure(WebhookErrorCode.HttpStatus, this.#unmatched(href), href);
    }
    const { reply, route } = match;
    if (reply.passThrough !== undefined) return this.#passThrough(n, reply.passThrough === true ? undefined : reply.passThrough, signal);

    if (reply.delayMs) {
      const totalMs = this.#options.app.timeouts?.totalMs ?? WEBHOOK_DEFAULTS.totalMs;
      if (reply.delayMs > totalMs) {
        await this.#wait(lease, totalMs, signal);
        return failure(WebhookErrorCode.Timeout, `no reply from ${href} within ${totalMs / 1000} s (the scenario delays it ${reply.delayMs / 1000} s)`, href);
      }
      await this.#wait(lease, reply.delayMs, signal);
    }
    const status = reply.status ?? 200;
    if (status < 200 || status > 299) return failure(WebhookErrorCode.HttpStatus, `HTTP ${status} from ${href} (scenario webhook ${route.route.url})`, href);
    if (status === 204 || status === 205) return { kind: 'empty', url: href };

    const maxBytes = this.#options.app.maxBodyBytes ?? WEBHOOK_DEFAULTS.maxBodyBytes;
    if (reply.ozml !== undefined) {
      const size = Buffer.byteLength(reply.ozml);
      if (size > maxBytes) return failure(WebhookErrorCode.TooLarge, `the document is ${size} bytes; the limit is ${maxBytes}`, href);
      return compileReply(reply.ozml, href, n, maxBytes, this.#options.compile);
    }
    if (reply.file === undefined && reply.dir === undefined) return { kind: 'empty', url: href };
    const file = reply.file ?? servedFile(reply.dir!, resolved.url);
    if (file === undefined) return failure(WebhookErrorCode.HttpStatus, `HTTP 404: ${href} is outside the script's folder`, href);
    // Messages about a local file name it, so the user knows which file to fix.
    const shown = shownPath(file);
    let read;
    try {
      read = await readAtMost(file, maxBytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return failure(WebhookErrorCode.HttpStatus, `HTTP 404: cannot read ${shown} for ${href} (${code ?? (error as Error).message})`, href);
    }
    if (!read.ok) return failure(WebhookErrorCode.TooLarge, tooLargeMessage(shown, read.size, maxBytes), href);
    const compiled = compileReply(read.bytes, href, n, maxBytes, this.#options.compile);
    if (compiled.kind !== 'failure') return compiled;
    return { ...compiled, failure: { ...compiled.failure, detail: `${shown}:${compiled.failure.detail}` } };
  }

  /** Real HTTP, to the notification's URL or to `target`; failures come back as values for the policy. */
  async #passThrough(n: Notification, target: string | undefined, signal?: AbortSignal): Promise<ReplyOrFailure> {
    const request: Notification = target === undefined ? n : { ...n, url: target };
    const reply = await this.#httpSource().fetch(request, signal ? { signal } : {});
    if (reply.kind === 'failed') return failure(reply.code as WebhookFailure['code'], reply.detail, reply.url);
    return reply;
  }

  /** A notification whose reply is ignored (TransferCompleted, CallChanged to a CallbackUrl, Error). */
  async #deliver(n: Notification, lease: HoldLease | undefined, signal?: AbortSignal): Promise<void> {
    const resolved = this.#resolve(n);
    if (!resolved.ok) {
      this.#options.emit({ type: 'webhook.failure', notification: n.name, url: resolved.text, code: WebhookErrorCode.InvalidUrl, detail: resolved.detail });
      return;
    }
    const match = this.#match(n, resolved.url);
    const target = match ? match.reply.passThrough : this.#options.passThroughUnmatched ? true : undefined;
    if (target !== undefined) {
      const reply = await this.#passThrough(n, target === true ? undefined : target, signal);
      // The reply is not run, so only delivery problems count (not what the document says).
      if (reply.kind === 'failure' && reply.failure.code < WebhookErrorCode.DocumentParse) this.#report({ type: 'failure', notification: n.name, ...reply.failure });
      return;
    }
    if (!match) {
      this.#options.emit({ type: 'webhook.failure', notification: n.name, url: resolved.url.href, code: WebhookErrorCode.HttpStatus, detail: this.#unmatched(resolved.url.href) });
      return;
    }
    if (match.reply.delayMs) await this.#wait(lease, match.reply.delayMs, signal);
    const status = match.reply.status ?? 200;
    if (status < 200 || status > 299) {
      this.#options.emit({
        type: 'webhook.failure', notification: n.name, url: resolved.url.href, code: WebhookErrorCode.HttpStatus,
        detail: `HTTP ${status} from ${resolved.url.href} (scenario webhook ${match.route.route.url})`,
      });
    }
  }

  #wait(lease: HoldLease | undefined, ms: number, signal?: AbortSignal): Promise<void> {
    return lease ? lease.sleep(ms, signal) : this.#options.clock.sleep(ms, signal);
  }
}

/** A local file as messages show it: relative to the working directory when it is under it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function failure(code: WebhookFailure['code'], detail: string, url: string): ReplyOrFailure {
  return { kind: 'failure', failure: { code, detail, url } };
}

/** The file a URL names under `dir` (its path, decoded), or undefined when it would leave `dir`. */
function servedFile(dir: string, url: URL): string | undefined {
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  const file = path.resolve(dir, relative);
  // The folder itself is not a file to serve.
  return within(dir, file) && path.relative(dir, file) !== '' ? file : undefined;
}
