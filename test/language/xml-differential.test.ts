/**
 * Differential check of the XML reader against libxml2 (xmllint-wasm, so no Debian package is
 * needed): over a seeded corpus of generated documents and byte-level mutations of them, both must
 * agree on well-formedness. Excluded by design (docs/language.md): DOCTYPE (refused by policy) and
 * namespace prefixes (libxml2 reports undeclared prefixes; OzML has no namespaces).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { XMLValidationError } from 'xmllint-wasm';
import { compileDocument } from '../../src/language/index.js';
import { documentArb } from './generators.js';

/** Fragments that stress well-formedness: markup characters, comments, declarations, astral names. */
const PIECES = ['<', '>', '&', ';', '"', "'", '/', '=', '!', '?', '-', '--', '-->', '<!--', ']]>', '<![CDATA[', '<?xml version="1.0"?>',
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>', '<?XML ?>', '<?php x?>', '&amp;', '&#x10000;', '&#0;', '𐀀', '\u{F0000}', 'é', ' ', '\n', '<a>', '</a>', '<b/>', 'x="1"'];

const mutation = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 3 }),
  piece: fc.constantFrom(...PIECES),
});

const corpus = fc.tuple(documentArb, fc.array(mutation, { maxLength: 3 })).map(([doc, edits]) => {
  let text = doc;
  for (const { at, cut, piece } of edits) {
    const p = at % (text.length + 1);
    text = text.slice(0, p) + piece + text.slice(p + cut);
  }
  return text;
});

function oursWellFormed(text: string): boolean {
  return !compileDocument(text, {}).diagnostics.some((d) => d.rule === 'xml-syntax');
}

describe('XML well-formedness agrees with libxml2', () => {
  it('on 3,000 generated and mutated documents', async () => {
    const docs = fc.sample(corpus, { numRuns: 3000, seed: 20261207 })
      // Policy, not well-formedness: DOCTYPE is refused.
      .filter((d) => !/<!doctype/i.test(d));
    const errors: XMLValidationError[] = [];
    // In batches: one xmllint-wasm run over thousands of files exhausts its memory.
    for (let from = 0; from < docs.length; from += 250) {
      const result = await validateXML({
        xml: docs.slice(from, from + 250).map((contents, k) => ({ fileName: `d${from + k}.xml`, contents })),
        normalization: 'format',
        // Only parse: no output, and a wrong document must not stop the others.
        modifyArguments: (args) => ['--noout', ...args.filter((a) => a !== '--format')],
      });
      errors.push(...result.errors);
    }
    const files = (kind: string): Set<string | undefined> => new Set(errors.filter((e) => e.message.startsWith(kind)).map((e) => e.loc?.fileName));
    const broken = files('parser error');
    // Undeclared prefixes are namespace errors in libxml2; OzML has no namespaces.
    const prefixed = files('namespace error');
    const compared = docs.map((text, i) => ({ text, file: `d${i}.xml` })).filter((d) => !prefixed.has(d.file));
    const disagreements = compared
      .map(({ text, file }) => ({ text, libxml2: !broken.has(file), ozml: oursWellFormed(text) }))
      .filter((r) => r.libxml2 !== r.ozml);
    expect(compared.length).toBeGreaterThan(2800);
    // Both verdicts occur, or the corpus checks nothing.
    expect(broken.size).toBeGreaterThan(300);
    expect(broken.size).toBeLessThan(docs.length - 300);
    expect(disagreements).toEqual([]);
  }, 300_000); // libxml2 as WebAssembly over 3,000 documents: about 20 s alone, far more on a loaded machine
});
