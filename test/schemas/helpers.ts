/** Shared by the schema tests: running xmllint (libxml2 as WebAssembly), finding fixtures and their contexts. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML } from 'xmllint-wasm';
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

/**
 * Parses xmllint's stderr: `<name> validates` / `<name> fails to validate` verdicts and
 * `<name>:<line>: <message>` errors, keyed by the names xmllint was given.
 */
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

/** Documents per xmllint-wasm run: one run over thousands of files exhausts its memory. */
const BATCH = 200;
const XSD = { fileName: 'ozml.xsd', contents: readFileSync(XSD_PATH, 'utf8') };

/**
 * Validates documents against schemas/ozml.xsd with libxml2 compiled to WebAssembly (xmllint-wasm),
 * so the schema tests need nothing but Node and npm. Each document gets a plain in-memory file name
 * (`d<i>.xml`); results come back in the order given.
 */
async function validateAll(contents: readonly string[]): Promise<XmllintResult[]> {
  const results: XmllintResult[] = [];
  for (let from = 0; from < contents.length; from += BATCH) {
    const names = contents.slice(from, from + BATCH).map((_c, k) => `d${from + k}.xml`);
    const run = await validateXML({
      xml: names.map((fileName, k) => ({ fileName, contents: contents[from + k]! })),
      schema: XSD,
      maxMemoryPages: memoryPages.GiB,
    });
    const parsed = parseOutput(run.rawOutput, names);
    results.push(...names.map((n) => parsed.get(n)!));
  }
  return results;
}

/** Validates files against schemas/ozml.xsd; keyed by the given paths. */
export async function xmllintFiles(paths: readonly string[]): Promise<Map<string, XmllintResult>> {
  const results = await validateAll(paths.map((p) => readFileSync(p, 'utf8')));
  return new Map(paths.map((p, i) => [p, results[i]!]));
}

/** Validates one document given as text. */
export async function xmllintText(text: string): Promise<XmllintResult> {
  return (await validateAll([text]))[0]!;
}

/** Validates documents given as text, keyed like the given map. */
export async function xmllintTexts<K>(texts: ReadonlyMap<K, string>): Promise<Map<K, XmllintResult>> {
  const results = await validateAll([...texts.values()]);
  return new Map([...texts.keys()].map((k, i) => [k, results[i]!]));
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
