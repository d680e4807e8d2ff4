/** The source line of a diagnostic with a caret underline, as shown on a terminal. */
import type { Range } from '../types.js';

/**
 * `lines` are the document's lines (see `sourceLines`). The underline copies tabs from the source
 * line so it stays aligned whatever the terminal's tab width. Multi-line ranges are underlined to
 * the end of their first line.
 */
export function codeFrame(lines: readonly string[], range: Range, mark: (s: string) => string = (s) => s): string {
  const text = lines[range.line - 1];
  if (text === undefined) return '';
  const start = Math.min(Math.max(range.column, 1), text.length + 1);
  const end = range.endLine === range.line ? Math.min(range.endColumn, text.length + 1) : text.length + 1;
  const width = Math.max(end - start, 1);
  const lead = text.slice(0, start - 1).replace(/[^\t]/g, ' ');
  const number = String(range.line);
  const gutter = ' '.repeat(number.length);
  return `  ${number} | ${text}\n  ${gutter} | ${lead}${mark('^'.repeat(width))}\n`;
}
