/**
 * The `ozml` command line: a thin registry of subcommands. Each command lives in its own module and
 * registers itself on the program.
 *
 * Start-up: only the module of the command being run is loaded (`ozml lint` never loads the
 * dry-run, the engine, undici or xstate). The command name is picked from argv before the program is
 * built; every command is registered only when commander needs them all: `ozml`, `ozml --help`,
 * `ozml help …` and unknown commands (whose error suggests the closest name).
 *
 * Exit codes: a command's action reports its outcome by setting `process.exitCode` (0 clean, 1 problems
 * found); usage errors, unreadable input, bad config and internal failures are 2. Commander's own usage
 * errors (unknown option, bad choice, missing argument) exit 1 by default; they are mapped to 2 here.
 */
import { Command, CommanderError } from 'commander';
import { enableCompileCache } from './compile-cache.js';
import { CliError, EXIT_USAGE } from './errors.js';
import { packageVersion } from './version.js';

/** Before any command module is imported, so they all come from the cache where Node has one. */
enableCompileCache();

type Register = (program: Command) => void;

interface CommandModule {
  name: string;
  load: () => Promise<Register>;
}

/** In `ozml --help` order. */
export const COMMANDS: readonly CommandModule[] = [
  { name: 'lint', load: async () => (await import('./lint.js')).registerLint },
  { name: 'explain', load: async () => (await import('./explain.js')).registerExplain },
  { name: 'run', load: async () => (await import('./run.js')).registerRun },
  { name: 'test', load: async () => (await import('./test.js')).registerTest },
  { name: 'serve', load: async () => (await import('./serve.js')).registerServe },
];

const HELP_FLAGS = new Set(['-h', '--help']);

/**
 * The commands to register for these user arguments (argv without node and the script). The root
 * program's options (`-V`, `-h`) take no value, so the first argument not starting with `-` is the command.
 */
export function commandsFor(args: readonly string[]): readonly CommandModule[] {
  const name = args.find((arg) => !arg.startsWith('-'));
  if (name !== undefined) {
    const command = COMMANDS.find((c) => c.name === name);
    return command ? [command] : COMMANDS; // unknown or `help`: commander lists or suggests them all
  }
  // No command: the help lists every command; `--version` (or a bad option) needs none.
  return args.length === 0 || args.some((arg) => HELP_FLAGS.has(arg)) ? COMMANDS : [];
}

/** The program with the commands `argv` needs (all of them by default). */
export async function createProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('ozml')
    .description('Interpreter, dry-run simulator and CI linter for OzML call scripts')
    .version(packageVersion(), '-V, --version', 'print the ozml version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  const wanted = argv === undefined ? COMMANDS : commandsFor(argv.slice(2));
  const registers = await Promise.all(wanted.map((c) => c.load()));
  for (const register of registers) register(program);
  return program;
}

/** Runs the CLI with `process.argv`-style arguments and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await createProgram(argv);
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
