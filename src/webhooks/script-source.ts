/**
 * The contract between the executor and whatever supplies OzML documents: the customer's web server
 * (HttpScriptSource) or a local table of files (LocalScriptSource).
 */
import type { Diagnostic, DocumentContext, Program } from '../language/types.js';

export type NotificationName = 'IncomingCall' | 'CallConnected' | 'DtmfEntered' | 'RecordCompleted' | 'GoTo' | 'CallChanged'
  | 'TransferCompleted' | 'SMSDeliveryReport' | 'RoutingInterception' | 'Error';

export const NOTIFICATION_NAMES: readonly NotificationName[] = [
  'IncomingCall', 'CallConnected', 'DtmfEntered', 'RecordCompleted', 'GoTo', 'CallChanged',
  'TransferCompleted', 'SMSDeliveryReport', 'RoutingInterception', 'Error',
];

export interface Notification {
  name: NotificationName;
  /** Target URL as written (may be relative, may carry a `#ct=..&rt=..` fragment). */
  url: string;
  /** URL of the document whose verb caused it; a relative `url` resolves against it. */
  baseUrl?: string;
  /**
   * CallId, Caller, Callee, ApiExtension, CallState, Direction, Timestamp + per-kind params.
   * The engine fills them; the source adds `NotificationName`.
   */
  params: Record<string, string>;
  /** The context the reply is compiled in. */
  context: DocumentContext;
  /**
   * An ErrorUrl given by the verb itself (e.g. `<Call ErrorUrl=…>`); overrides the app's ErrorUrl
   * for failures of this notification. Relative values resolve like `url`.
   */
  errorUrl?: string;
}

export type ScriptReply =
  /** A reply with at least one verb; `url` is where it finally came from (after redirects). */
  | { kind: 'document'; program: Program; url: string; diagnostics?: Diagnostic[] }
  /** `<Response/>`, 204 or an empty body: the script continues. */
  | { kind: 'empty'; url: string }
  /** Policy exhausted (Error notification sent, FallbackUrl tried): the call ends with `application-error`. */
  | { kind: 'failed'; code: number; detail: string; url: string };

export interface ScriptSource {
  /** Sends a notification whose reply runs. Never rejects for HTTP or document problems, only on abort. */
  fetch(n: Notification, options?: { signal?: AbortSignal }): Promise<ScriptReply>;
  /** Fire-and-forget: the reply is ignored (TransferCompleted to a FinishedUrl, SMSDeliveryReport, …). */
  send(n: Notification, options?: { signal?: AbortSignal }): Promise<void>;
  close(): Promise<void>;
}

/** The context a reply to each notification is compiled in when the engine has nothing more specific. */
export function defaultContextFor(name: NotificationName): DocumentContext {
  switch (name) {
    case 'CallChanged':
      return 'third-party';
    case 'RoutingInterception':
      return 'routing';
    default:
      return 'api-extension';
  }
}

/** The parameters as sent: `NotificationName` first, then the engine's parameters in their order. */
export function notificationParams(n: Notification): Record<string, string> {
  const params: Record<string, string> = { NotificationName: n.name };
  for (const name of Object.keys(n.params)) {
    if (name !== 'NotificationName') params[name] = n.params[name]!;
  }
  return params;
}
