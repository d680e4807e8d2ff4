/**
 * `--format github`: GitHub Actions workflow commands, one per diagnostic, so findings appear as
 * annotations on the pull request. Escaping follows the Actions toolkit's command encoding.
 */
import type { Severity } from '../types.js';
import type { LintFileResult } from './results.js';

/** Escapes a command's message (the part after `::`). */
export function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escapes a property value (`file=…`, `title=…`), where `:` and `,` are separators. */
export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(results: readonly LintFileResult[]): string {
  let out = '';
  for (const result of results) {
    for (const d of result.diagnostics) {
      const r = d.range;
      const properties = [
        `file=${escapeProperty(result.path)}`,
        `line=${r.line}`,
        `endLine=${r.endLine}`,
        `col=${r.column}`,
        `endColumn=${r.endColumn}`,
        `title=${escapeProperty(d.rule)}`,
      ].join(',');
      out += `::${COMMANDS[d.severity]} ${properties}::${escapeData(d.message)}\n`;
    }
  }
  return out;
}
