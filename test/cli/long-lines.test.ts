/**
 * A document on one line (as minified documents are) with a finding every 51 bytes, just under the
 * 1 MiB limit: every output format answers, and code frames and SARIF context snippets show the
 * line clipped to 40 characters either side of the range (docs/lint.md, "Long lines"). Output used
 * to cost the line's length per finding: SARIF took a minute at 256 KB and the terminal formatter
 * ran out of string length at 80 KB.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasScript, onTerminal, ozml, tempDir } from './helpers.js';

const CHUNK = `<Speak Q="1">${'x'.repeat(30)}</Speak>`;
const COUNT = Math.floor((1024 * 1024 - '<Response></Response>'.length) / CHUNK.length);
const DOCUMENT = `<Response>${CHUNK.repeat(COUNT)}</Response>`;
/** Column of the `Q` of chunk k (0-based), 1-based as the linter reports it. */
const column = (k: number): number => '<Response>'.length + k * CHUNK.length + '<Speak '.length + 1;
/** The window around a `Q` in the middle of the line: 40 characters before it, 40 after. */
const SNIPPET = `${'x'.repeat(25)}</Speak><Speak Q="1">${'x'.repeat(30)}</Spe`;
const MESSAGE = "<Speak> has no attribute 'Q' (it has Text, Party, CallId, Language, Voice).";

const dir = tempDir();
afterAll(() => dir.remove());
writeFileSync(join(dir.path, 'one-line.xml'), DOCUMENT);
const lint = (format: string) => ozml(['lint', '--format', format, 'one-line.xml'], { cwd: dir.path });

describe('a 1 MiB one-line document with a finding every 51 bytes', () => {
  it('is just under the size limit and has over 20,000 findings', () => {
    expect(Buffer.byteLength(DOCUMENT)).toBeLessThanOrEqual(1024 * 1024);
    expect(Buffer.byteLength(DOCUMENT)).toBeGreaterThan(1024 * 1024 - CHUNK.length);
    expect(COUNT).toBe(20_559);
  });

  it('json lists every finding', () => {
    const run = lint('json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { files: { diagnostics: { column: number; message: string }[] }[] };
    const diagnostics = report.files[0]!.diagnostics;
    expect(diagnostics).toHaveLength(COUNT);
    expect(diagnostics[12_345]).toMatchObject({ column: column(12_345), message: MESSAGE });
  }, 60_000);

  it('github prints one annotation per finding', () => {
    const run = lint('github');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(COUNT + 1);
    expect(lines[7]).toBe(`::error file=one-line.xml,line=1,endLine=1,col=${column(7)},endColumn=${column(7) + 1},title=unknown-attribute::${MESSAGE}`);
  }, 60_000);

  it('sarif gives each result a context snippet clipped to the window', () => {
    const run = lint('sarif');
    expect(run.code).toBe(1);
    interface Result { locations: { physicalLocation: { contextRegion: Record<string, unknown> } }[]; partialFingerprints: Record<string, string> }
    const results = (JSON.parse(run.stdout) as { runs: { results: Result[] }[] }).runs[0]!.results;
    expect(results).toHaveLength(COUNT);
    const c = column(10_000);
    expect(results[10_000]!.locations[0]!.physicalLocation.contextRegion).toEqual({
      startLine: 1, startColumn: c - 40, endLine: 1, endColumn: c + 41, snippet: { text: SNIPPET },
    });
    // The line is the same for all: the occurrence tells them apart.
    expect(new Set(results.map((r) => r.partialFingerprints['ozml/v1'])).size).toBe(COUNT);
  }, 60_000);

  it('text on a pipe prints one line per finding and the summary', () => {
    const run = lint('text');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(COUNT + 3);
    expect(lines[3]).toBe(`one-line.xml:1:${column(3)}  error  ${MESSAGE}  unknown-attribute`);
    expect(lines.at(-2)).toBe(`✖ ${COUNT} problems (${COUNT} errors, 0 warnings)`);
  }, 60_000);

  it.skipIf(!hasScript)('text on a terminal prints a clipped code frame per finding', () => {
    const out = onTerminal(['lint', 'one-line.xml'], dir.path)!;
    const lines = out.split('\n');
    // Per finding: its line, the clipped source line, the underline, a blank line.
    expect(lines).toHaveLength(COUNT * 4 + 2);
    expect(lines.slice(4 * 500, 4 * 500 + 4)).toEqual([
      `one-line.xml:1:${column(500)}  error  ${MESSAGE}  unknown-attribute`,
      `  1 | …${SNIPPET}…`,
      `    |  ${' '.repeat(40)}^`,
      '',
    ]);
    // The first finding is near the start of the line: nothing cut before it.
    expect(lines[1]).toBe(`  1 | <Response><Speak Q="1">${'x'.repeat(30)}</Spe…`);
  }, 60_000);
});
