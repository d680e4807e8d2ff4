/** `ozml lint [paths|globs|-]…`: compile every document, print the findings, exit 0/1/2. */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { compileDocument, DOCUMENT_CONTEXTS, LINT_MAX_BYTES } from '../language/index.js';
import type { Diagnostic, DocumentContext, RuleSetting } from '../language/index.js';
import { formatResults, OUTPUT_FORMATS } from '../language/format/index.js';
import type { LintFileResult, OutputFormat } from '../language/format/index.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './errors.js';
import { checkRuleSetting, CONFIG_FILE_NAME, contextMatcher, loadLintConfig, settingFromName } from './lint-config.js';
import type { LintConfig, SettingName } from './lint-config.js';
import { readDocumentFile, readDocumentStdin } from './lint-read.js';
import type { ReadDocument } from './lint-read.js';
import { resolveTargets } from './lint-targets.js';
import type { LintTarget } from './lint-targets.js';
import { colorEnabled } from './terminal.js';
import { packageVersion } from './version.js';

interface LintOptions {
  format: OutputFormat;
  context?: DocumentContext;
  config?: string;
  rule: string[];
  maxWarnings?: number;
  quiet?: boolean;
}

const START: Diagnostic['range'] = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function parseMaxWarnings(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError('expected a whole number ≥ 0.');
  return Number(value);
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('check OzML documents and report problems (exit 0 clean, 1 problems, 2 usage error)')
    .argument('[paths...]', 'files, directories (*.xml, *.ozml), globs, or - for stdin', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(new Option('--context <context>', 'context of every document (default: config mapping, else api-extension)').choices(DOCUMENT_CONTEXTS))
    .option('-c, --config <file>', `config file (default: ./${CONFIG_FILE_NAME} if present)`)
    .option('--rule <id=severity>', 'set a rule to off|info|warn|error (repeatable)', collect, [])
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseMaxWarnings)
    .option('-q, --quiet', 'report errors only')
    .action(async (paths: string[], options: LintOptions, command: Command) => {
      process.exitCode = await runLint(paths, options, command);
    });
}

/** Rule overrides: the config's, then `--rule` (later wins). */
function ruleOverrides(config: LintConfig | undefined, flags: readonly string[], command: Command): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = { ...config?.rules };
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) command.error(`error: --rule expects <id>=off|info|warn|error, got '${flag}'`, { exitCode: EXIT_USAGE });
    const id = flag.slice(0, eq).trim();
    const name = flag.slice(eq + 1).trim();
    const problem = checkRuleSetting(id, name);
    if (problem) command.error(`error: --rule: ${problem}`, { exitCode: EXIT_USAGE });
    rules[id] = settingFromName(name as SettingName);
  }
  return rules;
}

async function findConfig(path: string | undefined): Promise<LintConfig | undefined> {
  if (path !== undefined) return loadLintConfig(path);
  return existsSync(CONFIG_FILE_NAME) ? loadLintConfig(CONFIG_FILE_NAME) : undefined;
}

function tooLarge(size: number, fromStdin: boolean): Diagnostic {
  const message = fromStdin
    ? `Document is larger than ${LINT_MAX_BYTES} bytes.`
    : `Document is ${size} bytes; the limit is ${LINT_MAX_BYTES}.`;
  return { rule: 'document-too-large', severity: 'error', message, range: START };
}

async function runLint(paths: string[], options: LintOptions, command: Command): Promise<number> {
  const config = await findConfig(options.config);
  const rules = ruleOverrides(config, options.rule, command);
  const contextOf = config ? contextMatcher(config) : () => undefined;
  const targets = await resolveTargets(paths);

  const keepSource = options.format === 'sarif' || (options.format === 'text' && process.stdout.isTTY === true);
  const results: LintFileResult[] = [];
  let failed = false;
  for (const target of targets) {
    let read: ReadDocument;
    try {
      read = target.kind === 'stdin' ? await readDocumentStdin(LINT_MAX_BYTES) : readDocumentFile(target.absolute, LINT_MAX_BYTES);
    } catch (error) {
      process.stderr.write(`ozml lint: cannot read ${target.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      failed = true;
      continue;
    }
    results.push(lintOne(target, read, { rules, context: options.context ?? (target.kind === 'file' ? contextOf(target.absolute) : undefined), keepSource }));
  }

  const shown = options.quiet
    ? results.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') }))
    : results;
  process.stdout.write(formatResults(options.format, shown, {
    toolVersion: packageVersion(),
    sourceRoot: process.cwd(),
    color: colorEnabled(process.stdout),
    codeFrame: process.stdout.isTTY === true,
  }));

  const all = shown.flatMap((r) => r.diagnostics);
  if (failed || all.some((d) => d.rule === 'internal-error')) return EXIT_USAGE;
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.filter((d) => d.severity === 'warning').length;
  if (errors > 0) return EXIT_PROBLEMS;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    process.stderr.write(`ozml lint: ${warnings} warnings exceed --max-warnings ${options.maxWarnings}\n`);
    return EXIT_PROBLEMS;
  }
  return EXIT_OK;
}

function lintOne(
  target: LintTarget,
  read: ReadDocument,
  settings: { rules: Record<string, RuleSetting>; context: DocumentContext | undefined; keepSource: boolean },
): LintFileResult {
  if (!read.ok) return { path: target.path, diagnostics: [tooLarge(read.size, target.kind === 'stdin')] };
  const { diagnostics } = compileDocument(read.bytes, {
    rules: settings.rules,
    ...(settings.context ? { context: settings.context } : {}),
  });
  return { path: target.path, diagnostics, ...(settings.keepSource ? { source: read.bytes.toString('utf8') } : {}) };
}
