import type { Range } from '../types.js';

/** Maps 0-based string offsets to 1-based line/column. CRLF, LF and lone CR each end a line. */

export class LineIndex {
  /** Offsets where lines start; found on the first lookup (a clean document may never need one). */
  private lineStarts: number[] | undefined;
  /** The line index of the previous lookup: offsets are mostly asked for in increasing order. */
  private last = 0;

  constructor(private readonly text: string) {}

  private get starts(): number[] {
    return (this.lineStarts ??= findLineStarts(this.text));
  }

  /** 0-based index of the line holding `offset` (already clamped). */
  private lineIndex(offset: number): number {
    const starts = this.starts;
    const last = this.last;
    if (starts[last]! <= offset && (last + 1 === starts.length || starts[last + 1]! > offset)) return last;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return (this.last = low);
  }

  /**
   * 0-based index of the line holding `offset` (clamped), at or after line `from`. Ends of ranges
   * are usually a few lines past their starts: stepping forward beats a search, and leaves the
   * remembered line at the start, where the next range (in document order) begins.
   */
  private lineFrom(from: number, offset: number): number {
    const starts = this.starts;
    if (starts[from]! > offset) return this.lineIndex(offset);
    const limit = Math.min(from + 8, starts.length - 1);
    let line = from;
    while (line < limit && starts[line + 1]! <= offset) line++;
    return line < limit || line === starts.length - 1 ? line : this.lineIndex(offset);
  }

  /** 1-based line/column of a 0-based offset (clamped to the end of the text). */
  position(offset: number): { line: number; column: number } {
    offset = Math.min(offset, this.text.length);
    const line = this.lineIndex(offset);
    return { line: line + 1, column: offset - this.starts[line]! + 1 };
  }

  /** Range of text[start, end). */
  range(start: number, end: number): Range {
    start = Math.min(start, this.text.length);
    end = Math.min(end, this.text.length);
    const line = this.lineIndex(start);
    const endLine = this.lineFrom(line, end);
    return { line: line + 1, column: start - this.starts[line]! + 1, endLine: endLine + 1, endColumn: end - this.starts[endLine]! + 1 };
  }

  /** Offset of a 1-based line/column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
    return Math.min(start + Math.max(column, 1) - 1, this.text.length);
  }
}

function findLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'), r = text.indexOf('\r'); i >= 0 || r >= 0;) {
    // Whichever break comes first; CRLF counts once.
    if (r >= 0 && (i < 0 || r < i)) {
      const next = text.charCodeAt(r + 1) === 10 ? r + 2 : r + 1;
      starts.push(next);
      if (next === r + 2) i = text.indexOf('\n', next);
      r = text.indexOf('\r', next);
    } else {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }
  return starts;
}

export const START_OF_DOCUMENT: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
