/**
 * Turns `ozml lint` arguments into the files to lint: a file as given, a directory recursively
 * (`*.xml` and `*.ozml`, skipping node_modules and dot-directories), a glob, or `-` for stdin.
 */
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { isAbsolute, posix, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { CliError } from './errors.js';
import { STDIN_PATH } from './lint-read.js';

export type LintTarget =
  | { kind: 'stdin'; path: typeof STDIN_PATH }
  /** `path` is what the user sees (as given, or the directory argument joined with the path below it). */
  | { kind: 'file'; path: string; absolute: string };

const DOCUMENT_PATTERN = '**/*.{xml,ozml}';
const IGNORED = ['**/node_modules/**'];

const toSlashes = (path: string): string => (sep === '/' ? path : path.split(sep).join('/'));

function statOf(path: string): Stats | 'missing' {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new CliError(`cannot read ${path}: ${code ?? String(error)}`);
  }
}

async function directoryFiles(argument: string, cwd: string): Promise<LintTarget[]> {
  const root = resolve(cwd, argument);
  const found = await glob(DOCUMENT_PATTERN, { cwd: root, ignore: IGNORED, dot: false, caseSensitiveMatch: false, onlyFiles: true });
  found.sort();
  const base = toSlashes(argument);
  return found.map((relative) => ({ kind: 'file', path: posix.join(base, relative), absolute: resolve(root, relative) }));
}

async function globFiles(pattern: string, cwd: string): Promise<LintTarget[]> {
  const absolute = isAbsolute(pattern);
  const found = await glob(toSlashes(pattern), { cwd, ignore: IGNORED, dot: false, onlyFiles: true, absolute });
  found.sort();
  return found.map((path) => ({ kind: 'file', path, absolute: resolve(cwd, path) }));
}

/** Resolves every argument; throws a CliError (exit 2) for a path that does not exist or a glob or directory without documents. */
export async function resolveTargets(args: readonly string[], cwd: string = process.cwd()): Promise<LintTarget[]> {
  const targets: LintTarget[] = [];
  const seen = new Set<string>();
  const add = (target: LintTarget) => {
    const key = target.kind === 'stdin' ? STDIN_PATH : target.absolute;
    if (seen.has(key)) return;
    seen.add(key);
    targets.push(target);
  };
  for (const argument of args) {
    if (argument === '-') {
      add({ kind: 'stdin', path: STDIN_PATH });
      continue;
    }
    const stat = statOf(resolve(cwd, argument));
    if (stat === 'missing') {
      if (!isDynamicPattern(argument)) throw new CliError(`no such file or directory: ${argument}`);
      const files = await globFiles(argument, cwd);
      if (files.length === 0) throw new CliError(`no files match ${argument}`);
      files.forEach(add);
    } else if (stat.isDirectory()) {
      const files = await directoryFiles(argument, cwd);
      if (files.length === 0) throw new CliError(`no *.xml or *.ozml files in ${argument}`);
      files.forEach(add);
    } else {
      add({ kind: 'file', path: toSlashes(argument), absolute: resolve(cwd, argument) });
    }
  }
  return targets;
}
