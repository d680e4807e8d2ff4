/**
 * Hardened XML reading: size cap, text check, DOCTYPE refusal, well-formedness (fast-xml-parser's
 * validator plus the checks it skips), a nesting cap checked before the parser recurses, then the
 * fast-xml-parser tree turned into elements with exact source ranges.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Diagnostic, Range } from '../types.js';
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

/** Characters XML 1.0 forbids anywhere in a document. */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function readXml(input: string | Uint8Array, options: ReadOptions): ReadResult {
  let text: string;
  if (typeof input === 'string') {
    if (input.length > options.maxBytes || Buffer.byteLength(input, 'utf8') > options.maxBytes) {
      return fail('document-too-large', `Document is larger than ${options.maxBytes} bytes.`);
    }
    text = input;
  } else {
    if (input.byteLength > options.maxBytes) {
      return fail('document-too-large', `Document is ${input.byteLength} bytes; the limit is ${options.maxBytes}.`);
    }
    try {
      text = decoder.decode(input);
    } catch {
      return fail('xml-syntax', 'Document is not valid UTF-8 text.');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // keep offsets: the BOM becomes a blank

  const lines = new LineIndex(text);
  const bad = FORBIDDEN_CHAR.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return fail('xml-syntax', `Character U+${code} is not allowed in XML (binary data?).`, lines.range(bad.index, bad.index + 1));
  }

  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0) {
    return fail('doctype-forbidden', 'DOCTYPE declarations are not allowed (no DTDs or entity definitions).', lines.range(doctype, doctype + 9));
  }

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    const at = line ? lines.offset(line, col ?? 1) : 0;
    return fail('xml-syntax', msg, lines.range(at, Math.min(at + 1, text.length)));
  }

  const structure = checkStructure(text, lines, options.maxDepth);
  if (structure) return { ok: false, diagnostics: [structure] };

  const nodes = parser.parse(text) as OrderedNode[];
  const rootNode = nodes.find((n) => elementName(n) !== undefined);
  if (!rootNode) return fail('xml-syntax', 'Document has no root element.');
  return { ok: true, root: buildElement(rootNode, text, lines), lines };
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
  let depth = 0;
  let roots = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (depth === 0) {
      for (let k = i; k < textEnd; k++) {
        const c = text.charCodeAt(k);
        if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return error('Text is not allowed outside the root element.', k, k + 1);
      }
    } else {
      const bad = checkEntities(text, i, textEnd, lines);
      if (bad) return bad;
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      i = text.indexOf('-->', lt + 4) + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      if (depth === 0) return error('CDATA is not allowed outside the root element.', lt, lt + 9);
      i = text.indexOf(']]>', lt + 9) + 3;
    } else if (text.startsWith('<?', lt)) {
      i = text.indexOf('?>', lt + 2) + 2;
    } else if (text.charCodeAt(lt + 1) === 47 /* / */) {
      depth--;
      i = text.indexOf('>', lt) + 1;
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
            const bad = checkEntities(text, valueStart, k, lines);
            if (bad) return bad;
          } else if (c === 60 /* < */) return error("'<' is not allowed in an attribute value; write &lt;.", k, k + 1);
        } else if (c === 34 || c === 39) {
          quote = c;
          valueStart = k + 1;
        } else if (c === 62 /* > */) break;
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
    if (i <= 0) break; // unterminated construct: the validator has already refused these
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
  const amp = text.indexOf('&', start);
  if (amp < 0 || amp >= end) return undefined;
  const slice = text.slice(start, end);
  ENTITY.lastIndex = 0;
  for (let m = ENTITY.exec(slice); m; m = ENTITY.exec(slice)) {
    const body = m[1]!;
    const at = start + m.index;
    const report = (message: string): Diagnostic => ({
      rule: 'xml-syntax', severity: 'error', message, range: lines.range(at, at + m![0].length),
    });
    if (!m[0].endsWith(';')) return report("'&' must start an entity reference such as &amp;.");
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
  const name = elementName(node)!;
  const meta = (node as Record<symbol, NodeOffsets | undefined>)[META];
  const start = meta?.startIndex ?? 0;
  const end = meta?.endIndex ?? text.length;

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
  for (const child of (node[name] as OrderedNode[] | undefined) ?? []) {
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
    // Locate the trimmed text between the tags for precise diagnostics (first text run only).
    const closeStart = text.lastIndexOf('</', end);
    const inner = text.slice(tagEnd, children.length > 0 ? lines.offset(children[0]!.range.line, children[0]!.range.column) : closeStart);
    const lead = inner.length - inner.trimStart().length;
    const trimmed = inner.trim();
    if (trimmed) element.textRange = lines.range(tagEnd + lead, tagEnd + lead + trimmed.length);
  }
  return element;
}
