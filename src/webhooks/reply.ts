/**
 * Turning a webhook's answer into a ScriptReply: the empty-reply rules, the content-type check,
 * charset decoding, and compilation with the language core in the notification's context.
 */
import { parseMIMEType } from 'undici';
import { compileDocument } from '../language/index.js';
import type { CompileOptions, Diagnostic } from '../language/index.js';
import { WebhookErrorCode } from './error-codes.js';
import type { WebhookFailure } from './error-codes.js';
import type { Notification, ScriptReply } from './script-source.js';
import type { HttpResponse } from './transport.js';

export const ACCEPTED_CONTENT_TYPES: readonly string[] = ['application/xml', 'text/xml', 'text/plain'];

/** Rules whose errors mean "not a readable OzML document" (12100) rather than "invalid OzML" (12200). */
const PARSE_RULES = new Set(['xml-syntax', 'doctype-forbidden', 'document-too-large', 'nesting-too-deep', 'unknown-root', 'internal-error']);

/** Compile settings the caller may pass through (config-defined services and tones, rule overrides). */
export type ReplyCompileOptions = Pick<CompileOptions, 'rules' | 'services' | 'tones' | 'knownArrays' | 'knownVariables'>;

export type ReplyOrFailure = Exclude<ScriptReply, { kind: 'failed' }> | { kind: 'failure'; failure: WebhookFailure };

/** An HTTP 2xx answer → reply or failure. `url` is the URL the answer finally came from. */
export function replyFromResponse(response: HttpResponse, url: string, n: Notification, maxBytes: number, options: ReplyCompileOptions = DEFAULT_OPTIONS): ReplyOrFailure {
  if (response.status === 204 || response.status === 205 || isBlank(response.body)) return { kind: 'empty', url };
  const contentType = response.headers['content-type'];
  const mime = contentType === undefined ? 'failure' : mimeTypeOf(contentType);
  if (mime === 'failure' || !ACCEPTED_CONTENT_TYPES.includes(mime.essence)) {
    const got = contentType === undefined ? 'no Content-Type' : `Content-Type '${contentType}'`;
    return failure(WebhookErrorCode.ContentType, `${got}; expected ${ACCEPTED_CONTENT_TYPES.join(', ')}`, url);
  }
  let text: string | Uint8Array = response.body;
  const charset = mime.parameters.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    try {
      text = new TextDecoder(charset).decode(response.body);
    } catch {
      return failure(WebhookErrorCode.ContentType, `unsupported charset '${charset}' in Content-Type '${contentType}'`, url);
    }
  }
  return compileReply(text, url, n, maxBytes, options);
}

/** Document text → reply or failure (shared with LocalScriptSource). */
export function compileReply(text: string | Uint8Array, url: string, n: Notification, maxBytes: number, options: ReplyCompileOptions = DEFAULT_OPTIONS): ReplyOrFailure {
  if (isBlank(text)) return { kind: 'empty', url };
  const settings = compileSettingsFor(options, n.params);
  // Every field by name (one object shape for every call): spreading the cached settings here cost
  // a quarter of a small reply's compile time.
  const result = compileDocument(text, {
    rules: settings.rules, knownVariables: settings.knownVariables, knownArrays: settings.knownArrays,
    services: settings.services, tones: settings.tones, context: n.context, url, maxBytes,
  });
  if (!result.program) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const parse = errors.some((d) => PARSE_RULES.has(d.rule));
    return failure(parse ? WebhookErrorCode.DocumentParse : WebhookErrorCode.DocumentInvalid, describeDiagnostics(errors), url);
  }
  if (result.program.instructions.length === 0) return { kind: 'empty', url };
  // Most replies have no diagnostics at all; that case needs no filtered copy.
  if (result.diagnostics.length === 0) return { kind: 'document', program: result.program, url };
  const warnings = result.diagnostics.filter((d) => d.severity !== 'error');
  return warnings.length > 0 ? { kind: 'document', program: result.program, url, diagnostics: warnings } : { kind: 'document', program: result.program, url };
}

type CompileSettings = ReplyCompileOptions & { knownVariables: readonly string[] };

/** Compile settings for one parameter-name list (the names in their order). */
interface SettingsEntry {
  names: readonly string[];
  settings: CompileSettings;
}

/** Distinct parameter-name lists remembered per options object; a handful of notification kinds occur in practice. */
const MAX_SIGNATURES = 64;
const DEFAULT_OPTIONS: ReplyCompileOptions = Object.freeze({});
const settingsCache = new WeakMap<ReplyCompileOptions, SettingsEntry[]>();

/**
 * The compile options for replies to notifications with these parameter names, the same objects
 * every time. The language core reuses its rule instances per `rules` object only while
 * `knownVariables` is the same array; a fresh array per fetch rebuilt every rule for every reply
 * (bench:webhooks), and one shared `rules` object would make notification kinds with different
 * parameters evict each other. So each parameter-name list gets its own pair. An empty `rules`
 * object means the same as none. Lists are compared name by name (no joined key string per fetch),
 * the last one found first.
 */
function compileSettingsFor(options: ReplyCompileOptions, params: Record<string, string>): CompileSettings {
  const names = Object.keys(params);
  let entries = settingsCache.get(options);
  if (!entries) {
    entries = [];
    settingsCache.set(options, entries);
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (!sameNames(entry.names, names)) continue;
    if (i !== entries.length - 1) {
      entries.splice(i, 1);
      entries.push(entry);
    }
    return entry.settings;
  }
  if (entries.length >= MAX_SIGNATURES) entries.length = 0;
  const settings = { ...options, rules: { ...options.rules }, knownVariables: [...(options.knownVariables ?? []), 'NotificationName', ...names] };
  entries.push({ names, settings });
  return settings;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type MimeType = Exclude<ReturnType<typeof parseMIMEType>, 'failure'>;

/** A webhook answers with the same few Content-Type values again and again; parsing each once is enough. */
const MAX_CACHED_MIME_TYPES = 32;
const mimeTypes = new Map<string, MimeType | 'failure'>();

function mimeTypeOf(contentType: string): MimeType | 'failure' {
  let mime = mimeTypes.get(contentType);
  if (mime === undefined) {
    mime = parseMIMEType(contentType);
    if (mimeTypes.size >= MAX_CACHED_MIME_TYPES) mimeTypes.clear();
    mimeTypes.set(contentType, mime);
  }
  return mime;
}

/** `3:5 unknown-verb: Unknown verb <Spek>; 2:1 …` — the first three, then a count. */
function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const shown = diagnostics.slice(0, 3).map((d) => `${d.range.line}:${d.range.column} ${d.rule}: ${d.message}`);
  const more = diagnostics.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

function failure(code: WebhookFailure['code'], detail: string, url: string): ReplyOrFailure {
  return { kind: 'failure', failure: { code, detail, url } };
}

function isBlank(body: string | Uint8Array): boolean {
  if (typeof body === 'string') return body.trim() === '';
  for (const byte of body) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}
