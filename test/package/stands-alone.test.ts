import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What ships or is read by users: code, docs, schemas, examples, scripts. */
const SCANNED = ['src', 'docs', 'schemas', 'examples', 'scripts', 'README.md', 'BENCHMARKS.md'];

/**
 * Outside notes the project was designed from. The project stands alone: it cites its own docs,
 * so a reader never needs a file that is not in the repository.
 */
const OUTSIDE_CITATION = /design\.md|ozml-reference|\bseeds?[ _-]?0\d\d\b|shared\/(?:docs|seeds)/i;

/** A path to one of the project's own test files may carry a seed's name (`test/calls/seed-004.test.ts`). */
const OWN_TEST_PATH = /\btest\/[\w./-]+/g;

function* files(entry: string): Generator<string> {
  const absolute = path.join(ROOT, entry);
  if (statSync(absolute).isFile()) {
    yield entry;
    return;
  }
  for (const name of readdirSync(absolute)) {
    if (name === 'node_modules') continue;
    yield* files(path.join(entry, name));
  }
}

function outsideCitations(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (OUTSIDE_CITATION.test(line.replace(OWN_TEST_PATH, ''))) lines.push(index + 1);
  });
  return lines;
}

describe('the project stands alone', () => {
  it('recognises a citation of the outside notes and ignores paths to its own tests', () => {
    expect(outsideCitations('see design.md §6\nok\n(Seed 004 sample)\nseed-001 options\n`test/calls/seed-004.test.ts`')).toEqual([1, 3, 4]);
    expect(outsideCitations('the ozml-reference says\nscenario seed: 1')).toEqual([1]);
  });

  it('no file of code, docs, schemas, examples or scripts cites the outside design notes, reference or seed files', () => {
    const found: string[] = [];
    for (const entry of SCANNED) {
      for (const file of files(entry)) {
        if (!/\.(?:ts|js|md|json|xml|xsd|ya?ml)$/.test(file)) continue;
        for (const line of outsideCitations(readFileSync(path.join(ROOT, file), 'utf8'))) found.push(`${file}:${line}`);
      }
    }
    expect(found).toEqual([]);
  });
});
