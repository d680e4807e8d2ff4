/**
 * The part of a long source line that code frames and SARIF context snippets show, so output costs
 * the same per finding however long the line is (a minified document is one line). A line of at
 * most LINE_WINDOW_MAX characters is shown whole; a longer one is cut to LINE_WINDOW_CONTEXT
 * characters either side of the range, whose own width counts up to LINE_WINDOW_RANGE characters.
 * See docs/lint.md ("Long lines").
 */

/** Lines up to this many UTF-16 code units are shown whole. */
export const LINE_WINDOW_MAX = 160;
/** Characters of context kept before the range's start and after its (clipped) end. */
export const LINE_WINDOW_CONTEXT = 40;
/** At most this much of the range itself is shown (and underlined). */
export const LINE_WINDOW_RANGE = 80;

export interface LineWindow {
  /** Zero-based start of the shown text in the line (inclusive). */
  from: number;
  /** Zero-based end of the shown text (exclusive). */
  to: number;
  /** Zero-based start of the range, clamped to the line. */
  start: number;
  /** Zero-based end of the range (exclusive), clamped to the line and to LINE_WINDOW_RANGE. */
  end: number;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The window of `text` around the range [startColumn, endColumn) (1-based columns; `endColumn`
 * undefined = to the end of the line). Never splits a surrogate pair at the window's edges.
 */
export function lineWindow(text: string, startColumn: number, endColumn: number | undefined): LineWindow {
  const start = Math.min(Math.max(startColumn - 1, 0), text.length);
  const rangeEnd = Math.max(Math.min(endColumn === undefined ? text.length : endColumn - 1, text.length), start);
  if (text.length <= LINE_WINDOW_MAX) return { from: 0, to: text.length, start, end: rangeEnd };
  const end = Math.min(rangeEnd, start + LINE_WINDOW_RANGE);
  let from = Math.max(start - LINE_WINDOW_CONTEXT, 0);
  let to = Math.min(end + LINE_WINDOW_CONTEXT, text.length);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++;
  return { from, to, start, end };
}
