/** `compileDocument`: text → diagnostics and, when there is no error, a program. Never throws. */
import { bindDocument } from './bind.js';
import { applySetting, lintDocument } from './lint.js';
import type { LintSettings } from './lint.js';
import { buildNodes } from './program.js';
import type { CompileResult, Diagnostic, DocumentContext, RuleSetting } from './types.js';
import { START_OF_DOCUMENT } from './xml/positions.js';
import { readXml } from './xml/read.js';
import type { ValueEnvironment } from './values.js';

/** Limits of docs/language.md. */
export const LINT_MAX_BYTES = 1024 * 1024;
export const FETCH_MAX_BYTES = 64 * 1024;
export const MAX_DEPTH = 64;

export interface CompileOptions {
  /** The notification kind the document answers (default `api-extension`). */
  context?: DocumentContext;
  /** Where the document came from; relative URLs resolve against it. */
  url?: string;
  /** Size cap in bytes (default 1 MiB, the lint limit; the webhook client passes its own). */
  maxBytes?: number;
  /** Nesting cap (default 64). */
  maxDepth?: number;
  /** Rule id → severity overrides. */
  rules?: Readonly<Record<string, RuleSetting>>;
  /** Variables the notification is known to define (silences undefined-variable). */
  knownVariables?: readonly string[];
  /** Arrays the platform provides besides `voicemails`. */
  knownArrays?: readonly string[];
  /** Registered service names; when given, TransferToService's Service is checked against them. */
  services?: readonly string[];
  /** Tone names defined in the config, on top of the built-in ones. */
  tones?: readonly string[];
}

export function compileDocument(input: string | Uint8Array, options: CompileOptions = {}): CompileResult {
  return guarded(input, options, true);
}

/**
 * The diagnostics `compileDocument` would give, without building the program: what `ozml lint`
 * needs (it would throw the program away).
 */
export function lintText(input: string | Uint8Array, options: CompileOptions = {}): Diagnostic[] {
  return guarded(input, options, false).diagnostics;
}

/** Arguments rather than a callback: a closure would be allocated for every document. */
function guarded(input: string | Uint8Array, options: CompileOptions, withProgram: boolean): CompileResult {
  try {
    return compile(input, options, withProgram);
  } catch (error) {
    // A defect, not a property of the document: still a diagnostic, never an exception.
    const message = error instanceof Error ? error.message : String(error);
    return { diagnostics: [{ rule: 'internal-error', severity: 'error', message: `Internal error while compiling: ${message}`, range: START_OF_DOCUMENT }] };
  }
}

const isError = (diagnostic: Diagnostic): boolean => diagnostic.severity === 'error';

function compile(input: string | Uint8Array, options: CompileOptions, withProgram: boolean): CompileResult {
  const context = options.context ?? 'api-extension';
  const read = readXml(input, { maxBytes: options.maxBytes ?? LINT_MAX_BYTES, maxDepth: options.maxDepth ?? MAX_DEPTH });
  if (!read.ok) {
    return { diagnostics: read.diagnostics.flatMap((d) => applySetting(d, options.rules) ?? []) };
  }
  const document = bindDocument(read.root, context);
  // Assigned rather than spread (spreading cost a noticeable part of compiling a small reply);
  // the keys keep their order.
  const environment: ValueEnvironment = {};
  if (options.tones) environment.tones = options.tones;
  if (options.services) environment.services = options.services;
  const settings: LintSettings = { environment };
  if (options.rules) settings.rules = options.rules;
  if (options.knownVariables) settings.knownVariables = options.knownVariables;
  if (options.knownArrays) settings.knownArrays = options.knownArrays;
  const diagnostics: Diagnostic[] = lintDocument(document, settings);
  if (!document.rootName && !diagnostics.some(isError)) {
    // Without a known root there is no program to build: even with unknown-root turned down or
    // off, the document must not pass as clean.
    const reported = diagnostics.findIndex((d) => d.rule === 'unknown-root');
    if (reported >= 0) diagnostics[reported] = { ...diagnostics[reported]!, severity: 'error' };
    else {
      diagnostics.push({
        rule: 'unknown-root', severity: 'error', range: document.root.startTagRange,
        message: `Unknown root element <${document.root.name}>; an OzML document is a <Response>.`, suggestion: 'Response',
      });
    }
  }
  if (!withProgram || diagnostics.some(isError) || !document.rootName) return { diagnostics };
  const url = options.url;
  const root = document.rootName;
  if (!url) return { program: { root, context, instructions: buildNodes(document.elements, { context, environment }) }, diagnostics };
  const instructions = buildNodes(document.elements, { context, environment, url });
  return { program: { root, context, url, instructions }, diagnostics };
}
