/**
 * Hardened XML reading, cheapest and most dangerous first: size cap (before decoding), UTF-8 and
 * character checks, DOCTYPE refusal, one linear scan that checks structure (nesting cap, one root,
 * entities, `<` in values) and builds the positioned tree, then fast-xml-parser's validator for
 * everything else well-formedness needs. (fast-xml-parser's own tree has no positions for text and
 * attributes; rebuilding it doubled the cost of a compile, see BENCHMARKS.md.)
 */
import { XMLValidator } from 'fast-xml-parser';
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
/** One object for every document (the validator copies its options, it does not keep or change them). */
const VALIDATOR_OPTIONS = Object.freeze({ allowBooleanAttributes: false });

function fail(rule: string, message: string, range: Range = START_OF_DOCUMENT): ReadResult {
  return { ok: false, diagnostics: [{ rule, severity: 'error', message, range }] };
}

const MAX_MESSAGE = 200;

/** Characters XML 1.0 forbids anywhere in a document, lone surrogates (possible only in strings) included. */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * The cheap pre-check of FORBIDDEN_CHAR: one pass for forbidden characters and any surrogates (the
 * exact check, with its look-arounds, only runs on the rare text that has either).
 */
const FORBIDDEN_OR_SURROGATE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function readXml(input: string | Uint8Array, options: ReadOptions): ReadResult {
  let text: string;
  // The size is checked before anything else looks at the content.
  // A string of n UTF-16 units is at most 3n UTF-8 bytes: count exactly only when that could matter.
  const size = typeof input !== 'string' ? input.byteLength
    : input.length * 3 <= options.maxBytes ? input.length : Buffer.byteLength(input, 'utf8');
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
  const unusual = FORBIDDEN_OR_SURROGATE.test(text);
  const bad = unusual ? FORBIDDEN_CHAR.exec(text) : null;
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return fail('xml-syntax', `Character U+${code} is not allowed in XML (binary data?).`, lines.range(bad.index, bad.index + 1));
  }

  if (!/\S/.test(text)) return fail('xml-syntax', 'Document is empty; an OzML document is a <Response> element.');

  const doctype = findDoctype(text);
  if (doctype >= 0) {
    return fail('doctype-forbidden', 'DOCTYPE declarations are not allowed (no DTDs or entity definitions).', lines.range(doctype, doctype + 9));
  }

  // The linear scan runs first: it bounds the nesting before any other pass, words the common
  // mistakes (stray text, a second root, `<` in values, bad entities) better than the validator,
  // and builds the positioned tree that is used once the validator has accepted the document.
  const scanned = scanDocument(text, lines, options.maxDepth);
  if ('error' in scanned && !scanned.validatorFirst) return { ok: false, diagnostics: [scanned.error] };

  // Surrogate pairs only reach the validator masked: its name pattern knows no characters above U+FFFF.
  const valid = XMLValidator.validate(unusual ? maskAstral(text) : text, VALIDATOR_OPTIONS);
  if (valid === true) return 'error' in scanned ? { ok: false, diagnostics: [scanned.error] } : { ok: true, root: scanned.root, lines };
  const { code, msg, line, col } = valid.err;
  // Open elements at the end: the validator lists their names (as JSON); say where each opened.
  if (!('error' in scanned) && scanned.unclosed.length > 0 && (code === 'InvalidXml' || code === 'InvalidTag') && /^(Invalid '\[|Unclosed tag )/.test(msg)) {
    return { ok: false, diagnostics: [unclosedDiagnostic(scanned.unclosed)] };
  }
  const at = line ? lines.offset(line, col ?? 1) : 0;
  // The validator quotes names and tag lists verbatim; keep hostile megabyte names out of the message.
  const message = clip(msg, MAX_MESSAGE);
  // Errors about a tag point at its `<`: underline the whole (short) tag.
  const close = text.charCodeAt(at) === 60 ? text.indexOf('>', at) : -1;
  const end = close > at && close - at < MAX_MESSAGE ? close + 1 : Math.min(at + 1, text.length);
  return fail('xml-syntax', message, lines.range(at, end));
}

/** Offset of the first `<!DOCTYPE` in any letter case (as `/<!DOCTYPE/i` finds it), or -1. */
function findDoctype(text: string): number {
  // `<!` only starts comments, CDATA and declarations, so there are few candidates to look at.
  for (let at = text.indexOf('<!'); at >= 0; at = text.indexOf('<!', at + 2)) {
    let k = 0;
    // ASCII letters only: /i without the u flag matches exactly the two ASCII cases of each letter.
    while (k < 7 && (text.charCodeAt(at + 2 + k) | 0x20) === DOCTYPE_LOWER.charCodeAt(k)) k++;
    if (k === 7) return at;
  }
  return -1;
}

const DOCTYPE_LOWER = 'doctype';

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

/** Shared by the many elements without child elements; never added to. */
const NO_CHILDREN: XmlElement[] = [];

/**
 * An element as scanned. Positions are kept as offsets and ranges computed when asked for: lint
 * needs them only for findings, the program builder once per element. While the element is open
 * it also collects its text content (one object per element instead of two).
 */
class ScannedElement implements XmlElement {
  children: XmlElement[] = NO_CHILDREN;
  text = '';
  /** Offset just past the end tag (or the self-closing start tag); -1 while unclosed. */
  end = -1;
  /** Decoded text and CDATA runs so far (untrimmed), while the element is open. */
  content = '';
  /** Blank runs after the first text, kept only if more text follows (the result is trimmed). */
  pendingBlank = '';
  /** Offsets of the first non-blank text run, for `textRange`. */
  textStart = -1;
  textEnd = -1;
  /** Where this element's children start on the scanner's pending list, while it is open. */
  childBase = 0;

  constructor(
    readonly name: string,
    readonly attributes: XmlAttribute[],
    private readonly lines: LineIndex,
    readonly start: number,
    private readonly tagEnd: number,
  ) {}

  get range(): Range {
    // Unclosed: a document the validator refuses, or a construct it reads differently (`<!- … -->`).
    return this.end < 0 ? START_OF_DOCUMENT : this.lines.range(this.start, this.end);
  }

  get startTagRange(): Range {
    return this.lines.range(this.start, this.tagEnd);
  }

  get textRange(): Range | undefined {
    return this.text && this.textStart >= 0 ? this.lines.range(this.textStart, this.textEnd) : undefined;
  }
}

function normalizeLineEnds(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

function isBlankRange(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** Exactly the code units JavaScript's `\s` matches (the tag scan once used `\s` regexes). */
function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `[^\s=<>/"']`: what the scan takes as part of an attribute name. */
function isAttributeNameChar(c: number): boolean {
  return c !== 61 && c !== 60 && c !== 62 && c !== 47 && c !== 34 && c !== 39 && !isJsSpace(c);
}

/** `unclosed`: the elements still open at the end of the text, outermost first. */
type ScanResult = { root: XmlElement; unclosed: readonly ScannedElement[] } | { error: Diagnostic; validatorFirst?: true };

/**
 * One linear pass that checks what the validator does not (the nesting cap before anything
 * recursive runs, one root, no text outside it, no `<` in attribute values, only defined
 * entities) and builds the element tree at the same time. The tree is only used once
 * fast-xml-parser's validator has accepted the document.
 */
function scanDocument(text: string, lines: LineIndex, maxDepth: number): ScanResult {
  return new Scanner(text, lines).scan(maxDepth);
}

/** The state of one scan (a class rather than closures: one object per document). */
class Scanner {
  private readonly n: number;
  /**
   * The next `&` at or after the last checked position: entity checks move left to right, so
   * documents with many values and few or no `&` stay linear.
   */
  private amp: number;
  /** Likewise the next `]]>` (CDATA's end marker, which text may not contain). */
  private marker: number;
  /**
   * Children of the open elements, innermost last: an element's children are the entries from its
   * `childBase` up when it closes (each child's own children were taken off when it closed).
   */
  private readonly pendingChildren: (XmlElement | undefined)[] = [];
  private pendingTop = 0;

  constructor(private readonly text: string, private readonly lines: LineIndex) {
    this.n = text.length;
    this.amp = text.indexOf('&');
    this.marker = text.indexOf(']]>');
  }

  private fail(message: string, start: number, end: number, rule = 'xml-syntax'): { error: Diagnostic } {
    return { error: { rule, severity: 'error', message, range: this.lines.range(start, end) } };
  }

  /** The next `]]>` at or after `from` (searched again only once passed, so the scan stays linear), or -1. */
  private cdataEndMarker(from: number): number {
    if (this.marker !== -1 && this.marker < from) this.marker = this.text.indexOf(']]>', from);
    return this.marker;
  }

  private entities(start: number, end: number): Diagnostic | undefined {
    if (this.amp >= 0 && this.amp < start) this.amp = this.text.indexOf('&', start);
    return this.amp < 0 || this.amp >= end ? undefined : checkEntities(this.text, start, end, this.lines);
  }

  /** True when the end tag's name at `from` is `name` (what follows may be wrong: the validator words that). */
  private endTagNames(name: string, from: number): boolean {
    const after = from + name.length;
    if (!this.text.startsWith(name, from)) return false;
    const c = this.text.charCodeAt(after);
    return after >= this.n || c === 62 /* > */ || isJsSpace(c);
  }

  /** The name as written in the end tag at `lt` (up to white space or `>`), for messages. */
  private endTagName(lt: number): string {
    let k = lt + 2;
    while (k < this.n) {
      const c = this.text.charCodeAt(k);
      if (c === 62 || c === 60 || isJsSpace(c)) break;
      k++;
    }
    return clip(this.text.slice(lt + 2, k), 60);
  }

  private at(offset: number): string {
    const { line, column } = this.lines.position(offset);
    return `line ${line}, column ${column}`;
  }

  /**
   * `</b>` while `<a>` is the innermost open element. When an element further out has that name,
   * the elements inside it were left open; else the end tag closes nothing that is open.
   */
  private mismatchedEndTag(innermost: ScannedElement, outer: readonly ScannedElement[], lt: number, end: number): { error: Diagnostic } {
    const written = this.endTagName(lt);
    const name = clip(innermost.name, 60);
    const opened = `<${name}> opened at ${this.at(innermost.start)}`;
    let match = -1;
    for (let k = outer.length - 1; k >= 0; k--) {
      if (this.endTagNames(outer[k]!.name, lt + 2)) {
        match = k;
        break;
      }
    }
    const tag = `</${written}> at ${this.at(lt)}`;
    if (match < 0) {
      return this.fail(`${tag} matches no open element; ${opened} is still open: write </${name}>, or remove ${written ? `</${written}>` : 'the end tag'}.`, lt, end);
    }
    return this.fail(`${opened} is not closed before ${tag}; add </${name}> before it.${notClosedEither(outer.slice(match + 1))}`, lt, end);
  }

  /** An end tag after the root element has closed. */
  private endTagWithoutElement(lt: number, end: number, root: ScannedElement | undefined): { error: Diagnostic } {
    const tag = `</${this.endTagName(lt)}> at ${this.at(lt)}`;
    if (!root) return this.fail(`${tag} comes before any element was opened.`, lt, end);
    return this.fail(`${tag} matches no open element: the root element <${clip(root.name, 60)}> is already closed.`, lt, end);
  }

  /** Just past `marker` from `from`; the validator refuses unterminated constructs, ending at the text's end keeps the loop finite. */
  private past(marker: string, from: number): number {
    const at = this.text.indexOf(marker, from);
    return at < 0 ? this.n : at + marker.length;
  }

  /**
   * Text content is what trim() of all text and CDATA runs joined gives; blank runs (the usual
   * indentation between tags) are not copied unless they sit between two runs of text.
   */
  private addText(open: ScannedElement, start: number, end: number, cdata: boolean): void {
    const text = this.text;
    if (isBlankRange(text, start, end)) {
      if (open.textStart >= 0) open.pendingBlank += normalizeLineEnds(text.slice(start, end));
      return;
    }
    // XML normalises line ends in content to LF (XML 1.0 §2.11).
    const raw = normalizeLineEnds(text.slice(start, end));
    const decoded = cdata ? raw : decodeEntities(raw);
    if (open.textStart < 0) {
      let a = start;
      let b = end;
      while (a < b && isBlankRange(text, a, a + 1)) a++;
      while (b > a && isBlankRange(text, b - 1, b)) b--;
      open.textStart = a;
      open.textEnd = b;
      open.content = decoded;
    } else {
      open.content += open.pendingBlank + decoded;
      open.pendingBlank = '';
    }
  }

  /**
   * A comment from `<!--` at `start` to just past its `-->` at `end`: XML 1.0 §2.5 forbids `--`
   * inside it, so it cannot end with `--->` either.
   */
  private comment(start: number, end: number): { error: Diagnostic } | undefined {
    const closeAt = end - 3;
    // Unterminated: the validator words it.
    if (closeAt < start + 4 || !this.text.startsWith('-->', closeAt)) return undefined;
    const dashes = this.text.indexOf('--', start + 4);
    if (dashes < 0 || dashes >= closeAt) return undefined;
    if (dashes === closeAt - 1) return this.fail("A comment may not end with '--->'; put a space before '-->'.", dashes, end);
    return this.fail("'--' is not allowed inside a comment.", dashes, dashes + 2);
  }

  /**
   * `<?target …?>` from `start` to just past `?>`. The target `xml` is the XML declaration, allowed
   * only at the very start; its other letter cases are reserved (XML 1.0 §2.6).
   */
  private processingInstruction(start: number, end: number): { error: Diagnostic } | undefined {
    const text = this.text;
    // Unterminated: the validator words it.
    if (!text.startsWith('?>', end - 2) || end - 2 < start + 2) return undefined;
    let k = start + 2;
    while (k < end && text.charCodeAt(k) !== 63 && !isXmlSpace(text.charCodeAt(k))) k++;
    const target = text.slice(start + 2, k);
    // The target is a name, followed by white space or `?>` (XML 1.0 §2.6).
    if (!PI_TARGET.test(target) || (text.charCodeAt(k) === 63 && text.charCodeAt(k + 1) !== 62)) {
      return this.fail(`'<?' must start a processing instruction such as <?name data?>; '${clip(target, 40)}' is not a name.`, start, Math.min(k, start + 42));
    }
    if (target.length !== 3 || target.toLowerCase() !== 'xml') return undefined;
    if (target !== 'xml') return this.fail(`Processing instruction target '${target}' is reserved; the XML declaration is written <?xml version="1.0"?>.`, start, k);
    if (start !== 0) return this.fail('XML declaration allowed only at the start of the document.', start, k);
    const problem = checkDeclaration(text, k, end - 2);
    return problem && this.fail(problem.message, problem.start, problem.end);
  }

  private close(open: ScannedElement, end: number): void {
    open.end = end;
    open.text = open.content.trim();
    open.content = '';
    open.pendingBlank = '';
    this.takeChildren(open);
  }

  /** The children are copied into an array of their exact number (push would reserve 17 slots). */
  private takeChildren(open: ScannedElement): void {
    const pending = this.pendingChildren;
    if (this.pendingTop > open.childBase) {
      // Every entry below pendingTop is set.
      open.children = pending.slice(open.childBase, this.pendingTop) as XmlElement[];
      for (let i = open.childBase; i < this.pendingTop; i++) pending[i] = undefined; // a loop: fill() costs more for a few entries
      this.pendingTop = open.childBase;
    }
  }

  scan(maxDepth: number): ScanResult {
    const text = this.text;
    const n = this.n;
    const stack: ScannedElement[] = [];
    let root: ScannedElement | undefined;
    let roots = 0;
    let i = 0;
    while (i < n) {
      const lt = text.indexOf('<', i);
      const textEnd = lt < 0 ? n : lt;
      // Not stack[-1] when the stack is empty: a negative index is a slow property lookup.
      const open = stack.length > 0 ? stack[stack.length - 1] : undefined;
      if (!open) {
        for (let k = i; k < textEnd; k++) {
          const c = text.charCodeAt(k);
          if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return this.fail('Text is not allowed outside the root element.', k, k + 1);
        }
      } else if (textEnd > i) {
        const bad = this.entities(i, textEnd);
        if (bad) return { error: bad };
        // XML 1.0 §2.4: character data may not contain the CDATA end marker.
        const marker = this.cdataEndMarker(i);
        if (marker >= 0 && marker < textEnd) return this.fail("']]>' is not allowed in text; write ]]&gt;.", marker, marker + 3);
        this.addText(open, i, textEnd, false);
      }
      if (lt < 0) break;
      const next = text.charCodeAt(lt + 1);
      if (next === 33 /* ! */ && text.startsWith('<!--', lt)) {
        i = this.past('-->', lt + 4);
        const bad = this.comment(lt, i);
        if (bad) return bad;
      } else if (next === 33 && text.startsWith('<![CDATA[', lt)) {
        if (!open) return this.fail('CDATA is not allowed outside the root element.', lt, lt + 9);
        i = this.past(']]>', lt + 9);
        this.addText(open, lt + 9, Math.min(i - 3, n), true);
      } else if (next === 33) {
        // DOCTYPE was refused before the scan; nothing else may follow `<!`.
        return this.fail("'<!' must start a comment (<!-- … -->) or a CDATA section (<![CDATA[ … ]]>).", lt, Math.min(lt + 2, n));
      } else if (next === 63 /* ? */) {
        i = this.past('?>', lt + 2);
        const bad = this.processingInstruction(lt, i);
        if (bad) return bad;
      } else if (next === 47 /* / */) {
        i = this.past('>', lt);
        const closing = stack.pop();
        // A wrong end tag is reported here, where the open elements are known: the scan must not
        // read on with the wrong element closed (it would report text or CDATA "outside the root").
        if (!closing) return this.endTagWithoutElement(lt, i, root);
        if (!this.endTagNames(closing.name, lt + 2)) {
          const mismatch = this.mismatchedEndTag(closing, stack, lt, i);
          // `< a>`, `</ a>`: a tag without a name is the validator's to word ("Invalid space after '<'").
          return closing.name === '' || this.endTagName(lt) === '' ? { ...mismatch, validatorFirst: true } : mismatch;
        }
        this.close(closing, i);
      } else {
        // Start tag: find its end outside quotes, checking values on the way. A quoted value is
        // skipped with indexOf (its closing quote, and the next `<` of the text, which is usually
        // past the tag), not character by character.
        let k = lt + 1;
        // The name ends at the first white space, `/` or `>`. Found on the way when that comes
        // before any quote (the tag's end search skips nothing before it); else looked for below.
        let nameEnd = -1;
        for (; k < n; k++) {
          const c = text.charCodeAt(k);
          if (c === 47 || c === 62 || isJsSpace(c)) {
            nameEnd = k;
            break;
          }
          if (c === 34 || c === 39) break;
        }
        /** The first `<` at or after the current value's start; -2 before the first look, -1 when there is none. */
        let nextLt = -2;
        for (; k < n; k++) {
          const c = text.charCodeAt(k);
          if (c === 34 || c === 39) {
            const valueStart = k + 1;
            const close = text.indexOf(c === 34 ? '"' : "'", valueStart);
            const valueEnd = close < 0 ? n : close;
            if (nextLt !== -1 && nextLt < valueStart) nextLt = text.indexOf('<', valueStart);
            if (nextLt >= 0 && nextLt < valueEnd) return this.fail("'<' is not allowed in an attribute value; write &lt;.", nextLt, nextLt + 1);
            if (close < 0) {
              k = n; // an unterminated value runs to the end of the text
              break;
            }
            const bad = this.entities(valueStart, close);
            if (bad) return { error: bad };
            k = close;
          } else if (c === 62 /* > */) break;
        }
        const tagEnd = Math.min(k + 1, n);
        const selfClosing = text.charCodeAt(k - 1) === 47;
        if (!open && ++roots > 1) return this.fail('Only one root element is allowed.', lt, tagEnd);
        if (stack.length + 1 > maxDepth) {
          return this.fail(`Elements are nested more than ${maxDepth} levels deep.`, lt, tagEnd, 'nesting-too-deep');
        }
        // The name ends at the first white space, `/` or `>` (not bounded by the tag, like the regex it replaces).
        if (nameEnd < 0) nameEnd = lt + 1;
        while (nameEnd < n) {
          const c = text.charCodeAt(nameEnd);
          if (c === 47 || c === 62 || isJsSpace(c)) break;
          nameEnd++;
        }
        if (nameEnd >= n) nameEnd = tagEnd;
        const element = new ScannedElement(text.slice(lt + 1, Math.min(nameEnd, tagEnd)), readAttributes(text, nameEnd, tagEnd, this.lines), this.lines, lt, tagEnd);
        if (open) this.pendingChildren[this.pendingTop++] = element;
        else root = element;
        if (selfClosing) element.end = tagEnd;
        else {
          element.childBase = this.pendingTop;
          stack.push(element);
        }
        i = tagEnd;
      }
    }
    // Elements left open still get their children: the validator lets some through (`<!- … -->`
    // reads as an element here), and the tree must be what it always was for them.
    for (let d = stack.length - 1; d >= 0; d--) this.takeChildren(stack[d]!);
    return root ? { root, unclosed: stack } : this.fail('Document has no root element.', 0, 0);
  }
}

/**
 * Attribute positions are kept as offsets; ranges are computed when asked for (most are never
 * needed: only diagnostics and the program's value ranges use them).
 */
class ScannedAttribute implements XmlAttribute {
  constructor(
    readonly name: string,
    readonly value: string,
    private readonly lines: LineIndex,
    readonly start: number,
    private readonly valueStart: number,
    private readonly valueEnd: number,
    private readonly end: number,
  ) {}

  get nameRange(): Range {
    return this.lines.range(this.start, this.start + this.name.length);
  }

  get valueRange(): Range {
    return this.lines.range(this.valueStart, this.valueEnd);
  }

  get range(): Range {
    return this.lines.range(this.start, this.end);
  }
}

/** Shared by the many elements without attributes; never added to. */
const NO_ATTRIBUTES: XmlAttribute[] = [];

/**
 * The attributes `name = "value"` (or single quotes) one after another from `from`, as the sticky
 * regex `\s*([^\s=<>/"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')` once read them, without its match arrays.
 */
/** Where readAttributes collects a tag's attributes before copying them into an array of the exact size. */
const pendingAttributes: (XmlAttribute | undefined)[] = [];

function readAttributes(text: string, from: number, tagEnd: number, lines: LineIndex): XmlAttribute[] {
  if (from >= tagEnd - 1) return NO_ATTRIBUTES;
  const n = text.length;
  const pending = pendingAttributes;
  let count = 0;
  for (let p = from; p < tagEnd;) {
    let k = p;
    while (k < n && isJsSpace(text.charCodeAt(k))) k++;
    const start = k;
    while (k < n && isAttributeNameChar(text.charCodeAt(k))) k++;
    if (k === start) break;
    const nameEnd = k;
    while (k < n && isJsSpace(text.charCodeAt(k))) k++;
    if (text.charCodeAt(k) !== 61 /* = */) break;
    k++;
    while (k < n && isJsSpace(text.charCodeAt(k))) k++;
    const quote = text.charCodeAt(k);
    if (quote !== 34 && quote !== 39) break;
    const close = text.indexOf(quote === 34 ? '"' : "'", k + 1);
    if (close < 0) break;
    pending[count++] = new ScannedAttribute(text.slice(start, nameEnd), decodeEntities(text.slice(k + 1, close)), lines, start, k + 1, close, close + 1);
    p = close + 1;
  }
  if (count === 0) return NO_ATTRIBUTES;
  // Every entry below `count` was just set.
  const attributes = pending.slice(0, count) as XmlAttribute[];
  for (let i = 0; i < count; i++) pending[i] = undefined; // a loop: fill() costs more for a few entries
  return attributes;
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

/** XML's own white space (S in XML 1.0 §2.3). */
function isXmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** An XML Name (XML 1.0 §2.3), with the `u` flag so characters above U+FFFF count. */
const PI_TARGET = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}][-.0-9\u00B7\u0300-\u036F\u203F\u2040:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]*$/u;

const DECLARATION_FIELD = /^[ \t\r\n]*([A-Za-z]+)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/;
const DECLARATION_ORDER = ['version', 'encoding', 'standalone'] as const;
const VERSION_NUM = /^1\.[0-9]+$/;
const ENCODING_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

interface DeclarationProblem {
  message: string;
  start: number;
  end: number;
}

/**
 * The body of `<?xml … ?>` between `from` (just past `xml`) and `to` (the `?>`): version, then
 * optionally encoding and standalone, in that order, each with a legal value (XML 1.0 §2.8,
 * §4.3.3). The encoding is checked as a name only: documents are always read as UTF-8 (docs/language.md).
 */
function checkDeclaration(text: string, from: number, to: number): DeclarationProblem | undefined {
  let at = from;
  let next = 0;
  for (;;) {
    const rest = text.slice(at, to);
    if (/^[ \t\r\n]*$/.test(rest)) break;
    const m = DECLARATION_FIELD.exec(rest);
    const lead = rest.length - rest.trimStart().length;
    if (!m || lead === 0) {
      return { message: 'Malformed XML declaration; write <?xml version="1.0" encoding="UTF-8"?>.', start: at + lead, end: Math.min(to, at + lead + 1) };
    }
    const name = m[1]!;
    const value = m[2] ?? m[3] ?? '';
    const valueStart = at + m[0].length - value.length - 1;
    const order = DECLARATION_ORDER.indexOf(name as (typeof DECLARATION_ORDER)[number]);
    if (order < next) {
      const expected = next >= DECLARATION_ORDER.length ? 'nothing after standalone'
        : `only ${DECLARATION_ORDER.slice(next).join(' or ')} after ${DECLARATION_ORDER[next - 1]}`;
      return { message: `Unexpected '${clip(name, 40)}' in the XML declaration (it takes ${expected}).`, start: at + lead, end: at + lead + name.length };
    }
    if (next === 0 && order !== 0) return { message: 'The XML declaration must start with version="1.0".', start: at + lead, end: at + lead + name.length };
    next = order + 1;
    const bad = name === 'version' ? !VERSION_NUM.test(value)
      : name === 'encoding' ? !ENCODING_NAME.test(value)
        : value !== 'yes' && value !== 'no';
    if (bad) {
      const want = name === 'version' ? 'version="1.0"' : name === 'encoding' ? 'an encoding name such as "UTF-8"' : 'standalone="yes" or "no"';
      return { message: `'${clip(value, 40)}' is not a valid XML ${name}; write ${want}.`, start: valueStart, end: valueStart + value.length };
    }
    at += m[0].length;
  }
  if (next === 0) return { message: 'The XML declaration must start with version="1.0".', start: from, end: to };
  return undefined;
}

/**
 * The text with every surrogate pair replaced by two BMP characters of the same class for XML
 * names, so offsets stay put: U+10000–U+EFFFF may appear in names (XML 1.0 §2.3), U+F0000 and up
 * only in text. Forbidden characters were refused before, so every surrogate here is paired.
 */
function maskAstral(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, (pair) => ((pair.codePointAt(0) ?? 0) <= 0xeffff ? 'xx' : '\u00D7\u00D7'));
}

/** The innermost element left open, where it opened, and any others around it. */
function unclosedDiagnostic(open: readonly ScannedElement[]): Diagnostic {
  const innermost = open[open.length - 1]!;
  const at = innermost.startTagRange;
  const name = clip(innermost.name, 60);
  const either = notClosedEither(open.slice(0, -1));
  return {
    rule: 'xml-syntax',
    severity: 'error',
    message: `<${name}> opened at line ${at.line}, column ${at.column} is never closed; add </${name}>.${either}`,
    range: at,
  };
}

/**
 * ` <b> (line 1, column 4), <a> (line 1, column 1) are not closed either.` for the elements around
 * the one a message is about (outermost first), or ''. The nearest three by name; others are counted.
 */
function notClosedEither(outermostFirst: readonly ScannedElement[]): string {
  const around = outermostFirst.slice().reverse();
  const others = around.slice(0, 3).map((e) => `<${clip(e.name, 60)}> (line ${e.startTagRange.line}, column ${e.startTagRange.column})`);
  if (around.length > 3) others.push(`${around.length - 3} more`);
  return others.length === 0 ? '' : ` ${others.join(', ')} ${around.length === 1 ? 'is' : 'are'} not closed either.`;
}
