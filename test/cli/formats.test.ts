/** Every output format of `ozml lint`, checked exactly on the spawned process. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRule, RULES } from '../../src/language/index.js';
import { ERRORS_XML, ESCAPES_XML, WARNINGS_XML } from './expected.js';
import { FIXTURES, lintJson, ozml, tempDir } from './helpers.js';

describe('--format json', () => {
  it('prints the documented shape, in key order, with every file (also clean ones)', () => {
    const run = ozml(['lint', '--format', 'json', 'errors.xml', 'warnings.xml', 'clean.xml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const expected = {
      version: 1,
      files: [
        { path: 'errors.xml', diagnostics: ERRORS_XML },
        { path: 'warnings.xml', diagnostics: WARNINGS_XML },
        { path: 'clean.xml', diagnostics: [] },
      ],
      summary: { files: 3, errors: 2, warnings: 3 },
    };
    expect(JSON.parse(run.stdout)).toEqual(expected);
    // Key order is part of the contract, and `suggestion` appears only where there is one.
    expect(run.stdout).toBe(`${JSON.stringify(expected)}\n`);
  });

  it('keeps positions exact after CRLF line ends, tabs and non-ASCII text', () => {
    const { code, report } = lintJson(['escapes.xml']);
    expect(code).toBe(1);
    expect(report).toEqual({
      version: 1,
      files: [{ path: 'escapes.xml', diagnostics: ESCAPES_XML }],
      summary: { files: 1, errors: 1, warnings: 0 },
    });
  });
});

describe('--format text', () => {
  it('prints path:line:column  severity  message  rule-id and a summary (no colours, no frames on a pipe)', () => {
    const run = ozml(['lint', 'errors.xml', 'warnings.xml', 'clean.xml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe([
      "errors.xml:2:3  error  Unknown verb <Speek>; did you mean <Speak>?  unknown-verb",
      "errors.xml:3:47  error  <Play> has no attribute 'Repat'; did you mean 'Repeat'?  unknown-attribute",
      'errors.xml:5:3  warning  <Speak> can never run: it follows <Hangup> on line 4.  unreachable-verb',
      "warnings.xml:2:16  warning  $visitor is not defined by a Var, an Array or a built-in; unless the notification sends visitor, it expands to ''.  undefined-variable",
      'warnings.xml:4:3  warning  <Delay> can never run: it follows <Hangup> on line 3.  unreachable-verb',
      '',
      '✖ 5 problems (2 errors, 3 warnings)',
      '',
    ].join('\n'));
  });

  it('keeps one finding per line when a message contains a line break', () => {
    const run = ozml(['lint', 'escapes.xml']);
    expect(run.stdout).toBe(
      "escapes.xml:3:10  error  <Hangup> does not take text content; found '50% off,\\n  now: call'.  unexpected-text\n\n✖ 1 problem (1 error, 0 warnings)\n",
    );
  });
});

describe('--format github', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    mkdirSync(join(dir.path, 'odd,dir'));
    // A file name with the characters workflow-command properties must escape.
    writeFileSync(join(dir.path, 'odd,dir', '100%:a.xml'), '<Response>\n  <Speek/>\n</Response>\n');
  });
  afterAll(() => dir.remove());

  it('prints one workflow command per finding: ::error, ::warning', () => {
    const run = ozml(['lint', '--format', 'github', 'errors.xml', 'clean.xml']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe([
      '::error file=errors.xml,line=2,endLine=2,col=3,endColumn=10,title=unknown-verb::Unknown verb <Speek>; did you mean <Speak>?',
      "::error file=errors.xml,line=3,endLine=3,col=47,endColumn=52,title=unknown-attribute::<Play> has no attribute 'Repat'; did you mean 'Repeat'?",
      '::warning file=errors.xml,line=5,endLine=5,col=3,endColumn=10,title=unreachable-verb::<Speak> can never run: it follows <Hangup> on line 4.',
      '',
    ].join('\n'));
  });

  it('escapes % and line breaks in messages (but not : and ,)', () => {
    const run = ozml(['lint', '--format', 'github', 'escapes.xml']);
    expect(run.stdout).toBe(
      "::error file=escapes.xml,line=3,endLine=4,col=10,endColumn=12,title=unexpected-text::<Hangup> does not take text content; found '50%25 off,%0A  now: call'.\n",
    );
  });

  it('escapes %, : and , in the file property', () => {
    const run = ozml(['lint', '--format', 'github', '.'], { cwd: dir.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      '::error file=odd%2Cdir/100%25%3Aa.xml,line=2,endLine=2,col=3,endColumn=11,title=unknown-verb::Unknown verb <Speek>; did you mean <Speak>?\n',
    );
  });

  it('reports an info finding as ::notice', () => {
    const run = ozml(['lint', '--format', 'github', '--rule', 'unreachable-verb=info', 'warnings.xml']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[1]).toBe(
      '::notice file=warnings.xml,line=4,endLine=4,col=3,endColumn=10,title=unreachable-verb::<Delay> can never run: it follows <Hangup> on line 3.',
    );
  });

  it('prints nothing for clean files', () => {
    expect(ozml(['lint', '--format', 'github', 'clean.xml'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('--format sarif', () => {
  interface SarifLog {
    $schema: string;
    version: string;
    runs: {
      tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, unknown>[] } };
      originalUriBaseIds: Record<string, { uri: string }>;
      columnKind: string;
      results: {
        ruleId: string;
        ruleIndex?: number;
        level: string;
        message: { text: string };
        locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number>; contextRegion?: Record<string, unknown> } }[];
        partialFingerprints: Record<string, string>;
        properties?: Record<string, unknown>;
      }[];
    }[];
  }

  const sarif = (args: string[], cwd = FIXTURES): { code: number | null; log: SarifLog } => {
    const run = ozml(['lint', '--format', 'sarif', ...args], { cwd });
    return { code: run.code, log: JSON.parse(run.stdout) as SarifLog };
  };

  it('is a SARIF 2.1.0 log with the rules as metadata', () => {
    const { code, log } = sarif(['errors.xml', 'clean.xml']);
    expect(code).toBe(1);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('ozml');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: pathToFileURL(FIXTURES).href } });

    const rules = run.tool.driver.rules;
    // Every rule once, in the rule table's order (results point into it by ruleIndex).
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.meta.id));
    const docs = findRule('unknown-verb')!.meta.docs;
    expect(rules.find((r) => r.id === 'unknown-verb')).toEqual({
      id: 'unknown-verb',
      name: 'unknown-verb',
      shortDescription: { text: 'An element that is not an OzML verb or block.' },
      fullDescription: { text: docs, markdown: docs },
      help: { text: docs, markdown: docs },
      helpUri: expect.stringMatching(/\/docs\/rules\.md#unknown-verb$/),
      defaultConfiguration: { level: 'error' },
    });
    expect(rules.find((r) => r.id === 'unreachable-verb')!.defaultConfiguration).toEqual({ level: 'warning' });
    expect(rules.find((r) => r.id === 'name-case')!.defaultConfiguration).toEqual({ enabled: false, level: 'warning' });
  });

  it('has one result per finding with rule, level, message, relative location and a fingerprint', () => {
    const { log } = sarif(['errors.xml', 'clean.xml']);
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules;
    expect(run.results).toHaveLength(3);
    const lines = readFileSync(join(FIXTURES, 'errors.xml'), 'utf8').split('\n');
    run.results.forEach((result, i) => {
      const d = ERRORS_XML[i]!;
      const line = lines[d.line - 1]!;
      expect(result.ruleId).toBe(d.rule);
      expect(rules[result.ruleIndex!]!.id).toBe(d.rule);
      expect(result.level).toBe(d.severity === 'warning' ? 'warning' : 'error');
      expect(result.message).toEqual({ text: d.message });
      expect(result.locations).toEqual([{
        physicalLocation: {
          artifactLocation: { uri: 'errors.xml', uriBaseId: '%SRCROOT%' },
          region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
          // A short line is its own context, whole.
          contextRegion: { startLine: d.line, startColumn: 1, endLine: d.line, endColumn: line.length + 1, snippet: { text: line } },
        },
      }]);
      expect(Object.keys(result.partialFingerprints)).toEqual(['ozml/v1']);
      expect(result.partialFingerprints['ozml/v1']).toMatch(/^[0-9a-f]{32}$/);
    });
    expect(run.results[0]!.properties).toEqual({ suggestion: 'Speak' });
    expect(new Set(run.results.map((r) => r.partialFingerprints['ozml/v1'])).size).toBe(3);
  });

  it('maps info to note and has no results for clean files', () => {
    const { code, log } = sarif(['--rule', 'unreachable-verb=info', 'warnings.xml']);
    expect(code).toBe(0);
    expect(log.runs[0]!.results.map((r) => r.level)).toEqual(['warning', 'note']);
    expect(sarif(['clean.xml']).log.runs[0]!.results).toEqual([]);
  });
});
