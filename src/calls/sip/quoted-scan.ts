/**
 * SIP header values quote display names and parameter values (`"Doe, John"`, with `\` escapes)
 * and bracket URIs (`<sip:a@b;x=1,2>`); separators inside either do not count. One scanner for
 * every place that splits or searches such a value.
 */

/** Positions of `target` outside double quotes and, when `brackets`, outside `<…>`. */
export function positionsOutside(text: string, target: string, brackets: boolean): number[] {
  const found: number[] = [];
  let quoted = false;
  let angle = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === target && (!brackets || angle === 0)) found.push(i);
    else if (brackets && c === '<') angle++;
    else if (brackets && c === '>' && angle > 0) angle--;
  }
  return found;
}

/** `text` split at `separator` outside quotes (and brackets), each part trimmed, empty parts dropped. */
export function splitOutside(text: string, separator: string, brackets: boolean): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const at of positionsOutside(text, separator, brackets)) {
    parts.push(text.slice(start, at));
    start = at + 1;
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}
