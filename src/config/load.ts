/** Reading `ozml.config.json` from disk: JSON errors with line and column, then validation. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';
import type { OzmlConfig } from './types.js';
import { validateConfig } from './validate.js';
import type { ValidateOptions } from './validate.js';

export const CONFIG_FILE_NAME = 'ozml.config.json';

/** Loads, validates and normalises a config file; relative paths resolve against its directory. */
export async function loadConfig(file: string, options: Pick<ValidateOptions, 'env' | 'skipSecrets'> = {}): Promise<OzmlConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read the file: ${(error as Error).message}`], absolute);
  }
  return parseConfig(text, { ...options, path: absolute, baseDir: path.dirname(absolute) });
}

/** Parses and validates config text (for editors, tests and stdin). */
export function parseConfig(text: string, options: ValidateOptions = {}): OzmlConfig {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigError([`invalid JSON: ${describeJsonError(text, error as Error)}`], options.path);
  }
  return validateConfig(value, options);
}

/** V8 sometimes reports `… at position N`; people want line and column. */
function describeJsonError(text: string, error: Error): string {
  const match = /^(.*) in JSON at position (\d+)/.exec(error.message);
  if (!match) return error.message;
  const offset = Number(match[2]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${match[1]} at line ${line}, column ${column}`;
}
