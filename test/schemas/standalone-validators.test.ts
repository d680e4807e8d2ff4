/**
 * The build writes the config and scenario schemas' validators as ajv standalone code
 * (scripts/gen-validators.js; needs npm run build). They must judge exactly like the schema compiled
 * at run time with the same options: same verdict, same errors (with verbose schema details).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_AJV_OPTIONS, CONFIG_SCHEMA_PATH, CONFIG_SCHEMA_REFERENCES } from '../../src/config/validate.js';
import { SCENARIO_AJV_OPTIONS, SCENARIO_SCHEMA_PATH } from '../../src/dryrun/scenario/validate.js';
import { ROOT } from './helpers.js';

const require = createRequire(import.meta.url);
function compiled(schemaPath: string, options: object, references: readonly string[]): ValidateFunction {
  const ajv = new Ajv2020(options);
  for (const reference of references) ajv.addSchema(JSON.parse(readFileSync(reference, 'utf8')) as object);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
}

/** Each example, and variants with a wrong type, an unknown field and a missing required field. */
function samples(files: string[], read: (text: string) => unknown): unknown[] {
  return files.flatMap((file) => {
    const value = read(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const first = Object.keys(value)[0]!;
    const { [first]: _dropped, ...without } = value;
    return [value, { ...value, [first]: 42 }, { ...value, bogusField: true }, without, 'a string', []];
  });
}

describe.each([
  {
    name: 'scenario', schema: SCENARIO_SCHEMA_PATH, options: SCENARIO_AJV_OPTIONS, references: [] as readonly string[],
    standalone: 'dist/dryrun/scenario/scenario-schema-validator.cjs', files: globSync('examples/**/*.scenario.yaml', { cwd: ROOT, absolute: true }), read: parse,
  },
  {
    name: 'config', schema: CONFIG_SCHEMA_PATH, options: CONFIG_AJV_OPTIONS, references: CONFIG_SCHEMA_REFERENCES,
    standalone: 'dist/config/config-schema-validator.cjs', files: globSync('examples/**/ozml.config.json', { cwd: ROOT, absolute: true }), read: JSON.parse,
  },
])('the $name schema\'s standalone validator', ({ schema, options, references, standalone, files, read }) => {
  it('judges every sample like the compiled schema', () => {
    const built = require(join(ROOT, standalone)) as ValidateFunction;
    const reference = compiled(schema, options, references);
    const values = samples(files, read);
    expect(files.length).toBeGreaterThan(1);
    let invalid = 0;
    for (const value of values) {
      const verdict = reference(value);
      expect(built(value)).toBe(verdict);
      expect(built.errors ?? null).toEqual(reference.errors ?? null);
      if (!verdict) invalid++;
    }
    // Both verdicts occur, or the comparison checks little.
    expect(invalid).toBeGreaterThan(files.length);
    expect(invalid).toBeLessThan(values.length);
  });
});
