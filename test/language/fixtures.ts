/**
 * Discovery and loading of the OzML fixtures in test/fixtures (layout: test/fixtures/README.md).
 * Diagnostics are compared in the flat shape of `ozml lint --format json`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileOptions, Diagnostic, DocumentContext } from '../../src/language/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const GOOD = join(FIXTURES, 'good');
export const BAD = join(FIXTURES, 'bad');

export interface FlatDiagnostic {
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  suggestion?: string;
}

/** The `*.expected.json` sidecar of a fixture. */
export interface Expectation {
  /** Bad fixtures only; good fixtures take the context from their directory. */
  context?: DocumentContext;
  options?: Omit<CompileOptions, 'context'>;
  diagnostics: FlatDiagnostic[];
}

export interface Fixture {
  /** Path relative to test/fixtures, with forward slashes. */
  name: string;
  path: string;
  bytes: Uint8Array;
  context: DocumentContext;
  options: CompileOptions;
  expected: FlatDiagnostic[];
  /** Good fixtures under a `noncanonical/` directory use aliases, other letter cases or the <OzML> root. */
  canonical: boolean;
}

export function flatten(diagnostic: Diagnostic): FlatDiagnostic {
  const { rule, severity, message, range, suggestion } = diagnostic;
  return {
    rule, severity, message,
    line: range.line, column: range.column, endLine: range.endLine, endColumn: range.endColumn,
    ...(suggestion !== undefined ? { suggestion } : {}),
  };
}

function* xmlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* xmlFiles(path);
    else if (entry.name.endsWith('.xml')) yield path;
  }
}

function readExpectation(xmlPath: string): Expectation | undefined {
  const sidecar = xmlPath.replace(/\.xml$/, '.expected.json');
  return existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as Expectation) : undefined;
}

function load(path: string, context: DocumentContext, expectation: Expectation | undefined, canonical: boolean): Fixture {
  return {
    name: relative(FIXTURES, path).split(sep).join('/'),
    path,
    bytes: new Uint8Array(readFileSync(path)),
    context,
    options: { ...(expectation?.options ?? {}), context },
    expected: expectation?.diagnostics ?? [],
    canonical,
  };
}

/** test/fixtures/good/<context>/[noncanonical/]*.xml: valid documents, no diagnostics unless a sidecar lists them. */
export function goodFixtures(): Fixture[] {
  return [...xmlFiles(GOOD)].map((path) => {
    const [context, ...rest] = relative(GOOD, path).split(sep);
    return load(path, context as DocumentContext, readExpectation(path), rest[0] !== 'noncanonical');
  });
}

/** test/fixtures/bad/<rule-id>/*.xml, each with a sidecar holding the exact diagnostics. */
export function badFixtures(): Fixture[] {
  return [...xmlFiles(BAD)].map((path) => {
    const expectation = readExpectation(path);
    if (!expectation) throw new Error(`${path} has no .expected.json sidecar`);
    return load(path, expectation.context ?? 'api-extension', expectation, true);
  });
}

/** The rule directory a bad fixture belongs to. */
export function ruleOf(fixture: Fixture): string {
  return fixture.name.split('/')[1]!;
}
