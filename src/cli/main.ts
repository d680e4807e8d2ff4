/**
 * The `ozml` command line: a thin registry of subcommands. Each command lives in its own module and
 * registers itself on the program.
 *
 * Exit codes: a command's action reports its outcome by setting `process.exitCode` (0 clean, 1 problems
 * found); usage errors, unreadable input, bad config and internal failures are 2. Commander's own usage
 * errors (unknown option, bad choice, missing argument) exit 1 by default; they are mapped to 2 here.
 */
import { Command, CommanderError } from 'commander';
import { registerExplain } from './explain.js';
import { registerLint } from './lint.js';
import { registerRun } from './run.js';
import { registerTest } from './test.js';
import { CliError, EXIT_USAGE } from './errors.js';
import { packageVersion } from './version.js';

export function createProgram(): Command {
  const program = new Command('ozml')
    .description('Interpreter, dry-run simulator and CI linter for OzML call scripts')
    .version(packageVersion(), '-V, --version', 'print the ozml version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  registerLint(program);
  registerExplain(program);
  registerRun(program);
  registerTest(program);
  return program;
}

/** Runs the CLI with `process.argv`-style arguments and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with exit code 0; everything else commander raises is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      process.stderr.write(`ozml: ${error.message}\n`);
      return error.exitCode;
    }
    throw error; // bin/ozml.js prints internal errors and exits 2
  }
  const code = process.exitCode;
  return typeof code === 'number' ? code : Number(code ?? 0);
}
