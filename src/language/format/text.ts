/**
 * `--format text` (the default): `path:line:column  severity  message  rule-id`, one finding per line
 * so terminals and editors can jump to it, an optional code frame, and a summary line.
 */
import picocolors from 'picocolors';
import type { Severity } from '../types.js';
import { codeFrame } from './code-frame.js';
import type { LintFileResult } from './results.js';
import { sourceLines, summarize } from './results.js';

export interface TextFormatOptions {
  /** ANSI colours (the CLI decides from NO_COLOR / FORCE_COLOR / TTY). */
  color?: boolean;
  /** Show the source line with a caret underline under each finding (on a TTY). */
  codeFrame?: boolean;
}

/** Keeps one finding per line: line breaks inside a message (quoted document text) are shown as \\n. */
const oneLine = (message: string): string => message.replace(/\r\n|\r|\n/g, '\\n');

/** `1 warning`, `2 warnings`: a count with its noun (regular plurals only). */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatText(results: readonly LintFileResult[], options: TextFormatOptions = {}): string {
  const c = picocolors.createColors(options.color ?? false);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  let out = '';
  for (const result of results) {
    const lines = options.codeFrame && result.source !== undefined ? sourceLines(result.source) : undefined;
    for (const d of result.diagnostics) {
      const where = `${result.path}:${d.range.line}:${d.range.column}`;
      out += `${where}  ${paint[d.severity](d.severity)}  ${oneLine(d.message)}  ${c.dim(d.rule)}\n`;
      if (lines) out += `${codeFrame(lines, d.range, paint[d.severity])}\n`;
    }
  }
  const summary = summarize(results);
  const problems = summary.errors + summary.warnings + summary.infos;
  if (problems === 0) {
    return `${out}${c.green('✔')} ${plural(summary.files, 'file')} checked, no problems\n`;
  }
  const counts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning')];
  if (summary.infos > 0) counts.push(`${summary.infos} info`);
  const line = `✖ ${plural(problems, 'problem')} (${counts.join(', ')})`;
  const colored = summary.errors > 0 ? c.bold(c.red(line)) : c.bold(c.yellow(line));
  return `${out}${out && !options.codeFrame ? '\n' : ''}${colored}\n`;
}
