/** Output formats of `ozml lint`: pure functions from lint results to text. */
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import type { LintFileResult } from './results.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export type { LintFileResult, LintSummary } from './results.js';
export { sourceLines, summarize } from './results.js';
export { codeFrame } from './code-frame.js';
export { formatText, plural } from './text.js';
export type { TextFormatOptions } from './text.js';
export { formatJson, toJsonReport } from './json.js';
export type { JsonDiagnostic, JsonReport } from './json.js';
export { FINGERPRINT_KEY, RULES_DOC_URL, SARIF_SCHEMA, formatSarif } from './sarif.js';
export type { SarifFormatOptions } from './sarif.js';
export { escapeData, escapeProperty, formatGithub } from './github.js';
export { renderRulesDoc } from './rules-doc.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FormatOptions {
  /** text: ANSI colours. */
  color?: boolean;
  /** text: code frames. */
  codeFrame?: boolean;
  /** sarif: the ozml version. */
  toolVersion: string;
  /** sarif: the directory relative paths start from. */
  sourceRoot?: string;
}

export function formatResults(format: OutputFormat, results: readonly LintFileResult[], options: FormatOptions): string {
  switch (format) {
    case 'text':
      return formatText(results, {
        ...(options.color !== undefined ? { color: options.color } : {}),
        ...(options.codeFrame !== undefined ? { codeFrame: options.codeFrame } : {}),
      });
    case 'json':
      return formatJson(results);
    case 'sarif':
      return formatSarif(results, {
        toolVersion: options.toolVersion,
        ...(options.sourceRoot !== undefined ? { sourceRoot: options.sourceRoot } : {}),
      });
    case 'github':
      return formatGithub(results);
  }
}
