/** Runs the built CLI (`npm run build` first) as a child process, the way users and CI run it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/ozml.js');
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  /** Added to a neutral environment (no colour variables, not on GitHub Actions). */
  env?: Record<string, string>;
}

export function neutralEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'GITHUB_ACTIONS', 'TERM']) delete env[name];
  return { ...env, ...extra };
}

export function ozml(args: readonly string[], options: RunOptions = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? FIXTURES,
    env: neutralEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // EPIPE: the CLI stopped reading stdin early (it does past the size cap); its output is still complete.
  if (result.error && (result.error as NodeJS.ErrnoException).code !== 'EPIPE') throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `ozml lint … --format json`, parsed. */
export function lintJson(args: readonly string[], options: RunOptions = {}): { code: number | null; report: unknown; stderr: string } {
  const run = ozml(['lint', '--format', 'json', ...args], options);
  return { code: run.code, report: run.stdout ? JSON.parse(run.stdout) : undefined, stderr: run.stderr };
}

/** A temporary directory removed by the returned function. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'ozml-cli-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs the CLI with stdout on a pseudo-terminal, through util-linux `script`; undefined when it cannot. */
export function onTerminal(args: readonly string[], cwd = FIXTURES): string | undefined {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd, env: neutralEnv({ NO_COLOR: '1', TERM: 'xterm' }), encoding: 'utf8', input: '', maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return undefined;
  return result.stdout.replaceAll('\r\n', '\n');
}

export const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
