/**
 * The ozml package. The most used entry points are exported by name; each area is also available
 * whole as a namespace (`language`, `calls`, `engine`, `webhooks`, `config`, `platform`, `dryrun`).
 */
export { compileDocument } from './language/index.js';
export type { CompileOptions, CompileResult, Diagnostic, DocumentContext, Program, ProgramNode, Range } from './language/index.js';
export { CallControl, CallChannel, HangupError, InvalidStateError, RealClock, SimSwitch, VirtualClock } from './calls/index.js';
export type { Clock, Switch } from './calls/index.js';
export { Engine } from './engine/index.js';
export type { EngineEvent, EngineOptions, SessionHandle, SessionResult } from './engine/index.js';
export { HttpScriptSource, LocalScriptSource, verifySignature } from './webhooks/index.js';
export type { Notification, ScriptReply, ScriptSource } from './webhooks/index.js';
export { loadConfig, ConfigError } from './config/index.js';
export type { OzmlConfig } from './config/index.js';
export { createPlatform, InMemoryCallRegistry, sequentialIds, uniqueIds } from './platform/index.js';
export type { ActiveCall, CallRegistry, IdSource, Platform, PlatformOptions } from './platform/index.js';
export { runScenario, loadScenario } from './dryrun/index.js';

export * as language from './language/index.js';
export * as calls from './calls/index.js';
export * as engine from './engine/index.js';
export * as webhooks from './webhooks/index.js';
export * as config from './config/index.js';
export * as platform from './platform/index.js';
export * as dryrun from './dryrun/index.js';
