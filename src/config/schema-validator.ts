/**
 * JSON Schema validators for the config and scenario files, without compiling the schema at start-up.
 * `npm run build` writes each schema's validator as ajv standalone code next to the compiled module
 * that uses it (`scripts/gen-validators.js`), so `ozml run` loads neither ajv's compiler nor the
 * schema file. Where that file is absent (running from src/, as the tests do) the schema is
 * compiled with ajv on first use, with the same options.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Options, ValidateFunction } from 'ajv/dist/2020.js';

export interface SchemaValidatorSpec {
  /** The schema file. */
  schemaPath: string;
  /** Schema files it refers to by `$id` (added to ajv before the schema is compiled). */
  references?: readonly string[];
  /** ajv options; the build uses the same ones for the standalone code. */
  options: Options;
  /** URL of the standalone validator module (CommonJS), next to the module that validates. */
  standaloneUrl: URL;
}

/** The validator of a schema: the build's standalone code when it exists, else compiled now. */
export function loadSchemaValidator(spec: SchemaValidatorSpec): ValidateFunction {
  const require = createRequire(spec.standaloneUrl);
  const standalone = fileURLToPath(spec.standaloneUrl);
  if (existsSync(standalone)) return require(standalone) as ValidateFunction;
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv2020(spec.options);
  for (const reference of spec.references ?? []) ajv.addSchema(JSON.parse(readFileSync(reference, 'utf8')) as object);
  return ajv.compile(JSON.parse(readFileSync(spec.schemaPath, 'utf8')) as object);
}
