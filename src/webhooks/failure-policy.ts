/**
 * What happens after a fetch fails (docs/webhooks.md): an Error notification to the ErrorUrl, then the
 * app's FallbackUrl, else a `failed` reply (the engine hangs up with `application-error`). Shared
 * by the HTTP and the local source so both behave alike.
 */
import type { WebhookFailure } from './error-codes.js';
import type { WebhookEventListener } from './events.js';
import type { ReplyOrFailure } from './reply.js';
import type { Notification, ScriptReply } from './script-source.js';

/** The parameters every notification carries (docs/webhooks.md); an Error notification repeats them. */
export const COMMON_PARAMS = ['CallId', 'Caller', 'Callee', 'ApiExtension', 'CallState', 'Direction', 'Timestamp'] as const;

export interface FailurePolicyDeps {
  /** One retrieval (its own retries and redirects included). Rejects only on abort. */
  retrieve(n: Notification, signal?: AbortSignal): Promise<ReplyOrFailure>;
  /** Delivers a notification whose reply is ignored. Rejects only on abort. */
  deliverError(n: Notification, signal?: AbortSignal): Promise<void>;
  /** The app's ErrorUrl (a notification's own `errorUrl` wins). */
  errorUrl?: string;
  fallbackUrl?: string;
  /** Base for relative app URLs. */
  publicBaseUrl?: string;
  emit: WebhookEventListener;
}

export async function fetchWithFailurePolicy(n: Notification, deps: FailurePolicyDeps, signal?: AbortSignal): Promise<ScriptReply> {
  const first = await deps.retrieve(n, signal);
  if (first.kind !== 'failure') return first;
  await reportFailure(n, first.failure, deps, signal);

  // Vendor rule for `Call`: an empty or unreachable Url hangs the new call up; no FallbackUrl.
  if (n.name === 'CallConnected' || deps.fallbackUrl === undefined || deps.fallbackUrl.trim() === '') return failed(first.failure);

  const fallback: Notification = {
    ...n,
    url: deps.fallbackUrl,
    params: { ...n.params, ErrorCode: String(first.failure.code), ErrorUrl: first.failure.url },
  };
  if (deps.publicBaseUrl !== undefined) fallback.baseUrl = deps.publicBaseUrl;
  else delete fallback.baseUrl;
  deps.emit({ type: 'fallback', notification: n.name, url: deps.fallbackUrl, failedUrl: first.failure.url, code: first.failure.code });
  const second = await deps.retrieve(fallback, signal);
  if (second.kind !== 'failure') return second;
  await reportFailure(fallback, second.failure, deps, signal);
  return failed({
    ...first.failure,
    detail: `${first.failure.detail}; FallbackUrl ${second.failure.url} failed too: ${second.failure.code} ${second.failure.detail}`,
  });
}

/** Sends the Error notification for `failure`, if there is an ErrorUrl. Errors about Error notifications are not reported. */
export async function reportFailure(n: Notification, failure: WebhookFailure, deps: FailurePolicyDeps, signal?: AbortSignal): Promise<void> {
  deps.emit({ type: 'failure', notification: n.name, url: failure.url, code: failure.code, detail: failure.detail });
  if (n.name === 'Error') return;
  const own = n.errorUrl !== undefined && n.errorUrl.trim() !== '';
  const url = own ? n.errorUrl! : deps.errorUrl;
  if (url === undefined || url.trim() === '') return;
  const params: Record<string, string> = {};
  for (const name of COMMON_PARAMS) {
    const value = n.params[name];
    if (value !== undefined) params[name] = value;
  }
  params['ErrorCode'] = String(failure.code);
  params['ErrorUrl'] = failure.url;
  params['Detail'] = failure.detail;
  const errorNotification: Notification = { name: 'Error', url, params, context: n.context };
  const base = own ? n.baseUrl : deps.publicBaseUrl;
  if (base !== undefined) errorNotification.baseUrl = base;
  deps.emit({ type: 'error-notification', url, code: failure.code, failedUrl: failure.url });
  await deps.deliverError(errorNotification, signal);
}

function failed(f: WebhookFailure): ScriptReply {
  return { kind: 'failed', code: f.code, detail: f.detail, url: f.url };
}
