/**
 * What the webhook client reports while it works: for traces (`ozml run`), logs and tests. Events
 * are informational; outcomes are in the replies.
 */
import type { WebhookErrorCode } from './error-codes.js';
import type { NotificationName } from './script-source.js';

export type WebhookEvent =
  | { type: 'request'; notification: NotificationName; method: 'POST' | 'GET'; url: string; attempt: number; redirect: number }
  | { type: 'response'; notification: NotificationName; url: string; status: number; attempt: number }
  | { type: 'redirect'; notification: NotificationName; from: string; to: string; status: number }
  | { type: 'retry'; notification: NotificationName; url: string; nextAttempt: number; delayMs: number; reason: string }
  | { type: 'failure'; notification: NotificationName; url: string; code: WebhookErrorCode; detail: string }
  | { type: 'overrides-ignored'; url: string; entries: string[] }
  | { type: 'error-notification'; url: string; code: WebhookErrorCode; failedUrl: string }
  | { type: 'fallback'; notification: NotificationName; url: string; failedUrl: string; code: WebhookErrorCode };

export type WebhookEventListener = (event: WebhookEvent) => void;
