/**
 * The scenario files `ozml test` runs: files as given, directories searched for
 * `*.scenario.json|yaml|yml` (skipping node_modules and dot-directories), and globs.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

const SCENARIO_GLOB = '**/*.scenario.{json,yaml,yml}';
const IGNORED = ['**/node_modules/**'];

export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

const slashes = (p: string): string => p.split(path.sep).join('/');

/** Absolute paths, sorted within each argument, without duplicates. */
export async function findScenarios(args: readonly string[], cwd: string = process.cwd()): Promise<string[]> {
  const out: string[] = [];
  const add = (file: string): void => {
    if (!out.includes(file)) out.push(file);
  };
  for (const argument of args) {
    const absolute = path.resolve(cwd, argument);
    let stat;
    try {
      stat = statSync(absolute);
    } catch {
      stat = undefined;
    }
    if (!stat) {
      if (!isDynamicPattern(argument)) throw new DiscoveryError(`no such file or directory: ${argument}`);
      const found = (await glob(slashes(argument), { cwd, ignore: IGNORED, onlyFiles: true, absolute: true })).sort();
      if (found.length === 0) throw new DiscoveryError(`no files match ${argument}`);
      found.map((f) => path.resolve(f)).forEach(add);
    } else if (stat.isDirectory()) {
      const found = (await glob(SCENARIO_GLOB, { cwd: absolute, ignore: IGNORED, dot: false, onlyFiles: true, caseSensitiveMatch: false })).sort();
      if (found.length === 0) throw new DiscoveryError(`no *.scenario.json or *.scenario.yaml files in ${argument}`);
      found.map((f) => path.resolve(absolute, f)).forEach(add);
    } else {
      add(absolute);
    }
  }
  return out;
}
