/** Shared by the schema tests: running Debian's xmllint, finding fixtures and their contexts. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_CONTEXTS } from '../../src/language/index.js';
import type { CompileOptions, DocumentContext } from '../../src/language/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const XSD_PATH = join(ROOT, 'schemas/ozml.xsd');
export const PROGRAM_SCHEMA_PATH = join(ROOT, 'schemas/program.schema.json');
export const OWN_FIXTURES = join(ROOT, 'test/schemas/fixtures');
export const SHARED_GOOD_FIXTURES = join(ROOT, 'test/fixtures/good');

export interface XmllintError {
  line: number;
  message: string;
}

export interface XmllintResult {
  valid: boolean;
  errors: XmllintError[];
}

function parseOutput(stderr: string, names: readonly string[]): Map<string, XmllintResult> {
  const results = new Map<string, XmllintResult>(names.map((n) => [n, { valid: false, errors: [] }]));
  for (const line of stderr.split('\n')) {
    const verdict = /^(.+) (validates|fails to validate)$/.exec(line);
    if (verdict && results.has(verdict[1]!)) {
      results.get(verdict[1]!)!.valid = verdict[2] === 'validates';
      continue;
    }
    const error = /^(.+?):(\d+): (.*)$/.exec(line);
    if (error && results.has(error[1]!)) results.get(error[1]!)!.errors.push({ line: Number(error[2]), message: error[3]! });
  }
  return results;
}

function runXmllint(args: readonly string[], input?: string): string {
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD_PATH, ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (run.error) throw new Error(`xmllint could not run (install libxml2-utils): ${run.error.message}`);
  if (run.status === null || run.status > 5) throw new Error(`xmllint failed with status ${run.status}: ${run.stderr}`);
  return run.stderr;
}

/** Validates files against schemas/ozml.xsd in one xmllint run; keyed by the given paths. */
export function xmllintFiles(paths: readonly string[]): Map<string, XmllintResult> {
  return parseOutput(runXmllint(paths), paths);
}

/** Validates one document given as text. */
export function xmllintText(text: string): XmllintResult {
  return parseOutput(runXmllint(['-'], text), ['-']).get('-')!;
}

/** Exit status of xmllint for one file (0 = valid). */
export function xmllintStatus(path: string): number | null {
  return spawnSync('xmllint', ['--noout', '--schema', XSD_PATH, path], { encoding: 'utf8' }).status;
}

export function xmlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.xml'))
    .map((p) => join(dir, p))
    .sort();
}

export interface GoodFixture {
  path: string;
  /** Relative to the repository, for test names. */
  name: string;
  context: DocumentContext;
  /**
   * Whether the document uses canonical spelling only. The fixture convention: documents that use
   * other letter cases or aliases live in a directory named `noncanonical`.
   */
  canonical: boolean;
  /** Compile options from a sidecar `<name>.expected.json` (`{ "options": … }`), if any. */
  options: CompileOptions;
}

/** The context of a fixture is the first directory of its path named after one (default api-extension). */
export function fixtureContext(path: string): DocumentContext {
  const segments = path.split(sep);
  return DOCUMENT_CONTEXTS.find((c) => segments.includes(c)) ?? 'api-extension';
}

function sidecarOptions(path: string): CompileOptions {
  const sidecar = path.replace(/\.xml$/, '.expected.json');
  if (!existsSync(sidecar)) return {};
  const parsed = JSON.parse(readFileSync(sidecar, 'utf8')) as { options?: CompileOptions };
  return parsed.options ?? {};
}

/** My fixtures under test/schemas/fixtures/good plus the language suite's test/fixtures/good. */
export function goodFixtures(): GoodFixture[] {
  return [...xmlFilesUnder(join(OWN_FIXTURES, 'good')), ...xmlFilesUnder(SHARED_GOOD_FIXTURES)].map((path) => {
    const name = relative(ROOT, path);
    return {
      path,
      name,
      context: fixtureContext(name),
      canonical: !name.split(sep).includes('noncanonical'),
      options: sidecarOptions(path),
    };
  });
}
