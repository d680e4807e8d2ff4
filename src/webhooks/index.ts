/** Notifications out, OzML in: the HTTP and local script sources, signing, the address policy, record/replay. */
export { NOTIFICATION_NAMES, defaultContextFor, notificationParams } from './script-source.js';
export type { Notification, NotificationName, ScriptReply, ScriptSource } from './script-source.js';
export { HttpScriptSource, DEFAULT_USER_AGENT } from './http-source.js';
export type { HttpScriptSourceOptions } from './http-source.js';
export { LocalScriptSource } from './local-source.js';
export type { LocalDelivery, LocalRoute, LocalScriptSourceOptions } from './local-source.js';
export { WEBHOOK_ERROR_DESCRIPTIONS, WebhookErrorCode } from './error-codes.js';
export type { WebhookFailure } from './error-codes.js';
export type { WebhookEvent, WebhookEventListener } from './events.js';
export { WEBHOOK_DEFAULTS, appSettings } from './settings.js';
export type { BodyFormat, DeliverySettings, WebhookApp } from './settings.js';
export {
  DEFAULT_TOLERANCE_SECONDS, KEY_ID_HEADER, SIGNATURE_HEADER, computeSignature, parseSignatureHeader, signatureHeader, verifySignature,
} from './signing.js';
export type { SignatureFailure, SignatureInput, VerifySignatureOptions, VerifySignatureResult } from './signing.js';
export { ADDRESS_KEYWORDS, AddressPolicy, AddressRefusedError, categoryOf, parseAllowEntry } from './address-policy.js';
export type { AddressCategory, AddressKeyword } from './address-policy.js';
export { DEFAULT_RETRY_POLICY, parseOverrides, parseRetryPolicy, resolveTarget } from './url-overrides.js';
export type { ParsedTarget, RetryPolicy, UrlOverrides } from './url-overrides.js';
export { ACCEPTED_CONTENT_TYPES, compileReply, replyFromResponse } from './reply.js';
export type { ReplyCompileOptions, ReplyOrFailure } from './reply.js';
export { COMMON_PARAMS, fetchWithFailurePolicy, reportFailure } from './failure-policy.js';
export type { FailurePolicyDeps } from './failure-policy.js';
export type { RecordedExchange } from './exchange-log.js';
export { compileUrlPattern } from './url-pattern.js';
export type { UrlPattern } from './url-pattern.js';
