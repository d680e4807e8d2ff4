/** Start-up: each command loads only what it uses; the command table and argv selection; the help still lists every command. */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor, createProgram } from '../../src/cli/main.js';
import { CONFIG_FILE_NAME } from '../../src/cli/lint-config.js';
import { CONFIG_FILE_NAME as LOADER_CONFIG_FILE_NAME } from '../../src/config/index.js';
import { FIXTURES, neutralEnv, ozml, ROOT, tempDir } from './helpers.js';

const RECORD_LOADS = join(ROOT, 'test/cli/support/record-loads.mjs');

/** The module URLs `ozml …` resolves, relative to the repository (`dist/cli/lint.js`, `node_modules/commander/…`). */
function loadedModules(args: readonly string[], cwd: string, log: string): { code: number | null; modules: string[] } {
  const run = spawnSync(process.execPath, ['--import', RECORD_LOADS, join(ROOT, 'bin/ozml.js'), ...args], {
    cwd, env: neutralEnv({ OZML_LOAD_LOG: log }), encoding: 'utf8',
  });
  const root = new URL(`file://${ROOT}`).href;
  // node_modules may be a link to elsewhere (a git worktree sharing one install): Node reports the real paths.
  const packages = `${new URL(`file://${realpathSync(join(ROOT, 'node_modules'))}`).href}/`;
  const modules = [...new Set(readFileSync(log, 'utf8').split('\n'))]
    .map((url) => (url.startsWith(packages) ? `${root}node_modules/${url.slice(packages.length)}` : url))
    .filter((url) => url.startsWith(root))
    .map((url) => url.slice(root.length))
    // A file of the bundle stands for the modules bundled into it (scripts/bundle-cli.js).
    .flatMap((m) => (m.startsWith('dist/bundle/') ? bundled(m) : [m]));
  return { code: run.status, modules: [...new Set(modules)] };
}

let bundleMeta: Record<string, string[]> | undefined;
function bundled(file: string): string[] {
  bundleMeta ??= JSON.parse(readFileSync(join(ROOT, 'dist/bundle/meta.json'), 'utf8')) as Record<string, string[]>;
  const inputs = bundleMeta[file];
  if (!inputs) throw new Error(`${file} is not in dist/bundle/meta.json (rebuild: npm run build)`);
  return inputs;
}

/** Areas and packages only the dry-run commands (run, test), the server (serve) or a config file need. */
const NOT_FOR_LINT = [
  /^dist\/(dryrun|engine|calls|webhooks|config|api)\//,
  /^node_modules\/(undici|xstate|ajv|yaml|fastify|pino|prom-client)\//,
  /^dist\/cli\/(run|test|explain|serve|lint-parallel|lint-worker)\.js$/,
];

describe('what a command loads', () => {
  let dir: ReturnType<typeof tempDir>;
  let n = 0;
  const log = () => join(dir.path, `loads-${++n}.txt`);
  beforeAll(() => { dir = tempDir(); });
  afterAll(() => dir.remove());

  it('ozml lint: the language core and its own modules, not the dry-run, engine, config loader, undici, xstate, ajv or yaml', () => {
    const { code, modules } = loadedModules(['lint', 'clean.xml'], FIXTURES, log());
    expect(code).toBe(0);
    expect(modules).toContain('dist/cli/lint.js');
    expect(modules).toContain('dist/language/index.js');
    expect(modules.filter((m) => NOT_FOR_LINT.some((re) => re.test(m)))).toEqual([]);
    // Only the text formatter: the others (SARIF needs node:crypto) load when chosen.
    expect(modules.filter((m) => /^dist\/language\/format\/(json|sarif|github|rules-doc)\.js$/.test(m))).toEqual([]);
    expect(modules).toContain('dist/language/format/text.js');
  });

  it('ozml lint --format sarif loads the SARIF formatter, not the json or github one', () => {
    const { code, modules } = loadedModules(['lint', '--format', 'sarif', 'clean.xml'], FIXTURES, log());
    expect(code).toBe(0);
    expect(modules).toContain('dist/language/format/sarif.js');
    expect(modules.filter((m) => /^dist\/language\/format\/(json|github|rules-doc)\.js$/.test(m))).toEqual([]);
  });

  it('ozml lint loads the config loader (and ajv) only when there is a config file', () => {
    const { code, modules } = loadedModules(['lint', '.'], join(FIXTURES, 'project'), log());
    expect(code).toBe(1);
    expect(modules).toContain('dist/config/index.js');
    expect(modules.some((m) => m.startsWith('node_modules/ajv/'))).toBe(true);
    expect(modules.filter((m) => /^dist\/(dryrun|engine|calls|webhooks)\//.test(m))).toEqual([]);
  });

  it('ozml --version (alone) is answered by the launcher: nothing of dist/ or node_modules loads', () => {
    for (const flag of ['--version', '-V']) {
      const { code, modules } = loadedModules([flag], FIXTURES, log());
      expect(code).toBe(0);
      expect(modules).toEqual(['bin/ozml.js']);
    }
  });

  it('ozml --version with anything else goes through the program: no command, not the language core', () => {
    // Commander answers --version before it looks at the other options.
    const { code, modules } = loadedModules(['--version', '--bogus'], FIXTURES, log());
    expect(code).toBe(0);
    expect(modules.filter((m) => m.startsWith('dist/')).sort()).toEqual(
      ['dist/cli/compile-cache.js', 'dist/cli/errors.js', 'dist/cli/main.js', 'dist/cli/version.js'],
    );
  });

  it('ozml run checks its scenario with the build\'s standalone validator, not ajv\'s compiler', () => {
    const { code, modules } = loadedModules(['run', '--scenario', 'examples/ivr-menu/ivr.scenario.yaml'], ROOT, log());
    expect(code).toBe(0);
    expect(modules).toContain('dist/dryrun/scenario/scenario-schema-validator.cjs');
    // The standalone code needs one small runtime helper of ajv, nothing else of it.
    expect(modules.filter((m) => m.startsWith('node_modules/ajv/'))).toEqual(['node_modules/ajv/dist/runtime/ucs2length.js']);
  });

  it('ozml explain loads neither the dry-run nor lint', () => {
    const { code, modules } = loadedModules(['explain', 'clean.xml'], FIXTURES, log());
    expect(code).toBe(0);
    expect(modules.filter((m) => /^dist\/(dryrun|engine|calls|webhooks|config)\/|^dist\/cli\/(lint|run|test)\.js$/.test(m))).toEqual([]);
  });
});

describe('commandsFor', () => {
  const names = (args: string[]) => commandsFor(args).map((c) => c.name);
  const ALL = ['lint', 'explain', 'run', 'test', 'serve'];

  it('picks the one command named in argv (the first argument not starting with -)', () => {
    expect(names(['lint', 'a.xml', '--format', 'json'])).toEqual(['lint']);
    expect(names(['run', '--scenario', 'x.yaml'])).toEqual(['run']);
    expect(names(['--version', 'test'])).toEqual(['test']);
    expect(names(['explain', '--help'])).toEqual(['explain']);
  });

  it('registers every command for the help, `help <command>` and unknown commands', () => {
    expect(names([])).toEqual(ALL);
    expect(names(['--help'])).toEqual(ALL);
    expect(names(['-h'])).toEqual(ALL);
    expect(names(['help', 'lint'])).toEqual(ALL);
    expect(names(['lnt'])).toEqual(ALL);
  });

  it('registers none for root options alone', () => {
    expect(names(['--version'])).toEqual([]);
    expect(names(['-V'])).toEqual([]);
    expect(names(['--bogus'])).toEqual([]);
  });

  it('each entry of the table registers the command of its name', async () => {
    const program = await createProgram();
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    expect(COMMANDS.map((c) => c.name)).toEqual(ALL);
  });
});

describe('the program with commands loaded on demand', () => {
  it('ozml --help lists every command with its arguments', () => {
    const run = ozml(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const usage of ['lint [options] [paths...]', 'explain [options] <file>', 'run [options] [script]', 'test [options] [paths...]', 'help [command]']) {
      expect(run.stdout).toContain(`\n  ${usage} `);
    }
  });

  it('ozml help <command> and <command> --help print that command\'s help', () => {
    const help = ozml(['help', 'run']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ozml run [options] [script]');
    const testHelp = ozml(['test', '--help']);
    expect(testHelp.code).toBe(0);
    expect(testHelp.stdout).toContain('Usage: ozml test [options] [paths...]');
  });

  it('an unknown command is a usage error (2) that suggests the closest command', () => {
    expect(ozml(['tset'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'tset'\n(Did you mean test?)\n(run with --help for usage)\n" });
  });

  it('an unknown root option is a usage error (2)', () => {
    expect(ozml(['--bogus'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--bogus'\n(run with --help for usage)\n" });
  });
});

it('lint looks for the config file under the loader\'s name', () => {
  expect(CONFIG_FILE_NAME).toBe(LOADER_CONFIG_FILE_NAME);
});
