/** The formatters as pure functions (src/language/format), for the cases a process test cannot reach. */
import { createHash } from 'node:crypto';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  codeFrame, escapeData, escapeProperty, formatGithub, formatSarif, formatText, sourceLines, summarize, toJsonReport,
} from '../../src/language/format/index.js';
import type { LintFileResult } from '../../src/language/format/index.js';
import type { Diagnostic } from '../../src/language/index.js';

const diagnostic = (line: number, column: number, endColumn: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  rule: 'unknown-verb', severity: 'error', message: 'm', range: { line, column, endLine: line, endColumn }, ...extra,
});

describe('codeFrame', () => {
  const lines = sourceLines('<Response>\r\n\tx<Speek/>\rend\n');

  it('splits lines like the reader numbers them (CRLF, CR, LF)', () => {
    expect(lines).toEqual(['<Response>', '\tx<Speek/>', 'end', '']);
  });

  it('underlines the range, copying tabs so the caret stays aligned', () => {
    expect(codeFrame(lines, { line: 2, column: 3, endLine: 2, endColumn: 11 })).toBe('  2 | \tx<Speek/>\n    | \t ^^^^^^^^\n');
  });

  it('shows one caret for an empty range and stops at the end of the line', () => {
    expect(codeFrame(lines, { line: 1, column: 1, endLine: 1, endColumn: 1 })).toBe('  1 | <Response>\n    | ^\n');
    expect(codeFrame(lines, { line: 3, column: 2, endLine: 9, endColumn: 1 })).toBe('  3 | end\n    |  ^^\n');
  });

  it('shows a line of up to 160 characters whole', () => {
    const line = `${'a'.repeat(150)}<Speek/>`;
    expect(codeFrame([line], { line: 1, column: 151, endLine: 1, endColumn: 159 })).toBe(`  1 | ${line}\n    | ${' '.repeat(150)}^^^^^^^^\n`);
  });

  it('clips a longer line to 40 characters either side of the range, marking the cuts with …', () => {
    const line = `<Response>${'a'.repeat(500)}\t<Speek/>${'b'.repeat(500)}</Response>`;
    const column = line.indexOf('<Speek/>') + 1;
    expect(codeFrame([line], { line: 1, column, endLine: 1, endColumn: column + 8 }))
      .toBe(`  1 | …${'a'.repeat(39)}\t<Speek/>${'b'.repeat(40)}…\n    |  ${' '.repeat(39)}\t^^^^^^^^\n`);
    // At the start of a long line: no cut before; a range wider than 80 characters is underlined for 80.
    expect(codeFrame([line], { line: 1, column: 1, endLine: 1, endColumn: 400 }))
      .toBe(`  1 | <Response>${'a'.repeat(110)}…\n    | ${'^'.repeat(80)}\n`);
    // At the end: no cut after.
    expect(codeFrame([line], { line: 1, column: line.length - 10, endLine: 1, endColumn: line.length + 1 }))
      .toBe(`  1 | …${'b'.repeat(40)}</Response>\n    |  ${' '.repeat(40)}${'^'.repeat(11)}\n`);
  });

  it('does not split a surrogate pair at the edge of the window', () => {
    const line = `${'a'.repeat(100)}😀${'b'.repeat(39)}<Speek/>${'c'.repeat(100)}`;
    const column = line.indexOf('<Speek/>') + 1;
    const frame = codeFrame([line], { line: 1, column, endLine: 1, endColumn: column + 8 });
    expect(frame.split('\n')[0]).toBe(`  1 | …😀${'b'.repeat(39)}<Speek/>${'c'.repeat(40)}…`);
  });

  it('is empty for a line that does not exist', () => {
    expect(codeFrame(lines, { line: 40, column: 1, endLine: 40, endColumn: 2 })).toBe('');
  });
});

describe('github escaping', () => {
  it('escapes data: % CR LF, and properties additionally : and ,', () => {
    expect(escapeData('100% a:b,c\r\nd')).toBe('100%25 a:b,c%0D%0Ad');
    expect(escapeProperty('100% a:b,c\r\nd')).toBe('100%25 a%3Ab%2Cc%0D%0Ad');
    // % first, so an existing escape sequence is not decoded by the runner
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('formats a multi-line range with its end line and column', () => {
    const results: LintFileResult[] = [{
      path: 'a.xml',
      diagnostics: [{ rule: 'r', severity: 'warning', message: 'x', range: { line: 2, column: 4, endLine: 3, endColumn: 1 } }],
    }];
    expect(formatGithub(results)).toBe('::warning file=a.xml,line=2,endLine=3,col=4,endColumn=1,title=r::x\n');
  });
});

describe('summaries', () => {
  const results: LintFileResult[] = [
    { path: 'a.xml', diagnostics: [diagnostic(1, 1, 2), diagnostic(2, 1, 2, { severity: 'info' })] },
    { path: 'b.xml', diagnostics: [] },
  ];

  it('counts errors, warnings and infos', () => {
    expect(summarize(results)).toEqual({ files: 2, errors: 1, warnings: 0, infos: 1 });
  });

  it('text mentions infos only when there are some, with singular and plural', () => {
    expect(formatText(results).split('\n').at(-2)).toBe('✖ 2 problems (1 error, 0 warnings, 1 info)');
    expect(formatText([results[1]!])).toBe('✔ 1 file checked, no problems\n');
    expect(formatText([results[1]!, results[1]!])).toBe('✔ 2 files checked, no problems\n');
  });

  it('json omits suggestion when there is none and has no info count', () => {
    const report = toJsonReport([{ path: 'a.xml', diagnostics: [diagnostic(1, 2, 3), diagnostic(1, 2, 3, { suggestion: 'Speak' })] }]);
    expect(Object.keys(report.files[0]!.diagnostics[0]!)).toEqual(['rule', 'severity', 'line', 'column', 'endLine', 'endColumn', 'message']);
    expect(report.files[0]!.diagnostics[1]!.suggestion).toBe('Speak');
    expect(Object.keys(report.summary)).toEqual(['files', 'errors', 'warnings']);
  });
});

/** The parts of the SARIF 2.1.0 schema a consumer relies on (required properties and value sets). */
const SARIF_REQUIRED = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: { type: 'object', required: ['text'] },
                        fullDescription: { type: 'object', required: ['text'] },
                        help: { type: 'object', required: ['text'] },
                        helpUri: { type: 'string', pattern: '^https?://' },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level: { enum: ['none', 'note', 'warning', 'error'] }, enabled: { type: 'boolean' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation', 'region'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', format: 'uri-reference' } } },
                          region: {
                            type: 'object',
                            required: ['startLine'],
                            properties: {
                              startLine: { type: 'integer', minimum: 1 },
                              startColumn: { type: 'integer', minimum: 1 },
                              endLine: { type: 'integer', minimum: 1 },
                              endColumn: { type: 'integer', minimum: 1 },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

describe('formatSarif', () => {
  const results = (source: string, line: number): LintFileResult[] => [{
    path: 'flows/main menu.xml',
    source,
    diagnostics: [diagnostic(line, 3, 10, { suggestion: 'Speak' }), diagnostic(line, 3, 10), diagnostic(1, 1, 2, { rule: 'internal-error' })],
  }];

  it('satisfies the required structure of SARIF 2.1.0', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(SARIF_REQUIRED);
    const log = JSON.parse(formatSarif(results('<Response>\n  <Speek/>\n</Response>', 2), { toolVersion: '1.2.3', sourceRoot: '/repo' }));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const uri = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    expect(uri).toEqual({ uri: 'flows/main%20menu.xml', uriBaseId: '%SRCROOT%' });
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(log.runs[0].tool.driver.version).toBe('1.2.3');
  });

  it('gives rules outside the catalogue (internal-error) a ruleId but no ruleIndex', () => {
    const log = JSON.parse(formatSarif(results('<Response/>', 1), { toolVersion: '1' }));
    expect(log.runs[0].results[2].ruleId).toBe('internal-error');
    expect(log.runs[0].results[2]).not.toHaveProperty('ruleIndex');
    expect(log.runs[0]).not.toHaveProperty('originalUriBaseIds');
  });

  it('keeps fingerprints when the flagged line moves, and tells identical findings on one line apart', () => {
    const fingerprints = (source: string, line: number): string[] =>
      JSON.parse(formatSarif(results(source, line), { toolVersion: '1' })).runs[0].results
        .map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ozml/v1']);
    const before = fingerprints('<Response>\n  <Speek/>\n</Response>', 2);
    const after = fingerprints('<Response>\n  <Hangup/>\n\n  <Speek/>\n</Response>', 4);
    expect(after).toEqual(before);
    expect(new Set(before).size).toBe(3);
    const edited = fingerprints('<Response>\n  <Speeek/>\n</Response>', 2);
    expect(edited[0]).not.toBe(before[0]);
  });

  it('keeps the ozml/v1 recipe: sha256 of rule, path, trimmed line text and occurrence, NUL-separated', () => {
    const log = JSON.parse(formatSarif(results('<Response>\n  <Speek/>  \n</Response>', 2), { toolVersion: '1' }));
    const expected = (occurrence: number): string =>
      createHash('sha256').update(['unknown-verb', 'flows/main menu.xml', '<Speek/>', occurrence].join('\u0000')).digest('hex').slice(0, 32);
    expect(log.runs[0].results.slice(0, 2).map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ozml/v1']))
      .toEqual([expected(0), expected(1)]);
  });

  it('counts occurrences across lines with the same text, per rule', () => {
    const source = '<Response>\n  <Speek/>\n  <Speek/>\n</Response>';
    const log = JSON.parse(formatSarif([{ path: 'a.xml', source, diagnostics: [diagnostic(2, 3, 10), diagnostic(3, 3, 10)] }], { toolVersion: '1' }));
    const expected = (occurrence: number): string =>
      createHash('sha256').update(['unknown-verb', 'a.xml', '<Speek/>', occurrence].join('\u0000')).digest('hex').slice(0, 32);
    expect(log.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ozml/v1']))
      .toEqual([expected(0), expected(1)]);
  });

  it('clips the context snippet of a long line to 40 characters either side of the range', () => {
    const line = `<Response>${'a'.repeat(500)}<Speek/>${'b'.repeat(500)}</Response>`;
    const column = line.indexOf('<Speek/>') + 1;
    const log = JSON.parse(formatSarif([{ path: 'a.xml', source: line, diagnostics: [diagnostic(1, column, column + 8)] }], { toolVersion: '1' }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.contextRegion).toEqual({
      startLine: 1, startColumn: column - 40, endLine: 1, endColumn: column + 48,
      snippet: { text: `${'a'.repeat(40)}<Speek/>${'b'.repeat(40)}` },
    });
  });

  it('gives no context snippet for a multi-line range or one wider than the window', () => {
    const long = `<Response>${'a'.repeat(500)}</Response>`;
    const log = JSON.parse(formatSarif([{
      path: 'a.xml',
      source: `${long}\nx`,
      diagnostics: [diagnostic(1, 1, 200), { ...diagnostic(1, 1, 2), range: { line: 1, column: 1, endLine: 2, endColumn: 2 } }],
    }], { toolVersion: '1' }));
    expect(log.runs[0].results.map((r: { locations: { physicalLocation: object }[] }) => Object.keys(r.locations[0]!.physicalLocation)))
      .toEqual([['artifactLocation', 'region'], ['artifactLocation', 'region']]);
  });

  it('uses a file: URL for an absolute path', () => {
    const log = JSON.parse(formatSarif([{ path: '/tmp/a b.xml', diagnostics: [diagnostic(1, 1, 2)] }], { toolVersion: '1' }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///tmp/a%20b.xml' });
  });
});
