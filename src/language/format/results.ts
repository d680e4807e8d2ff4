/** The input of every output format: one entry per linted file, and the counts the formats print. */
import type { Diagnostic } from '../types.js';

export interface LintFileResult {
  /** The path as shown to the user: as given on the command line, forward slashes; `<stdin>` for `-`. */
  path: string;
  diagnostics: readonly Diagnostic[];
  /** The document text, for code frames and fingerprints; absent when it was not read (e.g. too large). */
  source?: string;
}

export interface LintSummary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(results: readonly LintFileResult[]): LintSummary {
  const summary: LintSummary = { files: results.length, errors: 0, warnings: 0, infos: 0 };
  for (const result of results) {
    for (const diagnostic of result.diagnostics) {
      if (diagnostic.severity === 'error') summary.errors++;
      else if (diagnostic.severity === 'warning') summary.warnings++;
      else summary.infos++;
    }
  }
  return summary;
}

/** Splits text into lines the way `LineIndex` numbers them (CRLF, LF and lone CR each end a line). */
export function sourceLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}
