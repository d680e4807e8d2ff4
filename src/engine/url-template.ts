/**
 * Expanding variables into URL attributes (docs/language.md, "Variables in URLs"). A value is data,
 * never URL syntax: it is percent-encoded for the part of the URL it lands in — a path segment, a
 * query component or the fragment — so a caller number such as `x#rc=5&rp=all` or `1&admin=1`
 * cannot add `#` overrides, query parameters or path segments, and `+` stays a plus.
 *
 * The one exception is a reference that begins the URL and holds an absolute URL
 * (`<GoTo>$next</GoTo>`, `$RecordURL`): it supplies the URL's start as it is, because nothing
 * else could (a script stores the next page's URL in a variable).
 */
import { findReferences, unescapeDollars } from '../language/index.js';

export class UrlValueError extends Error {
  override readonly name = 'UrlValueError';
}

/** A value that begins the URL and is itself absolute: `http:`, `https:` or `file:`. */
const ABSOLUTE = /^(?:https?|file):/i;

/** WHATWG URL treats these path segments as `.` and `..` (dot segments), encoded or not. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * `encodeURIComponent` that cannot throw: a lone surrogate (which it refuses) becomes U+FFFD first.
 * Everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is encoded, which covers `/ ? # & = + %` and space.
 */
export function encodeUrlValue(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
  }
}

/**
 * Expands `$name` references in a URL template; `lookup` returning undefined expands to nothing and
 * is passed to `onUnknown`, as for other values.
 * @throws UrlValueError when a value would make a whole path segment `.` or `..` (it would remove
 *   a segment of the URL written in the script).
 */
export function expandUrlTemplate(
  template: string,
  lookup: (name: string) => string | undefined,
  onUnknown?: (name: string) => void,
): string {
  const references = findReferences(template);
  let out = '';
  let at = 0;
  /** Output ranges that came from values encoded in the path (for the dot-segment check). */
  const pathValues: Array<readonly [start: number, end: number]> = [];
  for (const reference of references) {
    out += unescapeDollars(template.slice(at, reference.offset));
    at = reference.offset + reference.length;
    const value = lookup(reference.name);
    if (value === undefined) {
      onUnknown?.(reference.name);
      continue;
    }
    if (out === '' && ABSOLUTE.test(value)) {
      out = value;
      continue;
    }
    const encoded = encodeUrlValue(value);
    if (!out.includes('?') && !out.includes('#')) pathValues.push([out.length, out.length + encoded.length]);
    out += encoded;
  }
  out += unescapeDollars(template.slice(at));
  if (pathValues.length > 0) checkDotSegments(template, out, pathValues);
  return out;
}

/** Refuses a path segment that a value turned into `.` or `..`. */
function checkDotSegments(template: string, url: string, values: ReadonlyArray<readonly [number, number]>): void {
  const pathEnd = url.search(/[?#]/);
  const path = pathEnd < 0 ? url : url.slice(0, pathEnd);
  let start = 0;
  for (const segment of path.split('/')) {
    const end = start + segment.length;
    if (DOT_SEGMENT.test(segment) && values.some(([from, to]) => from < end && to > start)) {
      throw new UrlValueError(`a variable in '${template}' makes the path segment '${segment}', which would change the path`);
    }
    start = end + 1;
  }
}
