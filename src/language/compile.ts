/** `compileDocument`: text → diagnostics and, when there is no error, a program. Never throws. */
import { bindDocument } from './bind.js';
import { applySetting, lintDocument } from './lint.js';
import type { LintSettings } from './lint.js';
import { buildNodes } from './program.js';
import type { CompileResult, Diagnostic, DocumentContext, RuleSetting } from './types.js';
import { START_OF_DOCUMENT } from './xml/positions.js';
import { readXml } from './xml/read.js';

/** Limits of design.md §3. */
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
  return guarded(() => compile(input, options));
}

/**
 * The diagnostics `compileDocument` would give, without building the program: what `ozml lint`
 * needs (it would throw the program away).
 */
export function lintText(input: string | Uint8Array, options: CompileOptions = {}): Diagnostic[] {
  return guarded(() => compile(input, options, false)).diagnostics;
}

function guarded(run: () => CompileResult): CompileResult {
  try {
    return run();
  } catch (error) {
    // A defect, not a property of the document: still a diagnostic, never an exception.
    const message = error instanceof Error ? error.message : String(error);
    return { diagnostics: [{ rule: 'internal-error', severity: 'error', message: `Internal error while compiling: ${message}`, range: START_OF_DOCUMENT }] };
  }
}

function compile(input: string | Uint8Array, options: CompileOptions, withProgram = true): CompileResult {
  const context = options.context ?? 'api-extension';
  const read = readXml(input, { maxBytes: options.maxBytes ?? LINT_MAX_BYTES, maxDepth: options.maxDepth ?? MAX_DEPTH });
  if (!read.ok) {
    return { diagnostics: read.diagnostics.flatMap((d) => applySetting(d, options.rules) ?? []) };
  }
  const document = bindDocument(read.root, context);
  const environment = {
    ...(options.tones ? { tones: options.tones } : {}),
    ...(options.services ? { services: options.services } : {}),
  };
  const settings: LintSettings = {
    environment,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.knownVariables ? { knownVariables: options.knownVariables } : {}),
    ...(options.knownArrays ? { knownArrays: options.knownArrays } : {}),
  };
  const diagnostics: Diagnostic[] = lintDocument(document, settings);
  if (!document.rootName && !diagnostics.some((d) => d.severity === 'error')) {
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
  if (!withProgram || diagnostics.some((d) => d.severity === 'error') || !document.rootName) return { diagnostics };
  const instructions = buildNodes(document.elements, { context, environment, ...(options.url ? { url: options.url } : {}) });
  return {
    program: { root: document.rootName, context, ...(options.url ? { url: options.url } : {}), instructions },
    diagnostics,
  };
}
