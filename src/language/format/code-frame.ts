/** The source line of a diagnostic with a caret underline, as shown on a terminal. */
import type { Range } from '../types.js';
import { lineWindow } from './line-window.js';

/**
 * `lines` are the document's lines (see `sourceLines`). The underline copies tabs from the source
 * line so it stays aligned whatever the terminal's tab width. Multi-line ranges are underlined to
 * the end of their first line. A long line is clipped to a window around the range (`lineWindow`),
 * with `…` where text was left out.
 */
export function codeFrame(lines: readonly string[], range: Range, mark: (s: string) => string = (s) => s): string {
  const text = lines[range.line - 1];
  if (text === undefined) return '';
  const { from, to, start, end } = lineWindow(text, range.column, range.endLine === range.line ? range.endColumn : undefined);
  const before = from > 0 ? '…' : '';
  const after = to < text.length ? '…' : '';
  const width = Math.max(end - start, 1);
  const lead = (before ? ' ' : '') + text.slice(from, start).replace(/[^\t]/g, ' ');
  const number = String(range.line);
  const gutter = ' '.repeat(number.length);
  return `  ${number} | ${before}${text.slice(from, to)}${after}\n  ${gutter} | ${lead}${mark('^'.repeat(width))}\n`;
}
