/**
 * `ozml run <script.xml | URL>`: one call on the simulated switch, printed as a timeline, NDJSON
 * events, a Mermaid diagram or JUnit XML. Exit 0 when the call ran and every expectation held, 1
 * when one failed or the call ended with an application error, 2 for usage errors, unreadable
 * files and invalid scenarios.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { CONFIG_FILE_NAME, loadConfig } from '../config/index.js';
import type { OzmlConfig } from '../config/index.js';
import { checkScenario, usageProblems } from '../dryrun/check.js';
import type { ScenarioReport } from '../dryrun/check.js';
import { toJsonLine } from '../dryrun/events.js';
import type { DryRunEvent } from '../dryrun/events.js';
import { formatJunit } from '../dryrun/format/junit.js';
import { formatMermaid } from '../dryrun/format/mermaid.js';
import { formatReport } from '../dryrun/format/report.js';
import { TextTimeline } from '../dryrun/format/text.js';
import { loadScenario, normalise } from '../dryrun/scenario/load.js';
import type { ScenarioProblem } from '../dryrun/scenario/validate.js';
import { withCallOverrides } from '../dryrun/scenario/overrides.js';
import type { Scenario } from '../dryrun/scenario/types.js';
import { DOCUMENT_CONTEXTS } from '../language/index.js';
import type { DocumentContext } from '../language/index.js';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './errors.js';
import { colorEnabled } from './terminal.js';

export const RUN_FORMATS = ['text', 'ndjson', 'mermaid', 'junit'] as const;
export type RunFormat = (typeof RUN_FORMATS)[number];

interface RunCliOptions {
  from?: string;
  to?: string;
  context?: DocumentContext;
  digits?: string;
  scenario?: string;
  realtime?: boolean;
  format: RunFormat;
  record?: string;
  replay?: string;
  config?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('dry-run one call on the simulated switch (exit 0 ok, 1 expectation failed or application error, 2 usage error)')
    .argument('[script]', 'OzML file or URL answering the call (default: the scenario\'s script)')
    .option('--from <number>', 'calling number')
    .option('--to <number>', 'called number (default: the API extension, 9000)')
    .addOption(new Option('--context <context>', 'context of the script').choices(DOCUMENT_CONTEXTS))
    .option('--digits <digits>', 'digits the caller presses when first prompted, e.g. "12#"')
    .option('--scenario <file>', 'scenario file (JSON or YAML): parties, webhooks, expectations')
    .option('--realtime', 'run on the wall clock instead of the virtual clock')
    .addOption(new Option('-f, --format <format>', 'output format').choices(RUN_FORMATS).default('text'))
    .option('--record <dir>', 'record the HTTP exchanges of real webhooks to <dir>')
    .option('--replay <dir>', 'answer real webhooks from a recording in <dir> (no network)')
    .option('-c, --config <file>', `config file (default: the scenario's, else ./${CONFIG_FILE_NAME} if present)`)
    .action(async (script: string | undefined, options: RunCliOptions) => {
      process.exitCode = await runCommand(script, options);
    });
}

const DIGITS = /^[0-9A-Da-d*#]+$/;

async function runCommand(script: string | undefined, options: RunCliOptions): Promise<number> {
  if (script === undefined && options.scenario === undefined) throw new CliError('give a script (file or URL) or --scenario <file>');
  if (options.record !== undefined && options.replay !== undefined) throw new CliError('--record and --replay cannot be used together');
  if (options.digits !== undefined && !DIGITS.test(options.digits)) throw new CliError(`--digits: "${options.digits}" is not DTMF digits (0-9, *, #, A-D)`);
  if (options.replay !== undefined) requireRecording(options.replay);

  let scenario: Scenario;
  let shown: string;
  try {
    scenario = options.scenario !== undefined ? loadScenario(options.scenario) : scenarioOfScript(script!);
    if (options.scenario !== undefined && script !== undefined) scenario = scenarioOfScript(script, scenario);
    shown = options.scenario ?? script!;
  } catch (error) {
    return usage(error);
  }
  scenario = withCallOverrides(scenario, {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.digits !== undefined ? { digits: options.digits } : {}),
  });

  let config: OzmlConfig | undefined;
  try {
    if (options.config !== undefined) config = await loadConfig(options.config);
    else if (!scenario.config && existsSync(CONFIG_FILE_NAME)) config = await loadConfig(CONFIG_FILE_NAME);
  } catch (error) {
    return usage(error);
  }

  const color = colorEnabled(process.stdout);
  const timeline = new TextTimeline({ color });
  const onEvent = (event: DryRunEvent): void => {
    if (options.format === 'ndjson') process.stdout.write(`${toJsonLine(event)}\n`);
    else if (options.format === 'text') {
      const line = timeline.line(event);
      if (line !== undefined) process.stdout.write(`${line}\n`);
    }
  };
  let report: ScenarioReport;
  try {
    report = await checkScenario(scenario, shown, {
      golden: false,
      onEvent,
      ...(config ? { config } : {}),
      ...(options.realtime ? { realtime: true } : {}),
      ...(options.record !== undefined ? { recordDir: path.resolve(options.record) } : {}),
      ...(options.replay !== undefined ? { replayDir: path.resolve(options.replay) } : {}),
    });
  } catch (error) {
    return usage(error);
  }

  if (options.format === 'mermaid' && report.run) process.stdout.write(formatMermaid(report.run.events));
  if (options.format === 'junit') process.stdout.write(formatJunit([report]));
  if (report.error) {
    process.stderr.write(`${report.error.join('\n')}\n`);
    return EXIT_USAGE;
  }
  // The verdict goes where it does not disturb machine-readable output.
  const verdict = formatReport(report, { color: options.format === 'text' ? color : colorEnabled(process.stderr) });
  if (options.format === 'text') process.stdout.write(`\n${verdict}`);
  else if (!report.passed && options.format !== 'junit') process.stderr.write(verdict);
  return report.passed ? EXIT_OK : EXIT_PROBLEMS;
}

/** `--replay <dir>` must name a directory (a recording made with --record): a usage error otherwise. */
function requireRecording(dir: string): void {
  if (!existsSync(dir)) throw new CliError(`--replay ${dir}: no such directory (make a recording with --record ${dir})`);
  if (!statSync(dir).isDirectory()) throw new CliError(`--replay ${dir}: not a directory (a recording is the directory --record wrote)`);
}

/** A scenario made of the script alone (command-line runs), or the script replacing a scenario's. */
function scenarioOfScript(script: string, base?: Scenario): Scenario {
  const problems: ScenarioProblem[] = [];
  const built = normalise({ script }, { baseDir: process.cwd(), name: path.basename(script) }, problems);
  if (problems.length > 0) throw new CliError(problems.map((p) => p.message).join('; '));
  if (!base) return built;
  const { scriptFile: _replaced, ...rest } = base;
  return {
    ...rest,
    script: built.script,
    ...(built.scriptFile ? { scriptFile: built.scriptFile } : {}),
    passThroughUnmatched: built.passThroughUnmatched,
    call: { ...base.call, url: built.call.url },
  };
}

/** Scenario and config problems end the command with exit code 2; anything else is a defect. */
function usage(error: unknown): number {
  if (error instanceof CliError) throw error;
  const problems = usageProblems(error);
  if (!problems) throw error;
  process.stderr.write(`${problems.join('\n')}\n`);
  return EXIT_USAGE;
}
