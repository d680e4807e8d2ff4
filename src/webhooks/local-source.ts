/**
 * A ScriptSource without HTTP: URLs map to local files or inline OzML (optionally with a status
 * code and a delay). For the dry-run and the executor's tests. The failure policy (Error
 * notification, FallbackUrl, `failed`) is the same as the HTTP source's; every delivered
 * notification is kept in `deliveries` so tests can assert what the app would have received.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../calls/clock.js';
import { WebhookErrorCode } from './error-codes.js';
import type { WebhookFailure } from './error-codes.js';
import type { WebhookEventListener } from './events.js';
import { fetchWithFailurePolicy } from './failure-policy.js';
import type { FailurePolicyDeps } from './failure-policy.js';
import { compileReply } from './reply.js';
import type { ReplyCompileOptions, ReplyOrFailure } from './reply.js';
import { notificationParams } from './script-source.js';
import type { Notification, NotificationName, ScriptReply, ScriptSource } from './script-source.js';
import { WEBHOOK_DEFAULTS } from './settings.js';
import { sleep } from './sleep.js';
import { resolveTarget } from './url-overrides.js';
import { compileUrlPattern } from './url-pattern.js';
import type { UrlPattern } from './url-pattern.js';

/**
 * What a URL answers. A string starting with `<` is inline OzML, any other string a file path
 * (relative to `baseDir`).
 */
export type LocalRoute =
  | string
  | {
      /** Inline OzML. */
      ozml?: string;
      /** A file with OzML (relative to `baseDir`). */
      file?: string;
      /** HTTP-like status (default 200); 204 = empty reply, non-2xx = failure 11200. */
      status?: number;
      /** Wait this long before answering (through `sleep`, so a virtual clock can drive it). */
      delayMs?: number;
    };

export interface LocalScriptSourceOptions {
  /** Pattern → route, tried in order: exact URLs, `*`/`**` globs, or `/path` patterns (see url-pattern.ts). */
  routes: Record<string, LocalRoute> | ReadonlyArray<readonly [string, LocalRoute]>;
  /** Directory for relative `file` paths (default: the working directory). */
  baseDir?: string;
  errorUrl?: string;
  fallbackUrl?: string;
  /** Base for relative URLs when a notification has no `baseUrl`. */
  publicBaseUrl?: string;
  maxBodyBytes?: number;
  compile?: ReplyCompileOptions;
  /** Waits for `delayMs` routes (default: the clock's sleep, else a real timer). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The virtual clock the caller runs on (an engine with `sourceUsesClock: true`): `delayMs`
   * sleeps on it, and it is held still while a route's file is read, so virtual time cannot jump
   * during real I/O and runs are deterministic.
   */
  clock?: Pick<Clock, 'sleep' | 'hold'>;
  onEvent?: WebhookEventListener;
}

/** One notification as the app would have received it. */
export interface LocalDelivery {
  kind: 'fetch' | 'send';
  name: NotificationName;
  /** Resolved URL without fragment (or the URL as written when it could not be resolved). */
  url: string;
  params: Record<string, string>;
  /** The route pattern that answered, if any. */
  route?: string;
}

export class LocalScriptSource implements ScriptSource {
  /** Every notification delivered, in order (fetches, sends, Error notifications). */
  readonly deliveries: LocalDelivery[] = [];
  private readonly routes: Array<{ pattern: UrlPattern; route: LocalRoute }>;
  private readonly deps: FailurePolicyDeps;
  private readonly emit: WebhookEventListener;

  constructor(private readonly options: LocalScriptSourceOptions) {
    const entries = Array.isArray(options.routes) ? options.routes : Object.entries(options.routes);
    this.routes = entries.map(([pattern, route]) => ({ pattern: compileUrlPattern(pattern), route }));
    this.emit = options.onEvent ?? (() => {});
    this.deps = {
      retrieve: (n, signal) => this.retrieve(n, signal),
      deliverError: async (n, signal) => this.send(n, signal ? { signal } : {}),
      emit: this.emit,
      ...(options.errorUrl !== undefined ? { errorUrl: options.errorUrl } : {}),
      ...(options.fallbackUrl !== undefined ? { fallbackUrl: options.fallbackUrl } : {}),
      ...(options.publicBaseUrl !== undefined ? { publicBaseUrl: options.publicBaseUrl } : {}),
    };
  }

  async fetch(n: Notification, options: { signal?: AbortSignal } = {}): Promise<ScriptReply> {
    options.signal?.throwIfAborted();
    return fetchWithFailurePolicy(n, this.deps, options.signal);
  }

  async send(n: Notification, options: { signal?: AbortSignal } = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const resolved = this.resolve(n);
    const match = resolved.url ? this.match(resolved.url) : undefined;
    this.record('send', n, resolved.text, match?.pattern.source);
    if (match && typeof match.route !== 'string' && match.route.delayMs) await this.sleep(match.route.delayMs, options.signal);
    if (!match) {
      this.emit({ type: 'failure', notification: n.name, url: resolved.text, code: WebhookErrorCode.HttpStatus, detail: this.unmapped(resolved.text) });
    }
  }

  async close(): Promise<void> {}

  private async retrieve(n: Notification, signal?: AbortSignal): Promise<ReplyOrFailure> {
    const resolved = this.resolve(n);
    const fail = (code: WebhookFailure['code'], detail: string): ReplyOrFailure => ({ kind: 'failure', failure: { code, detail, url: resolved.text } });
    if (!resolved.url) {
      this.record('fetch', n, resolved.text, undefined);
      return fail(WebhookErrorCode.InvalidUrl, resolved.detail);
    }
    const match = this.match(resolved.url);
    this.record('fetch', n, resolved.text, match?.pattern.source);
    if (!match) return fail(WebhookErrorCode.HttpStatus, this.unmapped(resolved.text));

    const route = typeof match.route === 'string'
      ? (match.route.trimStart().startsWith('<') ? { ozml: match.route } : { file: match.route })
      : match.route;
    if (route.delayMs) await this.sleep(route.delayMs, signal);
    const status = route.status ?? 200;
    if (status < 200 || status > 299) return fail(WebhookErrorCode.HttpStatus, `HTTP ${status} from ${resolved.text} (local route ${match.pattern.source})`);
    if (status === 204 || status === 205) return { kind: 'empty', url: resolved.text };

    let text: string | Uint8Array;
    if (route.ozml !== undefined) {
      text = route.ozml;
    } else if (route.file !== undefined) {
      const file = path.resolve(this.options.baseDir ?? process.cwd(), route.file);
      const release = this.options.clock?.hold();
      try {
        text = new Uint8Array(await readFile(file));
      } catch (error) {
        return fail(WebhookErrorCode.HttpStatus, `local route ${match.pattern.source}: cannot read ${file}: ${(error as Error).message}`);
      } finally {
        release?.();
      }
    } else {
      return { kind: 'empty', url: resolved.text };
    }
    const maxBytes = this.options.maxBodyBytes ?? WEBHOOK_DEFAULTS.maxBodyBytes;
    const size = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
    if (size > maxBytes) return fail(WebhookErrorCode.TooLarge, `the document is ${size} bytes; the limit is ${maxBytes}`);
    return compileReply(text, resolved.text, n, maxBytes, this.options.compile);
  }

  private resolve(n: Notification): { url?: URL; text: string; detail: string } {
    const resolved = resolveTarget(n.url, n.baseUrl ?? this.options.publicBaseUrl);
    if (!resolved.ok) return { text: n.url, detail: resolved.detail };
    return { url: resolved.target.url, text: resolved.target.url.href, detail: '' };
  }

  private match(url: URL): { pattern: UrlPattern; route: LocalRoute } | undefined {
    return this.routes.find((r) => r.pattern.matches(url));
  }

  private unmapped(url: string): string {
    const known = this.routes.map((r) => r.pattern.source);
    return `no local route for ${url} (routes: ${known.length > 0 ? known.join(', ') : 'none'})`;
  }

  private record(kind: LocalDelivery['kind'], n: Notification, url: string, route: string | undefined): void {
    const delivery: LocalDelivery = { kind, name: n.name, url, params: notificationParams(n) };
    if (route !== undefined) delivery.route = route;
    this.deliveries.push(delivery);
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms, signal);
    return this.options.clock ? this.options.clock.sleep(ms, signal) : sleep(ms, signal);
  }
}
