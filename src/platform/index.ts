/**
 * The platform: between the front doors (CLI, HTTP APIs) and the engine, webhooks and call layer.
 * It dispatches calls that ring in, routes them, runs the service desk, third-party and outbound
 * calls, keeps the call registry and mints ids. docs/platform.md.
 */
export { createPlatform, resolveApp, UnknownAppError } from './platform.js';
export type { CallNotification, OutboundPlan, Platform, PlatformOptions, PlatformSource, SourceParts } from './platform.js';
export type { CallTicket, InboundPlan } from './dispatcher.js';
export type { PlatformEvent, PlatformEventListener } from './events.js';
export { sequentialIds, uniqueIds } from './ids.js';
export type { IdKind, IdSource } from './ids.js';
export { InMemoryCallRegistry } from './registry.js';
export type { ActiveCall, CallRegistry, RegisteredLeg } from './registry.js';
export { DEFAULT_PLATFORM_LIMITS } from './limits.js';
export type { PlatformLimitName, PlatformLimits } from './limits.js';
export { lastCallState, MAX_ROUTING_ROUNDS } from './routing.js';
export type { ServiceScripts } from './services.js';
