/**
 * schemas/ozml.xsd against libxml2's xmllint (as WebAssembly, xmllint-wasm: no Debian package
 * needed): it accepts the good fixtures (as written when they are canonical, and in canonical form
 * always), rejects the structural mistakes the linter rejects at the
 * same line, and agrees with the linter's value checks.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkValue, compileDocument, ELEMENTS, hasReferences } from '../../src/language/index.js';
import type { AttributeSpec, AttributeType, ElementSpec, ProgramNode } from '../../src/language/index.js';
import { goodFixtures, OWN_FIXTURES, xmlFilesUnder, xmllintFiles, xmllintText, xmllintTexts } from './helpers.js';

const fixtures = goodFixtures();
const canonical = fixtures.filter((f) => f.canonical);
const goodResults = await xmllintFiles(canonical.map((f) => f.path));

/** Re-writes a compiled program with canonical names, every written value as an attribute. */
function canonicalXml(nodes: readonly ProgramNode[], indent = '  '): string {
  return nodes.map((node) => {
    const attributes = Object.entries(node.attributes)
      .filter(([, v]) => v.origin === 'written')
      .map(([name, v]) => ` ${name}="${escape(v.kind === 'literal' ? String(v.value) : v.template)}"`)
      .join('');
    if (node.children.length === 0) return `${indent}<${node.name}${attributes}/>\n`;
    return `${indent}<${node.name}${attributes}>\n${canonicalXml(node.children, `${indent}  `)}${indent}</${node.name}>\n`;
  }).join('');
}

/** Every fixture compiled and re-written in canonical form; validated in one batch below. */
const canonicalForms = new Map(fixtures.map((fixture) => {
  const { program, diagnostics } = compileDocument(readFileSync(fixture.path), { ...fixture.options, context: fixture.context });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const xml = program ? `<${program.root}>\n${canonicalXml(program.instructions)}</${program.root}>\n` : '';
  return [fixture.path, { errors, xml }] as const;
}));
// A fixture that does not compile fails its test below; its (empty) text is not validated.
const canonicalResults = await xmllintTexts(new Map([...canonicalForms].filter(([, f]) => f.xml !== '').map(([path, { xml }]) => [path, xml])));

describe('good fixtures', () => {
  const results = goodResults;

  it('include my fixtures for every context and the language suite\'s', () => {
    const own = canonical.filter((f) => f.name.startsWith('test/schemas/')).map((f) => f.context);
    expect(new Set(own)).toEqual(new Set(['api-extension', 'third-party', 'routing']));
  });

  it.each(canonical.map((f) => [f.name, f] as const))('%s validates as written', (_name, fixture) => {
    expect(results.get(fixture.path)).toEqual({ valid: true, errors: [] });
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s validates in canonical form', (_name, fixture) => {
    const { errors, xml } = canonicalForms.get(fixture.path)!;
    expect(errors).toEqual([]);
    expect(canonicalResults.get(fixture.path)).toEqual({ valid: true, errors: [] });
    expect(xml).toMatch(/^<(Response|OzML)>/);
  });
});

const badFiles = xmlFilesUnder(join(OWN_FIXTURES, 'bad'));
const badResults = await xmllintFiles(badFiles);

describe('bad fixtures: rejected by both the XSD and the linter, at the same line', () => {
  /** File → the linter's rule; every fixture has its problem on line 3 (unknown-root on line 1). */
  const expected: Record<string, string> = {
    'unknown-verb': 'unknown-verb',
    'unknown-attribute': 'unknown-attribute',
    'unknown-root': 'unknown-root',
    'block-at-top-level': 'unexpected-element',
    'verb-inside-inputs': 'unexpected-element',
    'element-inside-speak': 'unexpected-element',
    'text-in-hangup': 'unexpected-text',
    'invalid-enum': 'invalid-attribute-value',
    'invalid-integer': 'invalid-attribute-value',
    'invalid-integer-text': 'invalid-attribute-value',
    'integer-too-large': 'invalid-attribute-value',
    'invalid-boolean': 'invalid-attribute-value',
    'invalid-dtmf-key': 'invalid-attribute-value',
    'invalid-url-scheme': 'invalid-attribute-value',
    'invalid-address': 'invalid-attribute-value',
    'invalid-account-number': 'invalid-attribute-value',
    'invalid-identifier': 'invalid-attribute-value',
    'empty-speak-text': 'invalid-attribute-value',
    'missing-target-directory': 'missing-required-attribute',
    'missing-input-key': 'missing-required-attribute',
  };
  const files = badFiles;
  const results = badResults;

  it('has an expectation for every bad fixture', () => {
    expect(files.map((f) => basename(f, '.xml')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files.map((f) => [basename(f, '.xml'), f] as const))('%s', (name, file) => {
    const line = name === 'unknown-root' ? 1 : 3;
    const xsd = results.get(file)!;
    expect(xsd.valid).toBe(false);
    expect(xsd.errors.map((e) => e.line)).toEqual([line]);

    const { program, diagnostics } = compileDocument(readFileSync(file));
    expect(program).toBeUndefined();
    expect(diagnostics.map((d) => [d.rule, d.severity, d.range.line])).toEqual([[expected[name], 'error', line]]);
  });
});

describe('value types agree with the linter\'s checks', () => {
  const SAMPLES = [
    '', ' ', 'x', 'abc', 'a b', '0', '1', '5', ' 7 ', '+007', '-1', '1.5', '30', '64', '65', '300', '301', '600', '601',
    '14400', '14401', '86400', '86401', 'true', 'false', 'True', 'FALSE', 'yes', 'caller', 'Caller', 'callee', 'all',
    'private', 'wav', 'MP3', 'ogg', 'none', 'stack', 'follow-me', 'Susan', 'susan', 'en_US', 'NewEvent', 'ringback-us',
    'ringback-xx', 'http://example.com/a', 'HTTPS://example.com/a?b=c', 'file:///tmp/a.wav', 'ftp://example.com/',
    'mailto:ops@example.com', 'relative/path.xml', '/abs/path', '?q=1', '#top', 'c:\\path', 'http://a b',
    '+15551234567', '1001', 'sip:1001@pbx.example.com', 'tel:+15551234567', 'user@example.com', '+1 555', '123#', '*9',
    'ABCD', 'abcd', 'E', '12', '1x', '#', '12BC', '12bc', '12AB', '110', '1234', 'en-US', 'pt-BR', 'english', 'e', 'a_b',
    '1st', '_x', '1'.repeat(64), '1'.repeat(65), 'ops@example.com', '@example.com', '$var', 'a $x b', '$$', '$$x',
    '$$$x', 'cost $5', '$x.y', '$1',
  ];

  const linterAccepts = (type: AttributeType, raw: string): boolean => hasReferences(raw) || checkValue(type, raw).ok;

  /** Documented differences: the XSD knows canonical letter case only (also of caller-ID keywords), and accepts any tone name (config tones). */
  function documentedDifference(type: AttributeType, raw: string): boolean {
    const checked = checkValue(type, raw);
    const keyword = type.kind === 'enum' || type.kind === 'boolean' || (type.kind === 'caller-id' && /^[a-z]+$/i.test(raw.trim()));
    if (checked.ok && keyword) return String(checked.value) !== raw.trim();
    return !checked.ok && type.kind === 'tone' && /^\S+$/.test(raw.trim());
  }

  const validValue = (spec: AttributeSpec): string => {
    const candidates = ['1', '1234', 'x', 'ops@example.com', 'en-US', 'true', 'http://example.com/', 'beep', 'private'];
    if (spec.type.kind === 'enum') candidates.unshift(spec.type.values[0]!);
    const value = candidates.find((c) => checkValue(spec.type, c).ok);
    if (value === undefined) throw new Error(`no sample value for ${spec.name}`);
    return value;
  };

  /** `<Element …` with every other required attribute filled (the tag is left open). */
  function openTag(spec: ElementSpec, attributes: string): string {
    const filled = spec.attributes
      .filter((a) => a.required === true && !a.main && !attributes.includes(` ${a.name}=`))
      .map((a) => ` ${a.name}="${validValue(a)}"`).join('');
    return `<${spec.name}${attributes}${filled}`;
  }

  /** The element on one line, wrapped in the elements it belongs to when it is a block (Input in Inputs in UserInput). */
  function element(spec: ElementSpec, attributes: string, text?: string): string {
    let xml = text === undefined ? `${openTag(spec, attributes)}/>` : `${openTag(spec, attributes)}>${escape(text)}</${spec.name}>`;
    for (let child = spec; child.kind === 'block';) {
      const parent = ELEMENTS.find((e) => e.children.kind === 'elements' && e.children.names.includes(child.name));
      if (!parent) throw new Error(`no parent for <${child.name}>`);
      xml = `${openTag(parent, '')}>${xml}</${parent.name}>`;
      child = parent;
    }
    return xml;
  }

  /** One attribute per distinct type of the table (the first that uses it). */
  const representatives = new Map<string, { element: ElementSpec; attribute: AttributeSpec }>();
  for (const e of ELEMENTS) {
    for (const a of e.attributes) {
      const key = JSON.stringify(a.type, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v)) + (a.main ? ':main' : '');
      if (!representatives.has(key)) representatives.set(key, { element: e, attribute: a });
    }
  }

  interface Case { line: number; type: AttributeType; raw: string; where: string }
  const cases: Case[] = [];
  let body = '';
  const add = (xml: string, c: Omit<Case, 'line'>) => {
    cases.push({ ...c, line: cases.length + 2 });
    body += `${xml}\n`;
  };
  for (const { element: e, attribute: a } of representatives.values()) {
    for (const raw of SAMPLES) {
      add(element(e, ` ${a.name}="${escape(raw)}"`), { type: a.type, raw, where: `${e.name} ${a.name}="${raw}"` });
      // A main parameter as text content: empty text means "not given", a different rule.
      if (a.main && e.children.kind === 'none' && raw.trim() !== '') {
        add(element(e, '', raw), { type: a.type, raw, where: `<${e.name}>${raw}</${e.name}>` });
      }
    }
  }
  const document = `<Response>\n${body}</Response>\n`;

  it('covers every kind of attribute type', () => {
    const kinds = new Set([...representatives.values()].map((r) => r.attribute.type.kind));
    expect([...kinds].sort()).toEqual([
      'address', 'boolean', 'caller-id', 'dtmf', 'dtmf-key', 'enum', 'identifier', 'integer', 'language', 'phone-number', 'service', 'string',
      'tone', 'url',
    ]);
  });

  it('accepts exactly what the linter accepts, apart from the documented differences', async () => {
    const result = await xmllintText(document);
    const rejectedLines = new Set(result.errors.map((e) => e.line));
    const disagreements = cases
      .filter((c) => linterAccepts(c.type, c.raw) === rejectedLines.has(c.line))
      .filter((c) => !documentedDifference(c.type, c.raw))
      .map((c) => `${c.where}: linter ${linterAccepts(c.type, c.raw) ? 'accepts' : 'rejects'}, XSD ${rejectedLines.has(c.line) ? 'rejects' : 'accepts'}`);
    expect(disagreements).toEqual([]);
    // The documented differences do occur (the check above is not vacuous).
    expect(cases.filter((c) => documentedDifference(c.type, c.raw) && rejectedLines.has(c.line)).length).toBeGreaterThan(0);
    expect(rejectedLines.size).toBeGreaterThan(100);
  });
});

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
}
