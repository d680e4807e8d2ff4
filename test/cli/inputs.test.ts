/** What `ozml lint` reads: files as given, directories, globs, stdin, and the size cap. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS_XML } from './expected.js';
import { lintJson, ozml, tempDir } from './helpers.js';

const CLEAN = '<Response>\n  <Hangup/>\n</Response>\n';
const BAD = '<Response>\n  <Speek/>\n</Response>\n';
const BAD_DIAGNOSTIC = {
  rule: 'unknown-verb', severity: 'error', line: 2, column: 3, endLine: 2, endColumn: 11,
  message: 'Unknown verb <Speek>; did you mean <Speak>?', suggestion: 'Speak',
};

describe('directories and globs', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    const write = (path: string, text: string) => {
      mkdirSync(join(dir.path, path, '..'), { recursive: true });
      writeFileSync(join(dir.path, path), text);
    };
    write('flows/main.xml', CLEAN);
    write('flows/menu/sub.ozml', BAD);
    write('flows/menu/UPPER.XML', CLEAN);
    write('flows/menu/notes.txt', 'not a document');
    write('flows/node_modules/dep/skipped.xml', BAD);
    write('flows/.cache/skipped.xml', BAD);
    write('flows/a.xml', CLEAN);
    write('other/x.xml', CLEAN);
    write('empty/readme.md', '# nothing');
  });
  afterAll(() => dir.remove());

  it('recurses over *.xml and *.ozml, skipping node_modules and dot-directories; paths start at the argument', () => {
    const { code, report } = lintJson(['flows'], { cwd: dir.path });
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [
        { path: 'flows/a.xml', diagnostics: [] },
        { path: 'flows/main.xml', diagnostics: [] },
        { path: 'flows/menu/UPPER.XML', diagnostics: [] },
        { path: 'flows/menu/sub.ozml', diagnostics: [BAD_DIAGNOSTIC] },
      ],
      summary: { files: 4, errors: 1, warnings: 0 },
    });
  });

  it('shows paths relative to . and keeps a ./ or trailing slash argument tidy', () => {
    const inside = lintJson(['.'], { cwd: join(dir.path, 'flows', 'menu') });
    expect((inside.report as { files: { path: string }[] }).files.map((f) => f.path)).toEqual(['UPPER.XML', 'sub.ozml']);
    const dotted = lintJson(['./flows/menu/'], { cwd: dir.path });
    expect((dotted.report as { files: { path: string }[] }).files.map((f) => f.path)).toEqual(['flows/menu/UPPER.XML', 'flows/menu/sub.ozml']);
  });

  it('lints every path argument once, in argument order', () => {
    const { report } = lintJson(['other', 'flows/main.xml', 'flows', 'other/x.xml'], { cwd: dir.path });
    expect((report as { files: { path: string }[] }).files.map((f) => f.path)).toEqual([
      'other/x.xml', 'flows/main.xml', 'flows/a.xml', 'flows/menu/UPPER.XML', 'flows/menu/sub.ozml',
    ]);
  });

  it('expands globs relative to the working directory', () => {
    const { code, report } = lintJson(['flows/**/*.ozml', 'other/*.xml'], { cwd: dir.path });
    expect(code).toBe(1);
    expect((report as { files: { path: string }[] }).files.map((f) => f.path)).toEqual(['flows/menu/sub.ozml', 'other/x.xml']);
  });

  it('lints a file given explicitly whatever its extension', () => {
    const { report } = lintJson(['flows/menu/notes.txt'], { cwd: dir.path });
    expect((report as { files: { diagnostics: { rule: string }[] }[] }).files[0]!.diagnostics.map((d) => d.rule)).toEqual(['xml-syntax']);
  });

  it('is a usage error (2) for a directory without documents', () => {
    expect(ozml(['lint', 'empty'], { cwd: dir.path })).toEqual({ code: 2, stdout: '', stderr: 'ozml: no *.xml or *.ozml files in empty\n' });
  });

  it('lints the current directory when no path is given', () => {
    const { report } = lintJson([], { cwd: join(dir.path, 'other') });
    expect(report).toEqual({ version: 1, files: [{ path: 'x.xml', diagnostics: [] }], summary: { files: 1, errors: 0, warnings: 0 } });
  });

  it('is a usage error (2) for a dangling symlink', () => {
    symlinkSync(join(dir.path, 'gone.xml'), join(dir.path, 'dangling.xml'));
    expect(ozml(['lint', 'dangling.xml'], { cwd: dir.path }).code).toBe(2);
  });
});

describe('stdin', () => {
  it('reads the document from stdin for -, shown as <stdin>', () => {
    const { code, report } = lintJson(['-'], { input: BAD });
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [{ path: '<stdin>', diagnostics: [BAD_DIAGNOSTIC] }],
      summary: { files: 1, errors: 1, warnings: 0 },
    });
  });

  it('mixes stdin with files in argument order', () => {
    const { report } = lintJson(['clean.xml', '-', 'errors.xml'], { input: CLEAN });
    expect(report).toEqual({
      version: 1,
      files: [
        { path: 'clean.xml', diagnostics: [] },
        { path: '<stdin>', diagnostics: [] },
        { path: 'errors.xml', diagnostics: ERRORS_XML },
      ],
      summary: { files: 3, errors: 2, warnings: 1 },
    });
  });

  it('stops reading stdin past 1 MiB and reports document-too-large', () => {
    const big = `<Response>${'<Hangup/>'.repeat(200_000)}</Response>`;
    const { code, report } = lintJson(['-'], { input: big });
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [{
        path: '<stdin>',
        diagnostics: [{
          rule: 'document-too-large', severity: 'error', line: 1, column: 1, endLine: 1, endColumn: 1,
          message: 'Document is larger than 1048576 bytes.',
        }],
      }],
      summary: { files: 1, errors: 1, warnings: 0 },
    });
  });
});

describe('size cap', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    // 1 MiB + 1 byte of otherwise valid XML, and a document of exactly 1 MiB.
    const body = (size: number) => {
      const head = '<Response>';
      const tail = '</Response>';
      return head + ' '.repeat(size - head.length - tail.length - 12) + '<Hangup/>   ' + tail;
    };
    writeFileSync(join(dir.path, 'big.xml'), body(1024 * 1024 + 1));
    writeFileSync(join(dir.path, 'limit.xml'), body(1024 * 1024));
  });
  afterAll(() => dir.remove());

  it('reports a file over 1 MiB as document-too-large with its size, and accepts exactly 1 MiB', () => {
    const { code, report } = lintJson(['big.xml', 'limit.xml'], { cwd: dir.path });
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [
        {
          path: 'big.xml',
          diagnostics: [{
            rule: 'document-too-large', severity: 'error', line: 1, column: 1, endLine: 1, endColumn: 1,
            message: 'Document is 1048577 bytes; the limit is 1048576.',
          }],
        },
        { path: 'limit.xml', diagnostics: [] },
      ],
      summary: { files: 2, errors: 1, warnings: 0 },
    });
  });
});
