/** Hostile input: entity expansion, external entities, oversize and deeply nested documents, binary data. */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileDocument, FETCH_MAX_BYTES, LINT_MAX_BYTES, MAX_DEPTH } from '../../src/language/index.js';
import type { CompileResult } from '../../src/language/index.js';

const MiB = 1024 * 1024;
const encode = (text: string) => new TextEncoder().encode(text);
const only = (result: CompileResult) => {
  expect(result.program).toBeUndefined();
  expect(result.diagnostics).toHaveLength(1);
  return result.diagnostics[0]!;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('DOCTYPE', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
${Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 2} "${`&lol${i === 0 ? '' : i + 1};`.repeat(10)}">`).join('\n')}
]>
<Response><Speak>&lol10;</Speak></Response>`;
  const xxe = `<?xml version="1.0"?>
<!DOCTYPE Response [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<Response><Speak>&xxe;</Speak></Response>`;
  const expected = {
    rule: 'doctype-forbidden', severity: 'error',
    message: 'DOCTYPE declarations are not allowed (no DTDs or entity definitions).',
    range: { line: 2, column: 1, endLine: 2, endColumn: 10 },
  };

  it.each([['billion laughs', billionLaughs], ['external entity (XXE)', xxe]])('%s is refused with exactly one doctype-forbidden, before any parsing', (_name, text) => {
    const validate = vi.spyOn(XMLValidator, 'validate');
    const parse = vi.spyOn(XMLParser.prototype, 'parse');
    expect(only(compileDocument(text))).toEqual(expected);
    expect(only(compileDocument(encode(text)))).toEqual(expected);
    expect(validate).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
  });

  it('is refused in any letter case and anywhere in the document', () => {
    expect(only(compileDocument('<Response><Speak>x</Speak></Response>\n<!doctype html>')).rule).toBe('doctype-forbidden');
  });
});

describe('size limit', () => {
  it('refuses a 10 MiB byte array with document-too-large without decoding or parsing it', () => {
    const validate = vi.spyOn(XMLValidator, 'validate');
    const parse = vi.spyOn(XMLParser.prototype, 'parse');
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const bytes = new Uint8Array(10 * MiB).fill(0x20);
    bytes.set(encode('<Response>'), 0);
    expect(only(compileDocument(bytes))).toEqual({
      rule: 'document-too-large', severity: 'error',
      message: `Document is ${10 * MiB} bytes; the limit is ${LINT_MAX_BYTES}.`,
      range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    });
    expect(validate).not.toHaveBeenCalled();
    expect(parse).not.toHaveBeenCalled();
    expect(decode).not.toHaveBeenCalled();
  });

  it('counts UTF-8 bytes of strings, not characters', () => {
    const body = '<Response><Speak>' + 'é'.repeat(40) + '</Speak></Response>'; // 76 characters, 116 bytes
    const atLimit = compileDocument(body, { maxBytes: 116 });
    expect(atLimit.diagnostics).toEqual([]);
    expect(atLimit.program?.instructions.map((i) => i.name)).toEqual(['Speak']);
    expect(only(compileDocument(body, { maxBytes: 115 })).message).toBe('Document is 116 bytes; the limit is 115.');
  });

  it('has the limits of design.md §3', () => {
    expect([LINT_MAX_BYTES, FETCH_MAX_BYTES, MAX_DEPTH]).toEqual([MiB, 64 * 1024, 64]);
    const fetched = '<Response>' + '<Beep/>'.repeat(10_000) + '</Response>';
    const underLintLimit = compileDocument(fetched);
    expect(underLintLimit.diagnostics).toEqual([]);
    expect(underLintLimit.program?.instructions).toHaveLength(10_000);
    expect(only(compileDocument(fetched, { maxBytes: FETCH_MAX_BYTES })).rule).toBe('document-too-large');
  });
});

describe('nesting limit', () => {
  it('refuses 100,000-deep nesting with nesting-too-deep, without overflowing the stack', () => {
    const deep = '<Response>' + '<ForEach>'.repeat(100_000) + '</ForEach>'.repeat(100_000) + '</Response>';
    const parse = vi.spyOn(XMLParser.prototype, 'parse');
    expect(only(compileDocument(deep, { maxBytes: 4 * MiB }))).toEqual({
      rule: 'nesting-too-deep', severity: 'error', message: 'Elements are nested more than 64 levels deep.',
      range: { line: 1, column: 10 + 63 * 9 + 1, endLine: 1, endColumn: 10 + 64 * 9 + 1 },
    });
    expect(parse).not.toHaveBeenCalled();
    // Unclosed and within the lint size limit: the same.
    expect(only(compileDocument('<a>'.repeat(300_000))).rule).toBe('nesting-too-deep');
  });

  it('allows exactly 64 levels', () => {
    const nest = (levels: number) => '<Response>' + '<ForEach Source="voicemails">'.repeat(levels) + '<Beep/>' + '</ForEach>'.repeat(levels) + '</Response>';
    const ok = compileDocument(nest(62)); // Response + 62 ForEach + Beep = 64
    expect(ok.diagnostics).toEqual([]);
    expect(only(compileDocument(nest(63))).rule).toBe('nesting-too-deep');
  });
});

describe('binary and badly encoded input', () => {
  it.each([
    ['a PNG header', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]), 'Document is not valid UTF-8 text (byte 0x89 at offset 0).'],
    ['Latin-1 text', new Uint8Array([...encode('<Response><Speak>Caf'), 0xe9, ...encode('</Speak></Response>')]), 'Document is not valid UTF-8 text (byte 0xE9 at offset 20).'],
    ['a UTF-16 document', new Uint8Array([0xff, 0xfe, 0x3c, 0x00, 0x52, 0x00]), 'Document is not valid UTF-8 text (byte 0xFF at offset 0).'],
    ['an encoded surrogate', new Uint8Array([...encode('<R>'), 0xed, 0xa0, 0x80]), 'Document is not valid UTF-8 text (byte 0xED at offset 3).'],
    ['an overlong encoding', new Uint8Array([...encode('<R>'), 0xc0, 0xbc]), 'Document is not valid UTF-8 text (byte 0xC0 at offset 3).'],
    ['a truncated sequence', new Uint8Array([...encode('<R>'), 0xe2, 0x82]), 'Document is not valid UTF-8 text (byte 0xE2 at offset 3).'],
    ['NUL bytes', new Uint8Array([...encode('<Response>'), 0, 0, 0, ...encode('</Response>')]), 'Character U+0000 is not allowed in XML (binary data?).'],
    ['a form feed', encode('<Response>\f</Response>'), 'Character U+000C is not allowed in XML (binary data?).'],
  ])('%s gives xml-syntax', (_name, bytes, message) => {
    const diagnostic = only(compileDocument(bytes));
    expect(diagnostic.rule).toBe('xml-syntax');
    expect(diagnostic.message).toBe(message);
  });

  it('a string with a lone surrogate gives xml-syntax; a surrogate pair is one character', () => {
    expect(only(compileDocument('<Response><Speak>a\uD800b</Speak></Response>'))).toEqual({
      rule: 'xml-syntax', severity: 'error', message: 'Character U+D800 is not allowed in XML (binary data?).',
      range: { line: 1, column: 19, endLine: 1, endColumn: 20 },
    });
    expect(only(compileDocument('<Response><Speak>\uDC00</Speak></Response>')).message).toBe('Character U+DC00 is not allowed in XML (binary data?).');
    expect(compileDocument('<Response><Speak>\uD83D\uDE00</Speak></Response>').diagnostics).toEqual([]);
  });

  it('places the first invalid byte by line and UTF-16 column', () => {
    const bytes = new Uint8Array([...encode('<Response>\n  <Speak>😀 é '), 0xff, ...encode('</Speak></Response>')]);
    expect(only(compileDocument(bytes)).range).toEqual({ line: 2, column: 15, endLine: 2, endColumn: 16 });
  });

  it('an empty or blank document is an xml-syntax error', () => {
    for (const input of ['', '  \r\n\t', new Uint8Array(0)]) {
      expect(only(compileDocument(input))).toEqual({
        rule: 'xml-syntax', severity: 'error', message: 'Document is empty; an OzML document is a <Response> element.',
        range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      });
    }
  });
});

describe('names that are JavaScript object keys', () => {
  // The tree is built from arrays and fresh objects, never keyed by names from the document, so
  // these are ordinary (unknown) names: reported by the usual rules, nothing polluted, nothing thrown.
  it.each([
    ['<Response><__proto__/></Response>', 'unknown-verb', 'Unknown verb <__proto__>.', 11, 23],
    ['<Response><constructor></constructor></Response>', 'unknown-verb', 'Unknown verb <constructor>.', 11, 24],
    ['<prototype/>', 'unknown-root', 'Unknown root element <prototype>; an OzML document is a <Response>.', 1, 13],
    ['<Response><Speak __proto__="x">Hi</Speak></Response>', 'unknown-attribute', "<Speak> has no attribute '__proto__' (it has Text, Party, CallId, Language, Voice).", 18, 27],
    ['<Response><Speak Text="a" constructor="x"/></Response>', 'unknown-attribute', "<Speak> has no attribute 'constructor' (it has Text, Party, CallId, Language, Voice).", 27, 38],
  ])('%s → %s, not an exception', (text, rule, message, column, endColumn) => {
    const { suggestion: _suggestion, ...diagnostic } = only(compileDocument(text));
    expect(diagnostic).toEqual({ rule, severity: 'error', message, range: { line: 1, column, endLine: 1, endColumn } });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('attributes of the XML declaration are not OzML attributes (and only version, encoding, standalone exist)', () => {
    expect(compileDocument('<?xml version="1.0" prototype="1"?><Response><Hangup/></Response>').diagnostics).toEqual([{
      rule: 'xml-syntax', severity: 'error',
      message: "Unexpected 'prototype' in the XML declaration (it takes only encoding or standalone after version).",
      range: { line: 1, column: 21, endLine: 1, endColumn: 30 },
    }]);
    expect(compileDocument('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Response><Hangup/></Response>').diagnostics).toEqual([]);
  });

  it('other Object.prototype names are reported as the names written', () => {
    const result = compileDocument('<Response><toString/><Speak hasOwnProperty="1" valueOf="2">Hi</Speak><__defineGetter__/></Response>');
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'Unknown verb <toString>.',
      "<Speak> has no attribute 'hasOwnProperty' (it has Text, Party, CallId, Language, Voice).",
      "<Speak> has no attribute 'valueOf' (it has Text, Party, CallId, Language, Voice).",
      'Unknown verb <__defineGetter__>.',
    ]);
  });

  it('the same words in text and values are ordinary text', () => {
    const result = compileDocument('<Response><Speak>__proto__ constructor prototype</Speak><Var ID="toString">constructor</Var></Response>');
    expect(result.diagnostics).toEqual([]);
    expect(result.program!.instructions[0]!.attributes.Text).toEqual({
      kind: 'literal', value: '__proto__ constructor prototype', origin: 'written', range: { line: 1, column: 18, endLine: 1, endColumn: 49 },
    });
  });
});

describe('megabyte-long names and values', () => {
  const long = 'a'.repeat(MiB - 400);
  it.each([
    ['an element name', `<Response><${long}/></Response>`, 'unknown-verb'],
    ['an attribute name', `<Response><Speak ${long}="1">x</Speak></Response>`, 'unknown-attribute'],
    ['a root name', `<${long}/>`, 'unknown-root'],
    ['an enum value', `<Response><Play Repeat="${long}">a.wav</Play></Response>`, 'invalid-attribute-value'],
    ['a variable name', `<Response><Speak>$${long}</Speak></Response>`, 'undefined-variable'],
    ['a ForEach source', `<Response><ForEach Source="${long}"/></Response>`, 'foreach-unknown-source'],
    ['an unclosed tag list', `<Response>${'<a>'.repeat(60)}<${long}>`, 'xml-syntax'],
  ])('%s gives a short message', (_name, text, rule) => {
    const { diagnostics } = compileDocument(text);
    expect(diagnostics.map((d) => d.rule)).toContain(rule);
    for (const d of diagnostics) expect(d.message.length).toBeLessThan(400);
  });
});

describe('XML 1.0 names above U+FFFF', () => {
  it('are names, so the document reaches the linter', () => {
    expect(compileDocument('<Response><𐀀/></Response>').diagnostics.map((d) => [d.rule, d.message])).toEqual([['unknown-verb', 'Unknown verb <𐀀>.']]);
  });
});
