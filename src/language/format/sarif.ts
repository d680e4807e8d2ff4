/**
 * `--format sarif`: a SARIF 2.1.0 log for code-scanning services (GitHub code scanning and others).
 * Rule metadata comes from the rule modules; every result carries a partial fingerprint built from
 * the rule, the file and the text of the flagged line, so alerts survive lines moving.
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/index.js';
import type { RuleSetting, Severity } from '../types.js';
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

function fingerprint(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export function formatSarif(results: readonly LintFileResult[], options: SarifFormatOptions): string {
  const rules = options.rules ?? RULES;
  const docsUrl = options.rulesDocUrl ?? RULES_DOC_URL;
  const ruleIndex = new Map(rules.map((rule, index) => [rule.meta.id, index]));

  const sarifResults: Sarif.Result[] = [];
  for (const file of results) {
    const lines = file.source !== undefined ? sourceLines(file.source) : undefined;
    const seen = new Map<string, number>();
    const location = artifactLocation(file.path);
    for (const d of file.diagnostics) {
      const lineText = lines ? (lines[d.range.line - 1] ?? '').trim() : `line ${d.range.line}`;
      const key = `${d.rule}\u0000${lineText}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      const index = ruleIndex.get(d.rule);
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
          },
        }],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint([d.rule, file.path, lineText, occurrence]) },
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
