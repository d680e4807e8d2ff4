/**
 * Hardened XML reading, cheapest and most dangerous first: size cap (before decoding), UTF-8 and
 * character checks, DOCTYPE refusal, a linear scan for structure (nesting cap, one root, entities,
 * `<` in values, names the parser would throw on), fast-xml-parser's validator, and only then the
 * fast-xml-parser tree, turned into elements with exact source ranges.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Diagnostic, Range } from '../types.js';
import { clip } from '../suggest.js';
import { LineIndex, START_OF_DOCUMENT } from './positions.js';

export interface XmlAttribute {
  name: string;
  value: string;
  nameRange: Range;
  valueRange: Range;
  /** `name="value"` as a whole. */
  range: Range;
}

export interface XmlElement {
  name: string;
  /** Start tag through end tag. */
  range: Range;
  /** `<Name …>` only. */
  startTagRange: Range;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Decoded text content (text and CDATA), trimmed. */
  text: string;
  /** Range of the trimmed text, when there is any. */
  textRange?: Range;
}

export interface ReadOptions {
  maxBytes: number;
  maxDepth: number;
}

export type ReadResult =
  | { ok: true; root: XmlElement; lines: LineIndex }
  | { ok: false; diagnostics: Diagnostic[] };

const decoder = new TextDecoder('utf-8', { fatal: true });

const parser = new XMLParser({
  preserveOrder: true,
  captureMetaData: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false, // decoded here: the five XML entities and numeric references only
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  // The depth cap is enforced before parsing; this only keeps the parser from refusing first.
  maxNestedTags: 10_000,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

function fail(rule: string, message: string, range: Range = START_OF_DOCUMENT): ReadResult {
  return { ok: false, diagnostics: [{ rule, severity: 'error', message, range }] };
}

const MAX_MESSAGE = 200;

/** Characters XML 1.0 forbids anywhere in a document, lone surrogates (possible only in strings) included. */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function readXml(input: string | Uint8Array, options: ReadOptions): ReadResult {
  let text: string;
  // The size is checked before anything else looks at the content.
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > options.maxBytes) {
    return fail('document-too-large', `Document is ${size} bytes; the limit is ${options.maxBytes}.`);
  }
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = decoder.decode(input);
    } catch {
      const at = firstInvalidUtf8(input);
      const before = new LineIndex(decoder.decode(input.subarray(0, at)));
      const { line, column } = before.position(Number.MAX_SAFE_INTEGER);
      const byte = (input[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
      return fail('xml-syntax', `Document is not valid UTF-8 text (byte 0x${byte} at offset ${at}).`, { line, column, endLine: line, endColumn: column + 1 });
    }
  }
  // A byte-order mark is not content: TextDecoder drops it from bytes, so drop it from strings too
  // (an `<?xml` declaration must come first, and editors do not count the BOM as a column).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const lines = new LineIndex(text);
  const bad = FORBIDDEN_CHAR.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return fail('xml-syntax', `Character U+${code} is not allowed in XML (binary data?).`, lines.range(bad.index, bad.index + 1));
  }

  if (!/\S/.test(text)) return fail('xml-syntax', 'Document is empty; an OzML document is a <Response> element.');

  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    return fail('doctype-forbidden', 'DOCTYPE declarations are not allowed (no DTDs or entity definitions).', lines.range(doctype, doctype + 9));
  }

  // The linear structure scan runs first: it bounds the nesting before any other pass and words the
  // common mistakes (stray text, a second root, `<` in values, bad entities) better than the validator.
  const structure = checkStructure(text, lines, options.maxDepth);
  if (structure) return { ok: false, diagnostics: [structure] };

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const at = line ? lines.offset(line, col ?? 1) : 0;
    // The validator quotes names and tag lists verbatim; keep hostile megabyte names out of the message.
    const message = clip(msg, MAX_MESSAGE);
    // Errors about a tag point at its `<`: underline the whole (short) tag.
    const close = text.charCodeAt(at) === 60 ? text.indexOf('>', at) : -1;
    const end = close > at && close - at < MAX_MESSAGE ? close + 1 : Math.min(at + 1, text.length);
    return fail('xml-syntax', message, lines.range(at, end));
  }

  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (error) {
    // The checks above are meant to leave nothing the parser refuses; should one slip through, it is
    // still a property of the document, not a crash.
    const message = error instanceof Error ? error.message : String(error);
    return fail('xml-syntax', `The XML parser refused the document: ${clip(message, MAX_MESSAGE)}`);
  }
  const rootNode = nodes.find((n) => elementName(n) !== undefined);
  if (!rootNode) return fail('xml-syntax', 'Document has no root element.');
  return { ok: true, root: buildElement(rootNode, text, lines), lines };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) { i++; continue; }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range excludes overlong forms, surrogates and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return i;
}

/** A preserveOrder node: `{ Name: children, ':@': attributes, [META]: offsets }` or `{ '#text': s }`. */
interface NodeOffsets { startIndex?: number; endIndex?: number }
type OrderedNode = Record<string, unknown>;

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ':@' && key !== '#text' && key !== '#cdata') return key;
  }
  return undefined;
}

/**
 * One linear pass over the tags: the depth cap (before the recursive parser runs), a single root,
 * no text outside it, and no `<` inside attribute values — checks the validator does not make.
 */
function checkStructure(text: string, lines: LineIndex, maxDepth: number): Diagnostic | undefined {
  const error = (message: string, start: number, end: number, rule = 'xml-syntax'): Diagnostic => ({
    rule, severity: 'error', message, range: lines.range(start, end),
  });
  // Entity checks only where there is an `&`: the next one is remembered (checks move left to right),
  // so documents with many values and few or no `&` stay linear.
  let amp = text.indexOf('&');
  const entities = (start: number, end: number): Diagnostic | undefined => {
    if (amp >= 0 && amp < start) amp = text.indexOf('&', start);
    return amp < 0 || amp >= end ? undefined : checkEntities(text, start, end, lines);
  };
  let depth = 0;
  let roots = 0;
  let i = 0;
  const n = text.length;
  // The validator refuses unterminated constructs; ending at the text's end keeps this loop finite regardless.
  const past = (marker: string, from: number): number => {
    const at = text.indexOf(marker, from);
    return at < 0 ? n : at + marker.length;
  };
  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (depth === 0) {
      for (let k = i; k < textEnd; k++) {
        const c = text.charCodeAt(k);
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return error('Text is not allowed outside the root element.', k, k + 1);
      }
    } else {
      const bad = entities(i, textEnd);
      if (bad) return bad;
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      i = past('-->', lt + 4);
    } else if (text.startsWith('<![CDATA[', lt)) {
      if (depth === 0) return error('CDATA is not allowed outside the root element.', lt, lt + 9);
      i = past(']]>', lt + 9);
    } else if (text.startsWith('<?', lt)) {
      i = past('?>', lt + 2);
      // The parser skips quoted runs inside `<?…?>` (the validator does not): quotes must pair up before
      // the first `?>`, or the two would see different documents.
      const quotes = text.slice(lt + 2, i).match(/["']/g) ?? [];
      if (!pairedQuotes(quotes)) return error('Quotes in a processing instruction must be balanced.', lt, Math.min(i, lt + 2));
      const reserved = reservedName(text, lt + 2, i);
      if (reserved?.what === 'an attribute') {
        return error(`'${reserved.name}' cannot be used as an attribute name (it is reserved).`, reserved.start, reserved.start + reserved.name.length);
      }
    } else if (text.charCodeAt(lt + 1) === 47 /* / */) {
      if (--depth < 0) break; // an end tag without a start tag: the validator words it
      i = past('>', lt);
    } else {
      // Start tag: find its end outside quotes.
      let k = lt + 1;
      let quote = 0;
      let valueStart = 0;
      for (; k < n; k++) {
        const c = text.charCodeAt(k);
        if (quote) {
          if (c === quote) {
            quote = 0;
            const bad = entities(valueStart, k);
            if (bad) return bad;
          } else if (c === 60 /* < */) return error("'<' is not allowed in an attribute value; write &lt;.", k, k + 1);
        } else if (c === 34 || c === 39) {
          quote = c;
          valueStart = k + 1;
        } else if (c === 62 /* > */) break;
      }
      const reserved = reservedName(text, lt + 1, k);
      if (reserved) {
        return error(`'${reserved.name}' cannot be used as ${reserved.what} name (it is reserved).`, reserved.start, reserved.start + reserved.name.length);
      }
      const selfClosing = text.charCodeAt(k - 1) === 47;
      if (depth === 0 && ++roots > 1) return error('Only one root element is allowed.', lt, k + 1);
      if (!selfClosing) {
        depth++;
        if (depth > maxDepth) {
          return error(`Elements are nested more than ${maxDepth} levels deep.`, lt, k + 1, 'nesting-too-deep');
        }
      } else if (depth + 1 > maxDepth) {
        return error(`Elements are nested more than ${maxDepth} levels deep.`, lt, k + 1, 'nesting-too-deep');
      }
      i = k + 1;
    }
  }
  return undefined;
}

/** Whether a sequence of quote characters closes every quote it opens (`"a 'b' c"` style nesting is text). */
function pairedQuotes(quotes: readonly string[]): boolean {
  let open: string | undefined;
  for (const q of quotes) {
    if (open === undefined) open = q;
    else if (q === open) open = undefined;
  }
  return open === undefined;
}

/** Names fast-xml-parser refuses by throwing (prototype pollution guard); no OzML name is one of them. */
const RESERVED = /__proto__|constructor|prototype/;
const TAG_NAME = /^[^\s/>]+/;
const ATTRIBUTE_NAME = /([^\s=<>/"']+)\s*=\s*(?:"[^"]*"|'[^']*')/g;

/** A reserved element or attribute name in the start tag text[start, end), so it is reported instead of thrown. */
function reservedName(text: string, start: number, end: number): { name: string; what: string; start: number } | undefined {
  const tag = text.slice(start, end);
  if (!RESERVED.test(tag)) return undefined;
  const isReserved = (name: string) => name === '__proto__' || name === 'constructor' || name === 'prototype';
  const element = TAG_NAME.exec(tag)?.[0] ?? '';
  if (isReserved(element)) return { name: element, what: 'an element', start };
  ATTRIBUTE_NAME.lastIndex = element.length;
  for (let m = ATTRIBUTE_NAME.exec(tag); m; m = ATTRIBUTE_NAME.exec(tag)) {
    if (isReserved(m[1]!)) return { name: m[1]!, what: 'an attribute', start: start + m.index };
  }
  return undefined;
}

const ENTITY = /&([^;&\s<]*);?/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NUMERIC = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/;

function numericCode(body: string): number | undefined {
  const m = NUMERIC.exec(body);
  if (!m) return undefined;
  return m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff)
    || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Only the five XML entities and numeric references of legal characters exist without a DTD. */
function checkEntities(text: string, start: number, end: number, lines: LineIndex): Diagnostic | undefined {
  const slice = text.slice(start, end);
  ENTITY.lastIndex = 0;
  for (let m = ENTITY.exec(slice); m; m = ENTITY.exec(slice)) {
    const body = m[1]!;
    const at = start + m.index;
    const report = (message: string): Diagnostic => ({
      rule: 'xml-syntax', severity: 'error', message, range: lines.range(at, at + m![0].length),
    });
    if (!m[0].endsWith(';')) {
      return { rule: 'xml-syntax', severity: 'error', message: "'&' must start an entity reference such as &amp;.", range: lines.range(at, at + 1) };
    }
    if (NAMED[body] !== undefined) continue;
    const code = numericCode(body);
    if (code === undefined) {
      return report(`Unknown entity '&${body};' (only &lt; &gt; &amp; &quot; &apos; and numeric references are defined).`);
    }
    if (!isXmlChar(code)) return report(`Character reference '${m[0]}' is not a legal XML character.`);
  }
  return undefined;
}

/** Decodes entity references already checked by `checkEntities`. */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (match, body: string) => NAMED[body] ?? String.fromCodePoint(numericCode(body) ?? 0xfffd));
}

const ATTRIBUTE = /([^\s=<>/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function buildElement(node: OrderedNode, text: string, lines: LineIndex): XmlElement {
  const key = elementName(node)!;
  const meta = (node as Record<symbol, NodeOffsets | undefined>)[META];
  const start = meta?.startIndex ?? 0;
  const end = meta?.endIndex ?? text.length;
  // The name as written: the parser renames some (`toString` becomes `__toString`).
  const name = TAG_NAME.exec(text.slice(start + 1, start + 1 + key.length + 4))?.[0] ?? key;

  // End of the start tag, outside quotes.
  let tagEnd = start + 1;
  for (let quote = 0; tagEnd < end; tagEnd++) {
    const c = text.charCodeAt(tagEnd);
    if (quote) { if (c === quote) quote = 0; } else if (c === 34 || c === 39) quote = c;
    else if (c === 62) break;
  }
  tagEnd++;
  const selfClosing = text.charCodeAt(tagEnd - 2) === 47;

  const attributes: XmlAttribute[] = [];
  ATTRIBUTE.lastIndex = start + 1 + name.length;
  const tag = text.slice(0, tagEnd);
  for (let m = ATTRIBUTE.exec(tag); m; m = ATTRIBUTE.exec(tag)) {
    const rawValue = m[2] ?? m[3] ?? '';
    const valueStart = m.index + m[0].length - 1 - rawValue.length;
    attributes.push({
      name: m[1]!,
      value: decodeEntities(rawValue),
      nameRange: lines.range(m.index, m.index + m[1]!.length),
      valueRange: lines.range(valueStart, valueStart + rawValue.length),
      range: lines.range(m.index, m.index + m[0].length),
    });
  }

  const children: XmlElement[] = [];
  let content = '';
  for (const child of (node[key] as OrderedNode[] | undefined) ?? []) {
    if ('#text' in child) content += decodeEntities(String(child['#text']));
    else if ('#cdata' in child) {
      for (const part of child['#cdata'] as OrderedNode[]) content += String(part['#text'] ?? '');
    } else if (elementName(child) !== undefined) children.push(buildElement(child, text, lines));
  }

  const element: XmlElement = {
    name,
    range: lines.range(start, end),
    startTagRange: lines.range(start, tagEnd),
    attributes,
    children,
    text: content.trim(),
  };
  if (element.text && !selfClosing) {
    // Locate the first non-blank run of text between the tags and the child elements, for precise diagnostics.
    const closeStart = text.lastIndexOf('</', end - 1); // the element's own end tag (end is exclusive)
    let from = tagEnd;
    for (const child of [...children.map((c) => c.range), undefined]) {
      const to = child ? lines.offset(child.line, child.column) : closeStart;
      const run = text.slice(from, to);
      const trimmed = run.trim();
      if (trimmed) {
        const lead = run.length - run.trimStart().length;
        element.textRange = lines.range(from + lead, from + lead + trimmed.length);
        break;
      }
      if (child) from = lines.offset(child.endLine, child.endColumn);
    }
  }
  return element;
}
