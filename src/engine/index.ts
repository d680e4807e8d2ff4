/** The executor: runs compiled programs against call legs through the channel API. */
export { Engine } from './engine.js';
export type { CallAdmission, CallRefusal, EngineEvent, EngineOptions, SessionHandle, SessionResult, SessionStart, StartOptions } from './engine.js';
export { END_CAUSES, EventHub } from './events.js';
export type { EndCause, ResolvedValue, SessionEvent } from './events.js';
export { RecordingOutbox } from './outbox.js';
export type { Outbox, OutboxMessage } from './outbox.js';
export { DEFAULT_LIMITS } from './runtime.js';
export type { SessionLimits } from './runtime.js';
export { decodeContactId, encodeContactId, EVENT_NAMES } from './alarm/contact-id.js';
export type { ContactIdMessage, EventQualifier } from './alarm/contact-id.js';
export { MAX_ROUNDS } from './verbs/user-input.js';
export type { ArrayItem } from './variables.js';
