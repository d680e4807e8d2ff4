/** Data-driven: every good fixture compiles cleanly, every bad fixture yields exactly its sidecar's diagnostics. */
import { describe, expect, it } from 'vitest';
import { compileDocument, ELEMENTS, RULES, VERBS } from '../../src/language/index.js';
import type { ProgramNode } from '../../src/language/index.js';
import { badFixtures, flatten, goodFixtures, ruleOf } from './fixtures.js';

const good = goodFixtures();
const bad = badFixtures();
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function* walk(nodes: readonly ProgramNode[]): Generator<ProgramNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

describe('good fixtures', () => {
  it.each(good.map((f) => [f.name, f] as const))('%s compiles to a program with exactly the expected diagnostics', (_name, fixture) => {
    const result = compileDocument(fixture.bytes, fixture.options);
    expect(result.diagnostics.map(flatten)).toEqual(fixture.expected);
    expect(result.program).toBeDefined();
    expect(result.program!.context).toBe(fixture.context);
    // A string gives the same result as its bytes (the BOM included).
    expect(compileDocument(utf8.decode(fixture.bytes), fixture.options)).toEqual(result);
  });

  it('cover every verb and block of the catalogue', () => {
    const seen = new Set<string>();
    for (const fixture of good) {
      const program = compileDocument(fixture.bytes, fixture.options).program!;
      for (const node of walk(program.instructions)) seen.add(node.name);
    }
    expect([...ELEMENTS.map((e) => e.name)].filter((name) => !seen.has(name))).toEqual([]);
  });

  it('cover every verb in every context where it is allowed', () => {
    const seen = new Set<string>();
    for (const fixture of good) {
      const program = compileDocument(fixture.bytes, fixture.options).program!;
      for (const node of walk(program.instructions)) seen.add(`${fixture.context}:${node.name}`);
    }
    const missing = VERBS.flatMap((verb) => (verb.contexts ?? []).map((c) => `${c}:${verb.name}`)).filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });

  it('include CRLF, lone-CR, tab-indented, BOM and non-ASCII documents', () => {
    const text = (name: string) => new TextDecoder().decode(good.find((f) => f.name === name)!.bytes);
    expect(text('good/api-extension/crlf-tabs-unicode.xml')).toMatch(/\r\n\t<Speak[^\n]*日本語/);
    expect(text('good/third-party/crlf-speak.xml')).toContain('\r\n\t');
    expect(text('good/api-extension/cr-only.xml')).not.toContain('\n');
    expect(good.find((f) => f.name === 'good/api-extension/bom.xml')!.bytes.slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});

describe('bad fixtures', () => {
  it.each(bad.map((f) => [f.name, f] as const))('%s yields exactly the expected diagnostics', (_name, fixture) => {
    const result = compileDocument(fixture.bytes, fixture.options);
    expect(result.diagnostics.map(flatten)).toEqual(fixture.expected);
    // A program exactly when there is no error.
    expect(result.program !== undefined).toBe(!fixture.expected.some((d) => d.severity === 'error'));
    if (isUtf8(fixture.bytes)) expect(compileDocument(utf8.decode(fixture.bytes), fixture.options)).toEqual(result);
  });

  it('exist for every rule, and each rule directory shows its own rule', () => {
    const dirs = new Set(bad.map(ruleOf));
    expect(RULES.map((r) => r.meta.id).filter((id) => !dirs.has(id))).toEqual([]);
    for (const fixture of bad) {
      expect(fixture.expected.map((d) => d.rule), fixture.name).toContain(ruleOf(fixture));
    }
  });

  it('include CRLF files and non-ASCII text before the error on the same line', () => {
    const crlf = bad.filter((f) => new TextDecoder().decode(f.bytes).includes('\r\n'));
    expect(crlf.map(ruleOf)).toEqual(expect.arrayContaining(['xml-syntax', 'doctype-forbidden', 'unknown-attribute', 'invalid-attribute-value', 'undefined-variable']));
    const lines = (name: string) => new TextDecoder().decode(bad.find((f) => f.name === name)!.bytes).split(/\r?\n/);
    // Columns count UTF-16 code units: 😀 counts 2, é and 日 count 1 each, a tab counts 1.
    const line = lines('bad/unknown-verb/typo-after-unicode-tabs.xml')[1]!;
    expect(line.indexOf('<Speek>') + 1).toBe(40);
    expect(bad.find((f) => f.name === 'bad/unknown-verb/typo-after-unicode-tabs.xml')!.expected[0]!.column).toBe(40);
  });
});
