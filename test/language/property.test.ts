/**
 * Property tests: compileDocument never throws, never reports an internal error, and always yields
 * either a program or at least one error (never both), for arbitrary text, arbitrary bytes, documents
 * generated from the verb table and mutations of the good fixtures. Runs are bounded; no timing asserts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDocument, ELEMENTS, VERBS, DOCUMENT_CONTEXTS } from '../../src/language/index.js';
import type { CompileOptions, ProgramNode, Range } from '../../src/language/index.js';
import { goodFixtures } from './fixtures.js';
import { documentArb } from './generators.js';

const decoder = new TextDecoder();

function lineCount(input: string | Uint8Array): number {
  const text = typeof input === 'string' ? input : decoder.decode(input);
  return text.split(/\r\n|\r|\n/).length;
}

function checkRange(range: Range, lines: number): void {
  expect(range.line).toBeGreaterThanOrEqual(1);
  expect(range.column).toBeGreaterThanOrEqual(1);
  expect(range.endLine).toBeLessThanOrEqual(lines);
  expect(range.endLine > range.line || (range.endLine === range.line && range.endColumn >= range.column)).toBe(true);
}

function* walk(nodes: readonly ProgramNode[]): Generator<ProgramNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

const canonicalNames = new Set(ELEMENTS.map((e) => e.name));

/** The invariants every compile result must satisfy. */
function assertSound(input: string | Uint8Array, options: CompileOptions = {}): void {
  const result = compileDocument(input, options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(result.diagnostics.map((d) => d.rule)).not.toContain('internal-error');
  expect(result.program === undefined).toBe(errors.length > 0);
  const lines = lineCount(input);
  for (const d of result.diagnostics) {
    checkRange(d.range, lines);
    expect(d.message.length).toBeGreaterThan(0);
  }
  if (result.program) {
    for (const node of walk(result.program.instructions)) {
      expect(canonicalNames.has(node.name)).toBe(true);
      checkRange(node.range, lines);
      for (const value of Object.values(node.attributes)) if (value.range) checkRange(value.range, lines);
    }
    expect(JSON.parse(JSON.stringify(result.program))).toEqual(result.program);
  }
}

const contexts = fc.constantFrom(...DOCUMENT_CONTEXTS);

describe('arbitrary input', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), contexts, (text, context) => assertSound(text, { context })), { numRuns: 300 });
  });

  it('arbitrary strings made of XML punctuation', () => {
    const piece = fc.constantFrom('<', '>', '/', '=', '"', "'", '&', ';', '!', '?', '-', '[', ']', ' ', '\n', '\r', 'Response', 'Speak', 'a', '#x41', 'CDATA', 'DOCTYPE', '$x', 'amp');
    fc.assert(fc.property(fc.array(piece, { maxLength: 80 }), (pieces) => assertSound(pieces.join(''))), { numRuns: 400 });
  });

  it('arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => assertSound(bytes)), { numRuns: 300 });
  });
});

describe('documents generated from the verb table', () => {
  it('compile soundly in every context', () => {
    fc.assert(fc.property(documentArb, contexts, (text, context) => assertSound(text, { context })), { numRuns: 300 });
  });

  it('give the same result for the string and its UTF-8 bytes', () => {
    fc.assert(fc.property(documentArb, contexts, (text, context) => {
      expect(compileDocument(new TextEncoder().encode(text), { context })).toEqual(compileDocument(text, { context }));
    }), { numRuns: 100 });
  });

  it('well-formed documents of known verbs reach the linter (no xml-syntax error)', () => {
    fc.assert(fc.property(documentArb, (text) => {
      expect(compileDocument(text).diagnostics.map((d) => d.rule)).not.toContain('xml-syntax');
    }), { numRuns: 200 });
  });

  it('some generated documents compile to a program (the generator is not degenerate)', () => {
    const samples = fc.sample(documentArb, { numRuns: 200, seed: 42 });
    const compiled = samples.filter((text) => compileDocument(text).program !== undefined);
    expect(compiled.length).toBeGreaterThan(10);
    expect(compiled.length).toBeLessThan(samples.length);
  });
});

describe('mutations of the good fixtures', () => {
  const fixtures = goodFixtures().map((f) => ({ text: decoder.decode(f.bytes), options: f.options }));
  const fixture = fc.constantFrom(...fixtures);

  const mutation = fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('<', '>', '</', '/>', '"', '&', '$', '<Speak>', '</Input>', '<!--', ']]>', '\r', '\uFEFF', '😀')) }),
    fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('duplicate-tag' as const), at: fc.nat() }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

  function apply(text: string, m: Mutation): string {
    const at = text.length ? m.at % (text.length + 1) : 0;
    switch (m.op) {
      case 'delete': return text.slice(0, at) + text.slice(at + m.length);
      case 'insert': return text.slice(0, at) + m.text + text.slice(at);
      case 'swap': {
        const j = text.length ? m.other % text.length : 0;
        const chars = [...text];
        const i = Math.min(at, chars.length - 1);
        if (i < 0 || j >= chars.length) return text;
        [chars[i], chars[j]] = [chars[j]!, chars[i]!];
        return chars.join('');
      }
      case 'truncate': return text.slice(0, at);
      case 'duplicate-tag': {
        const start = text.indexOf('<', at);
        const end = start < 0 ? -1 : text.indexOf('>', start);
        return end < 0 ? text + text : text.slice(0, end + 1) + text.slice(start, end + 1) + text.slice(end + 1);
      }
    }
  }

  it('stay sound after one to five mutations', () => {
    fc.assert(fc.property(fixture, fc.array(mutation, { minLength: 1, maxLength: 5 }), ({ text, options }, mutations) => {
      assertSound(mutations.reduce(apply, text), options);
    }), { numRuns: 500 });
  });

  it('every prefix of a fixture is sound', () => {
    const { text, options } = fixtures.find((f) => f.text.includes('<Consult>'))!;
    for (let i = 0; i <= text.length; i += 7) assertSound(text.slice(0, i), options);
  });
});

describe('every verb alone', () => {
  it('compiles soundly with no attributes, in every context', () => {
    for (const verb of VERBS) for (const context of DOCUMENT_CONTEXTS) assertSound(`<Response><${verb.name}/></Response>`, { context });
  });
});
