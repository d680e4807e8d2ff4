/** `ozml lint [paths|globs|-]…`: compile every document, print the findings, exit 0/1/2. */
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DOCUMENT_CONTEXTS, LINT_MAX_BYTES } from '../language/index.js';
import type { DocumentContext, RuleSetting } from '../language/index.js';
import { formatResults, OUTPUT_FORMATS, plural, summarize } from '../language/format/index.js';
import type { LintFileResult, OutputFormat } from '../language/format/index.js';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './errors.js';
import { checkRuleSetting, CONFIG_FILE_NAME, contextMatcher, findLintConfig, knownNames, settingFromName } from './lint-config.js';
import type { SettingName } from './lint-config.js';
import { lintDocument, lintFile, unreadableMessage } from './lint-file.js';
import type { LintFileJob, LintOutcome, LintSettings } from './lint-file.js';
import { readDocumentStdin, STDIN_PATH } from './lint-read.js';
import { resolveTargets } from './lint-targets.js';
import { colorEnabled } from './terminal.js';
import { packageVersion } from './version.js';

interface LintOptions {
  format: OutputFormat;
  context?: DocumentContext;
  config?: string;
  rule: string[];
  knownVariable: string[];
  knownArray: string[];
  maxWarnings?: number;
  quiet?: boolean;
  jobs?: number;
}

/** Below this many files one thread is faster: a worker needs ~80 ms to start and load the language core. */
export const PARALLEL_MIN_FILES = 64;
/** Each extra thread needs this many files to pay for its start. */
const FILES_PER_THREAD = PARALLEL_MIN_FILES / 2;

/**
 * `--jobs` by default: one thread fewer than there are CPUs. A single lint thread already keeps
 * about 1.5 cores busy (V8 compiles hot code and collects garbage on background threads, about
 * half as much CPU again), and every extra thread repeats that warm-up: on 2 CPUs a second
 * thread made 1,000 files slower (docs/lint.md).
 */
export function defaultJobs(cpus: number = availableParallelism()): number {
  return Math.max(1, cpus - 1);
}

/** How many threads lint `files` files with `--jobs <jobs>` (the main thread counts as one). */
export function lintThreads(files: number, jobs: number): number {
  if (files < PARALLEL_MIN_FILES) return 1;
  return Math.max(1, Math.min(jobs, Math.ceil(files / FILES_PER_THREAD)));
}

function parseMaxWarnings(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError('expected a whole number ≥ 0.');
  return Number(value);
}

function parseJobs(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1.');
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
    .option('--known-variable <name>', 'a variable the notifications define, as if declared (repeatable)', collect, [])
    .option('--known-array <name>', 'an array the platform provides, besides voicemails (repeatable)', collect, [])
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseMaxWarnings)
    .option('-q, --quiet', 'report errors only')
    .option('-j, --jobs <n>', `lint on up to n threads when there are ${PARALLEL_MIN_FILES} files or more (default: CPUs - 1)`, parseJobs)
    .action(async (paths: string[], options: LintOptions, command: Command) => {
      process.exitCode = await runLint(paths, options, command);
    });
}

/** Rule overrides: the config's, then `--rule` (later wins). */
function ruleOverrides(configured: Readonly<Record<string, RuleSetting>> | undefined, flags: readonly string[], command: Command): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = { ...configured };
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

async function lintStdin(context: DocumentContext | undefined, settings: LintSettings): Promise<LintOutcome> {
  try {
    return { ok: true, result: lintDocument(STDIN_PATH, await readDocumentStdin(LINT_MAX_BYTES), context, settings, true) };
  } catch (error) {
    return { ok: false, message: unreadableMessage(STDIN_PATH, error) };
  }
}

async function runLint(paths: string[], options: LintOptions, command: Command): Promise<number> {
  const config = await findLintConfig(options.config);
  const rules = ruleOverrides(config?.lint.rules, options.rule, command);
  const knownVariables = knownNames(config?.lint.knownVariables, options.knownVariable, '--known-variable');
  if (typeof knownVariables === 'string') command.error(`error: ${knownVariables}`, { exitCode: EXIT_USAGE });
  const knownArrays = knownNames(config?.lint.knownArrays, options.knownArray, '--known-array');
  if (typeof knownArrays === 'string') command.error(`error: ${knownArrays}`, { exitCode: EXIT_USAGE });
  const contextOf = config ? contextMatcher(config.lint.contexts, config.baseDir) : () => undefined;
  const targets = await resolveTargets(paths);

  const keepSource = options.format === 'sarif' || (options.format === 'text' && process.stdout.isTTY === true);
  // docs/transfers.md: service names are checked against the config only when there is one; its tones count too.
  const settings: LintSettings = {
    rules, keepSource,
    ...(knownVariables.length > 0 ? { knownVariables } : {}),
    ...(knownArrays.length > 0 ? { knownArrays } : {}),
    ...(config ? { services: Object.keys(config.services), tones: Object.keys(config.tones) } : {}),
  };
  // One outcome per target, in target order, however many threads produced them.
  const outcomes = new Array<LintOutcome>(targets.length);
  const files: { index: number; job: LintFileJob }[] = [];
  for (const [index, target] of targets.entries()) {
    if (target.kind === 'stdin') {
      outcomes[index] = await lintStdin(options.context, settings);
      continue;
    }
    const context = options.context ?? contextOf(target.absolute);
    files.push({ index, job: { path: target.path, absolute: target.absolute, ...(context ? { context } : {}) } });
  }
  const threads = lintThreads(files.length, options.jobs ?? defaultJobs());
  if (threads > 1) {
    // Loaded only here: a run on one thread never needs worker_threads.
    const { lintInParallel } = await import('./lint-parallel.js');
    const linted = await lintInParallel(files.map((f) => f.job), settings, threads);
    files.forEach((f, i) => { outcomes[f.index] = linted[i]!; });
  } else {
    for (const f of files) outcomes[f.index] = lintFile(f.job, settings);
  }

  const results: LintFileResult[] = [];
  let failed = false;
  for (const outcome of outcomes) {
    if (outcome.ok) {
      results.push(outcome.result);
    } else {
      process.stderr.write(outcome.message);
      failed = true;
    }
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

  if (failed || shown.some((r) => r.diagnostics.some((d) => d.rule === 'internal-error'))) return EXIT_USAGE;
  const { errors, warnings } = summarize(shown);
  if (errors > 0) return EXIT_PROBLEMS;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    process.stderr.write(`ozml lint: ${plural(warnings, 'warning')} ${warnings === 1 ? 'exceeds' : 'exceed'} --max-warnings ${options.maxWarnings}\n`);
    return EXIT_PROBLEMS;
  }
  return EXIT_OK;
}
