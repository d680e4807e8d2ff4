/** docs/language.md describes the whole catalogue: a new verb or block without a word there fails here. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELEMENTS, VERBS } from '../../src/language/index.js';
import { FIXTURES } from './fixtures.js';

const doc = readFileSync(join(FIXTURES, '..', '..', 'docs', 'language.md'), 'utf8');

describe('docs/language.md', () => {
  it('names every verb and block of the catalogue', () => {
    expect(ELEMENTS.map((e) => e.name).filter((name) => !doc.includes(name))).toEqual([]);
  });

  it('lists every verb in the context table with its contexts', () => {
    const table = doc.slice(doc.indexOf('| Context | Verbs |'), doc.indexOf('Why: verbs'));
    const rows = Object.fromEntries(table.split('\n').slice(2).filter(Boolean).map((row) => {
      const [, contexts, verbs] = row.split('|').map((c) => c.trim());
      return [contexts!, verbs!.split(', ')];
    }));
    const expected: Record<string, string[]> = {};
    const label: Record<string, string> = {
      'api-extension': 'api-extension only', 'third-party': 'third-party only', routing: 'routing only',
      'api-extension,third-party': 'api-extension and third-party',
    };
    for (const verb of VERBS) (expected[label[verb.contexts!.join(',')]!] ??= []).push(verb.name);
    for (const names of Object.values(expected)) names.sort();
    expect(rows).toEqual(expected);
  });
});
