/** Output formats of `ozml lint`: pure functions from lint results to text; `FORMATTERS` loads one by name. */
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

export { FORMATTERS, OUTPUT_FORMATS } from './select.js';
export type { FormatOptions, Formatter, OutputFormat } from './select.js';
