/**
 * Linting one document, the same on the main thread and in a lint worker: read with the size cap,
 * compile, and return plain data (structured-clone safe) so both paths give identical results.
 */
import { lintText, LINT_MAX_BYTES } from '../language/index.js';
import type { DocumentContext, RuleSetting } from '../language/index.js';
import type { LintFileResult } from '../language/format/results.js';
import { readDocumentFile, tooLargeDiagnostic } from './lint-read.js';
import type { ReadDocument } from './lint-read.js';

/** Settings shared by every document of a run. */
export interface LintSettings {
  rules: Readonly<Record<string, RuleSetting>>;
  /** From the config: TransferToService names are checked against these when there is a config. */
  services?: readonly string[];
  /** From the config: tone names it defines, on top of the built-in ones. */
  tones?: readonly string[];
  /** Variables and arrays the documents may use without declaring them (config and `--known-…` flags). */
  knownVariables?: readonly string[];
  knownArrays?: readonly string[];
  /** Keep the document text for code frames (TTY text) and SARIF fingerprints. */
  keepSource: boolean;
}

/** A file to lint, as the worker receives it. */
export interface LintFileJob {
  /** Shown to the user. */
  path: string;
  /** Read from here. */
  absolute: string;
  context?: DocumentContext;
}

export type LintOutcome =
  | { ok: true; result: LintFileResult }
  /** The file could not be read: the message for stderr; the run exits 2. */
  | { ok: false; message: string };

export function unreadableMessage(path: string, error: unknown): string {
  return `ozml lint: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`;
}

/** Compiles a document already read (a file, or stdin when `fromStdin`). */
export function lintDocument(path: string, read: ReadDocument, context: DocumentContext | undefined, settings: LintSettings, fromStdin = false): LintFileResult {
  if (!read.ok) return { path, diagnostics: [tooLargeDiagnostic(read.size, LINT_MAX_BYTES, fromStdin)] };
  const diagnostics = lintText(read.bytes, {
    rules: settings.rules,
    ...(context ? { context } : {}),
    ...(settings.services ? { services: settings.services } : {}),
    ...(settings.tones ? { tones: settings.tones } : {}),
    ...(settings.knownVariables ? { knownVariables: settings.knownVariables } : {}),
    ...(settings.knownArrays ? { knownArrays: settings.knownArrays } : {}),
  });
  return { path, diagnostics, ...(settings.keepSource ? { source: read.bytes.toString('utf8') } : {}) };
}

/** Reads and lints one file; never throws for an unreadable file. */
export function lintFile(job: LintFileJob, settings: LintSettings): LintOutcome {
  let read: ReadDocument;
  try {
    read = readDocumentFile(job.absolute, LINT_MAX_BYTES);
  } catch (error) {
    return { ok: false, message: unreadableMessage(job.path, error) };
  }
  return { ok: true, result: lintDocument(job.path, read, job.context, settings) };
}
