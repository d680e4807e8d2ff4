/**
 * The `lint` section of `ozml.config.json`: rule severities and glob → context mapping.
 * A small adapter that reads and validates just that section (the product's config loader may
 * replace the reading part; the resolution below stays).
 *
 *   { "lint": { "rules": { "undefined-variable": "off" },
 *               "contexts": [{ "files": "third-party/**", "context": "third-party" }] } }
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { DOCUMENT_CONTEXTS, findRule } from '../language/index.js';
import type { DocumentContext, RuleSetting } from '../language/index.js';
import { CliError } from './errors.js';

export const CONFIG_FILE_NAME = 'ozml.config.json';
/** Severities as the config file and `--rule` spell them. */
export const SETTING_NAMES = ['off', 'info', 'warn', 'error'] as const;
export type SettingName = (typeof SETTING_NAMES)[number];

export interface LintConfig {
  /** Absolute path of the config file. */
  path: string;
  rules: Record<string, RuleSetting>;
  /** In file order; the first match wins. */
  contexts: { files: string; context: DocumentContext }[];
}

/** Maps the config spelling (`warn`) to the diagnostic severity (`warning`). */
export function settingFromName(name: SettingName): RuleSetting {
  return name === 'warn' ? 'warning' : name;
}

/**
 * Validates a rule id and severity name; returns a message for the user when they are not usable.
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

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function loadLintConfig(path: string): Promise<LintConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const fail = (message: string): never => { throw new CliError(`config file ${path}: ${message}`); };
  if (!isObject(data)) return fail('the top level must be an object');
  const config: LintConfig = { path: absolute, rules: {}, contexts: [] };
  const lint = data.lint;
  if (lint === undefined) return config;
  if (!isObject(lint)) return fail('"lint" must be an object');
  for (const key of Object.keys(lint)) {
    if (key !== 'rules' && key !== 'contexts') fail(`unknown key "lint.${key}" (expected rules, contexts)`);
  }
  if (lint.rules !== undefined) {
    if (!isObject(lint.rules)) return fail('"lint.rules" must be an object of rule id → off|info|warn|error');
    for (const [id, value] of Object.entries(lint.rules)) {
      const problem = checkRuleSetting(id, String(value));
      if (problem) fail(`lint.rules: ${problem}`);
      config.rules[id] = settingFromName(value as SettingName);
    }
  }
  if (lint.contexts !== undefined) {
    if (!Array.isArray(lint.contexts)) return fail('"lint.contexts" must be an array of { "files": glob, "context": … }');
    lint.contexts.forEach((entry: unknown, i) => {
      if (!isObject(entry) || typeof entry.files !== 'string' || entry.files === '') {
        fail(`lint.contexts[${i}] needs "files" (a glob relative to the config file)`);
      }
      const { files, context } = entry as { files: string; context: unknown };
      if (!(DOCUMENT_CONTEXTS as readonly unknown[]).includes(context)) {
        fail(`lint.contexts[${i}].context must be one of ${DOCUMENT_CONTEXTS.join(', ')}`);
      }
      config.contexts.push({ files, context: context as DocumentContext });
    });
  }
  return config;
}

/** The context the config's glob mapping gives a file (globs are relative to the config file's directory). */
export function contextMatcher(config: LintConfig): (absolutePath: string) => DocumentContext | undefined {
  const base = dirname(config.path);
  const matchers = config.contexts.map((entry) => ({ test: picomatch(entry.files, { dot: true }), context: entry.context }));
  return (absolutePath) => {
    const path = relative(base, absolutePath).split(sep).join('/');
    return matchers.find((m) => m.test(path))?.context;
  };
}
