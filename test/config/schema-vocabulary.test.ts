/**
 * The config JSON Schema is hand-written, but its enumerations are vocabularies declared in the
 * code: each must equal the declaration it stands for, and a new enumeration must be listed here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BODY_FORMATS, CONFIG_SCHEMA_PATH, validateConfig } from '../../src/config/index.js';
import { DOCUMENT_CONTEXTS, SETTING_NAMES } from '../../src/language/index.js';

const schema: unknown = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));

/** Every `enum` of the schema by its JSON pointer. */
function enumsOf(node: unknown, pointer = ''): Record<string, unknown[]> {
  if (typeof node !== 'object' || node === null) return {};
  const found: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' && Array.isArray(value)) found[pointer || '/'] = value;
    else Object.assign(found, enumsOf(value, `${pointer}/${key}`));
  }
  return found;
}

describe('ozml.config.schema.json enumerations', () => {
  it('equal the vocabularies they stand for, and there is no other', () => {
    expect(enumsOf(schema)).toEqual({
      '/properties/lint/properties/rules/additionalProperties': [...SETTING_NAMES],
      '/properties/lint/properties/contexts/items/properties/context': [...DOCUMENT_CONTEXTS],
      '/$defs/app/properties/bodyFormat': [...BODY_FORMATS],
    });
  });

  it('the validator accepts each value of the vocabularies and refuses others', () => {
    for (const name of SETTING_NAMES) expect(() => validateConfig({ lint: { rules: { 'name-case': name } } }, { baseDir: '/' })).not.toThrow();
    for (const context of DOCUMENT_CONTEXTS) {
      expect(() => validateConfig({ lint: { contexts: [{ files: '*.xml', context }] } }, { baseDir: '/' })).not.toThrow();
    }
    expect(() => validateConfig({ lint: { rules: { 'name-case': 'warning' } } }, { baseDir: '/' }))
      .toThrow('lint.rules.name-case: must be one of "off", "info", "warn", "error"');
  });
});
