/**
 * `--format json`: a stable shape other tools rely on (issue 2). Key order is part of the contract:
 * {"version":1,"files":[{"path","diagnostics":[{rule,severity,line,column,endLine,endColumn,message,suggestion?}]}],
 *  "summary":{files,errors,warnings}}.
 */
import type { LintFileResult } from './results.js';
import { summarize } from './results.js';

export interface JsonDiagnostic {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  suggestion?: string;
}

export interface JsonReport {
  version: 1;
  files: { path: string; diagnostics: JsonDiagnostic[] }[];
  summary: { files: number; errors: number; warnings: number };
}

export function toJsonReport(results: readonly LintFileResult[]): JsonReport {
  const { files, errors, warnings } = summarize(results);
  return {
    version: 1,
    files: results.map((result) => ({
      path: result.path,
      diagnostics: result.diagnostics.map((d): JsonDiagnostic => ({
        rule: d.rule,
        severity: d.severity,
        line: d.range.line,
        column: d.range.column,
        endLine: d.range.endLine,
        endColumn: d.range.endColumn,
        message: d.message,
        ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
      })),
    })),
    summary: { files, errors, warnings },
  };
}

/** One line of JSON and a newline. */
export function formatJson(results: readonly LintFileResult[]): string {
  return `${JSON.stringify(toJsonReport(results))}\n`;
}
