/**
 * `ozml test [dirs|files]`: runs every scenario it finds, prints a line per scenario (with the
 * failing expectations explained) and `N passed, N failed`, or JUnit XML. Exit 0 when all pass, 1
 * when one fails, 2 when a scenario cannot be used (invalid, unreadable) or nothing was found.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/index.js';
import type { OzmlConfig } from '../config/index.js';
import { checkScenarioFile } from '../dryrun/check.js';
import type { ScenarioReport } from '../dryrun/check.js';
import { DiscoveryError, findScenarios } from '../dryrun/discover.js';
import { formatJunit } from '../dryrun/format/junit.js';
import { formatReport, formatSummary } from '../dryrun/format/report.js';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './errors.js';
import { colorEnabled } from './terminal.js';

export const TEST_FORMATS = ['text', 'junit'] as const;

/** The file names `ozml lint` treats as OzML documents. */
const SCRIPT_FILE = /\.(xml|ozml)$/i;

interface TestCliOptions {
  format: (typeof TEST_FORMATS)[number];
  update?: boolean;
  config?: string;
}

/** Scenarios run side by side (virtual time is cheap; this overlaps real webhook I/O). */
export const TEST_CONCURRENCY = Math.max(2, Math.min(4, availableParallelism() * 2));

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run every *.scenario.json|yaml and check its expectations (exit 0 all pass, 1 failures, 2 usage error)')
    .argument('[paths...]', 'scenario files, directories or globs', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(TEST_FORMATS).default('text'))
    .option('-u, --update', 'rewrite the golden NDJSON files of scenarios that name one')
    .option('-c, --config <file>', 'config file for every scenario (default: each scenario\'s own)')
    .action(async (paths: string[], options: TestCliOptions) => {
      process.exitCode = await testCommand(paths, options);
    });
}

async function testCommand(paths: string[], options: TestCliOptions): Promise<number> {
  let files: string[];
  try {
    files = await findScenarios(paths);
  } catch (error) {
    if (error instanceof DiscoveryError) throw new CliError(error.message);
    throw error;
  }
  // A script given where a scenario is expected (`ozml test ivr/main.xml`): say what to run instead.
  const scripts = files.filter((f) => SCRIPT_FILE.test(f)).map((f) => path.relative(process.cwd(), f) || f);
  if (scripts.length > 0) {
    throw new CliError(`${scripts.join(', ')}: ozml test runs scenario files (*.scenario.json, *.scenario.yaml), `
      + `not OzML scripts; to run a script, use ozml run ${scripts[0]} (or name it as script: in a scenario)`);
  }
  let config: OzmlConfig | undefined;
  if (options.config !== undefined) {
    try {
      config = await loadConfig(options.config);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
  }

  const color = colorEnabled(process.stdout);
  const reports: Array<ScenarioReport | undefined> = new Array(files.length);
  let printed = 0;
  // Lines appear in file order as soon as every scenario before them has finished.
  const flush = (): void => {
    while (printed < files.length && reports[printed] !== undefined) {
      if (options.format === 'text') process.stdout.write(formatReport(reports[printed]!, { color }));
      printed++;
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      reports[index] = await checkScenarioFile(files[index]!, { ...(options.update ? { update: true } : {}), ...(config ? { config } : {}) });
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(TEST_CONCURRENCY, files.length) }, worker));

  const done = reports as ScenarioReport[];
  if (options.format === 'junit') process.stdout.write(formatJunit(done));
  else process.stdout.write(`\n${formatSummary(done, { color })}`);
  if (done.some((r) => r.error)) return EXIT_USAGE;
  return done.every((r) => r.passed) ? EXIT_OK : EXIT_PROBLEMS;
}
