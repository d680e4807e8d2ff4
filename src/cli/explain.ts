/**
 * `ozml explain <file>`: prints the compiled program as JSON — every instruction with its source
 * range, defaults applied, and each value marked `written` or `default` — so a user sees exactly
 * what will run. Findings go to stderr; a document with errors has no program and exits 1.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { compileDocument, DOCUMENT_CONTEXTS, LINT_MAX_BYTES } from '../language/index.js';
import type { Diagnostic, DocumentContext } from '../language/index.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './errors.js';
import { readDocumentFile, readDocumentStdin, STDIN_PATH, tooLargeDiagnostic } from './lint-read.js';
import type { ReadDocument } from './lint-read.js';

export interface ExplainOptions {
  context?: DocumentContext;
  /** The URL the document is fetched from; relative URLs in it resolve against this base. */
  url?: string;
}

/** Where explain writes (the process streams, or buffers in tests). */
export interface ExplainOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: ExplainOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `--url` must be absolute: it is the base that relative URLs resolve against. */
export function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected an absolute http(s) URL, got '${value}'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`expected an http(s) URL, got '${value}'.`);
  }
  return url.href;
}

function diagnosticLine(path: string, d: Diagnostic): string {
  return `${path}:${d.range.line}:${d.range.column}  ${d.severity}  ${d.message}  ${d.rule}\n`;
}

/** Compiles one document (`-` = stdin) and prints its program; resolves to the exit code. */
export async function explainFile(file: string, options: ExplainOptions = {}, output: ExplainOutput = processOutput): Promise<number> {
  const fromStdin = file === '-';
  const path = fromStdin ? STDIN_PATH : file;
  let read: ReadDocument;
  try {
    read = fromStdin ? await readDocumentStdin(LINT_MAX_BYTES) : readDocumentFile(file, LINT_MAX_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    output.stderr(`ozml explain: cannot read ${path}: ${code ?? (error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
  if (!read.ok) {
    output.stderr(diagnosticLine(path, tooLargeDiagnostic(read.size, LINT_MAX_BYTES, fromStdin)));
    return EXIT_PROBLEMS;
  }

  const { program, diagnostics } = compileDocument(read.bytes, {
    ...(options.context ? { context: options.context } : {}),
    ...(options.url ? { url: options.url } : {}),
  });
  for (const d of diagnostics) output.stderr(diagnosticLine(path, d));
  if (diagnostics.some((d) => d.rule === 'internal-error')) return EXIT_USAGE;
  if (!program) return EXIT_PROBLEMS;
  output.stdout(`${JSON.stringify(program, null, 2)}\n`);
  return EXIT_OK;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('print the compiled program of a document as JSON: defaults applied, each value marked written or default')
    .argument('<file>', 'the OzML document (- reads stdin)')
    .addOption(
      new Option('--context <context>', 'the notification the document answers').choices(DOCUMENT_CONTEXTS).default('api-extension'),
    )
    .option('--url <base>', 'the URL the document is fetched from; relative URLs resolve against it', parseBaseUrl)
    .action(async (file: string, options: ExplainOptions) => {
      process.exitCode = await explainFile(file, options);
    });
}
