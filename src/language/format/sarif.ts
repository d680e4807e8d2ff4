/**
 * `--format sarif`: a SARIF 2.1.0 log for code-scanning services (GitHub code scanning and others).
 * Rule metadata comes from the rule modules; every result carries a partial fingerprint built from
 * the rule, the file and the text of the flagged line, so alerts survive lines moving, and a
 * `contextRegion` whose snippet is the flagged line clipped to a window around the range
 * (`lineWindow`). The cost per result does not grow with the line's length: each line's text is
 * trimmed and hashed once, however many results it has.
 */
import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/index.js';
import type { RuleSetting, Severity } from '../types.js';
import { lineWindow } from './line-window.js';
import type { LintFileResult } from './results.js';
import { sourceLines } from './results.js';

/** Where docs/rules.md is published; each rule's helpUri is this plus `#rule-id`. */
export const RULES_DOC_URL = 'https://github.com/ozml/ozml/blob/main/docs/rules.md';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of our fingerprint in `partialFingerprints`; bump the version if the recipe changes. */
export const FINGERPRINT_KEY = 'ozml/v1';

export interface SarifFormatOptions {
  /** The ozml version, for `tool.driver.version`. */
  toolVersion: string;
  /** Absolute directory that relative paths are relative to (becomes `%SRCROOT%`). */
  sourceRoot?: string;
  /** Overrides RULES_DOC_URL. */
  rulesDocUrl?: string;
  /** Rule modules to describe (default: all). */
  rules?: readonly Rule[];
}

const LEVELS: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

function defaultConfiguration(setting: RuleSetting): Sarif.ReportingConfiguration {
  // An off-by-default rule reports warnings once enabled (name-case).
  return setting === 'off' ? { enabled: false, level: 'warning' } : { level: LEVELS[setting] };
}

function describe(rule: Rule, docsUrl: string): Sarif.ReportingDescriptor {
  return {
    id: rule.meta.id,
    name: rule.meta.id,
    shortDescription: { text: rule.meta.description },
    fullDescription: { text: rule.meta.docs, markdown: rule.meta.docs },
    help: { text: rule.meta.docs, markdown: rule.meta.docs },
    helpUri: `${docsUrl}#${rule.meta.id}`,
    defaultConfiguration: defaultConfiguration(rule.meta.defaultSeverity),
    ...(rule.meta.fatal ? { properties: { fatal: true } } : {}),
  };
}

/** A relative path as a URI reference (segments percent-encoded), or a file: URL for an absolute path. */
function artifactLocation(path: string): Sarif.ArtifactLocation {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * Fingerprints of one file's results: sha256 over `rule NUL path NUL trimmed line text NUL
 * occurrence` (the `ozml/v1` recipe). The hash state after the line text is computed once per rule
 * and line and copied for each occurrence, so a long line is hashed once, not once per finding.
 */
class Fingerprints {
  private readonly lineTexts = new Map<number, { text: string; id: number }>();
  private readonly textIds = new Map<string, number>();
  private readonly prefixes = new Map<string, Hash>();
  private readonly seen = new Map<string, number>();

  constructor(private readonly path: string, private readonly lines: readonly string[] | undefined) {}

  /** The trimmed text of a line and an id shared by lines with the same text. */
  private lineText(line: number): { text: string; id: number } {
    let known = this.lineTexts.get(line);
    if (known === undefined) {
      const text = this.lines ? (this.lines[line - 1] ?? '').trim() : `line ${line}`;
      let id = this.textIds.get(text);
      if (id === undefined) {
        id = this.textIds.size;
        this.textIds.set(text, id);
      }
      known = { text, id };
      this.lineTexts.set(line, known);
    }
    return known;
  }

  next(rule: string, line: number): string {
    const { text, id } = this.lineText(line);
    const key = `${rule}\u0000${id}`;
    const occurrence = this.seen.get(key) ?? 0;
    this.seen.set(key, occurrence + 1);
    let prefix = this.prefixes.get(key);
    if (prefix === undefined) {
      prefix = createHash('sha256').update(`${rule}\u0000${this.path}\u0000`).update(text).update('\u0000');
      this.prefixes.set(key, prefix);
    }
    return prefix.copy().update(String(occurrence)).digest('hex').slice(0, 32);
  }
}

/**
 * The flagged line around a one-line range, clipped (`lineWindow`); none for a multi-line range or
 * one wider than the window, which no clipped context could contain.
 */
function contextRegion(lines: readonly string[] | undefined, d: LintFileResult['diagnostics'][number]): Sarif.Region | undefined {
  const r = d.range;
  const text = lines?.[r.line - 1];
  if (text === undefined || r.endLine !== r.line) return undefined;
  const window = lineWindow(text, r.column, r.endColumn);
  if (window.end < Math.min(r.endColumn - 1, text.length)) return undefined;
  return {
    startLine: r.line,
    startColumn: window.from + 1,
    endLine: r.line,
    endColumn: window.to + 1,
    snippet: { text: text.slice(window.from, window.to) },
  };
}

export function formatSarif(results: readonly LintFileResult[], options: SarifFormatOptions): string {
  const rules = options.rules ?? RULES;
  const docsUrl = options.rulesDocUrl ?? RULES_DOC_URL;
  const ruleIndex = new Map(rules.map((rule, index) => [rule.meta.id, index]));

  const sarifResults: Sarif.Result[] = [];
  for (const file of results) {
    const lines = file.source !== undefined ? sourceLines(file.source) : undefined;
    const fingerprints = new Fingerprints(file.path, lines);
    const location = artifactLocation(file.path);
    for (const d of file.diagnostics) {
      const index = ruleIndex.get(d.rule);
      const context = contextRegion(lines, d);
      sarifResults.push({
        ruleId: d.rule,
        ...(index !== undefined ? { ruleIndex: index } : {}),
        level: LEVELS[d.severity],
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation: location,
            region: {
              startLine: d.range.line,
              startColumn: d.range.column,
              endLine: d.range.endLine,
              endColumn: d.range.endColumn,
            },
            ...(context ? { contextRegion: context } : {}),
          },
        }],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprints.next(d.rule, d.range.line) },
        ...(d.suggestion !== undefined ? { properties: { suggestion: d.suggestion } } : {}),
      });
    }
  }

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'ozml',
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        informationUri: docsUrl,
        rules: rules.map((rule) => describe(rule, docsUrl)),
      },
    },
    ...(options.sourceRoot
      ? { originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.sourceRoot.endsWith('/') ? options.sourceRoot : `${options.sourceRoot}/`).href } } }
      : {}),
    columnKind: 'utf16CodeUnits',
    results: sarifResults,
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
