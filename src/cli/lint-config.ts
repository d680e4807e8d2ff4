/**
 * Lint settings from outside the documents: the `lint` section of `ozml.config.json` (read by the
 * product's one validated loader, src/config), `--rule id=severity`, `--known-variable` and
 * `--known-array` flags.
 *
 *   { "lint": { "rules": { "undefined-variable": "off" }, "knownVariables": ["AccountId"],
 *               "contexts": [{ "files": "third-party/**", "context": "third-party" }] } }
 */
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { findRule, VARIABLE_NAME } from '../language/index.js';
import type { DocumentContext } from '../language/index.js';
import { SETTING_NAMES } from '../language/vocabulary/rule-settings.js';
import type { LintContextMapping, OzmlConfig } from '../config/index.js';
import { CliError } from './errors.js';

/**
 * Equal to src/config's CONFIG_FILE_NAME (a test keeps them equal). Not imported from there: that
 * module loads ajv, which `ozml lint` only needs when there is a config file to validate.
 */
export const CONFIG_FILE_NAME = 'ozml.config.json';
/** Severities as the config file and `--rule` spell them (declared once, in the language's vocabulary). */
export { SETTING_NAMES, settingFromName, type SettingName } from '../language/vocabulary/rule-settings.js';

/**
 * Validates a `--rule` id and severity name; returns a message for the user when they are not usable.
 * Fatal reader rules (xml-syntax, …) are always errors: nothing can be checked past them.
 */
export function checkRuleSetting(id: string, name: string): string | undefined {
  const rule = findRule(id);
  if (!rule) return `unknown rule '${id}' (see docs/rules.md for the rule ids)`;
  if (!(SETTING_NAMES as readonly string[]).includes(name)) {
    return `invalid severity '${name}' for rule '${id}' (expected ${SETTING_NAMES.join(', ')})`;
  }
  if (rule.meta.fatal && name !== 'error') return `rule '${id}' is fatal and cannot be changed from error`;
  return undefined;
}

/**
 * The names lint takes as known: the config's, then the flags' (each once, in that order). A flag
 * value that is not a `$name` root is a usage problem, returned as the message.
 */
export function knownNames(configured: readonly string[] | undefined, flags: readonly string[], flag: string): string[] | string {
  for (const name of flags) {
    if (!VARIABLE_NAME.test(name)) return `${flag}: '${name}' is not a variable name (1-128 letters, digits or "_", not starting with a digit)`;
  }
  return [...new Set([...(configured ?? []), ...flags])];
}

/**
 * The config lint uses: `--config <file>`, else `./ozml.config.json` when it exists, else none.
 * The whole file is validated (one config, one verdict); a problem anywhere is a usage error.
 */
export async function findLintConfig(path: string | undefined): Promise<OzmlConfig | undefined> {
  const file = path ?? (existsSync(CONFIG_FILE_NAME) ? CONFIG_FILE_NAME : undefined);
  if (file === undefined) return undefined;
  // Loaded on demand: the loader brings ajv and the config schema, which a run without a config skips.
  const { ConfigError, loadConfig } = await import('../config/index.js');
  try {
    // Lint signs nothing: a CI job without the app's secret in its environment can still lint.
    return await loadConfig(file, { skipSecrets: true });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

/** The context the config's glob mapping gives a file; globs are relative to `baseDir` (the config file's directory). */
export function contextMatcher(
  contexts: readonly LintContextMapping[],
  baseDir: string,
): (absolutePath: string) => DocumentContext | undefined {
  const matchers = contexts.map((entry) => ({ test: picomatch(entry.files, { dot: true }), context: entry.context }));
  return (absolutePath) => {
    const path = relative(baseDir, absolutePath).split(sep).join('/');
    return matchers.find((m) => m.test(path))?.context;
  };
}
