/**
 * The config and events JSON Schemas are hand-written, but their enumerations of shared
 * vocabularies are declared in the code: each must equal the declaration it stands for, and a new
 * enumeration of the config schema must be listed here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as calls from '../../src/calls/index.js';
import { BODY_FORMATS, CONFIG_SCHEMA_PATH, validateConfig } from '../../src/config/index.js';
import { CALL_TYPES, DOCUMENT_CONTEXTS, LEG_STATES, RELEASE_CAUSES, SETTING_NAMES, TRANSFER_CAUSES } from '../../src/language/index.js';

const schema: unknown = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'));
const eventsSchema: unknown = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/events.schema.json', import.meta.url)), 'utf8'));

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

describe('events.schema.json enumerations of shared vocabularies', () => {
  it('equal the vocabularies declared in src/language/vocabulary', () => {
    const enums = enumsOf(eventsSchema);
    const expected: Record<string, readonly unknown[]> = {
      '/$defs/leg.created/properties/callType': CALL_TYPES,
      '/$defs/leg.state/properties/callType': CALL_TYPES,
      '/$defs/leg.state/properties/state': LEG_STATES,
      '/$defs/leg.state/properties/previousState': LEG_STATES,
      '/$defs/leg.capabilities/properties/state': LEG_STATES,
      '/$defs/transfer.ended/properties/cause': TRANSFER_CAUSES,
      '/$defs/route.ended/properties/cause': TRANSFER_CAUSES,
    };
    for (const [pointer, vocabulary] of Object.entries(expected)) expect(enums[pointer], pointer).toEqual([...vocabulary]);
  });

  it('leave a leg\'s release cause open: the application may pass its own cause to hangup()', () => {
    const cause = (eventsSchema as { $defs: Record<string, { properties: Record<string, unknown> }> }).$defs['leg.state']!.properties.cause;
    expect(cause).toEqual({ type: 'string', description: 'Release cause (Released only).' });
    expect(RELEASE_CAUSES).toContain('remote-hangup');
  });
});

describe('the call layer re-exports the vocabularies under its old names', () => {
  it('is the very same declaration, not a copy', () => {
    expect(calls.CALL_TYPES).toBe(CALL_TYPES);
    expect(calls.RELEASE_CAUSES).toBe(RELEASE_CAUSES);
    expect(calls.LEG_STATES).toBe(LEG_STATES);
  });
});
