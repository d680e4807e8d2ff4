/**
 * The schema files are generated from the verb table: the committed files must be current, and the
 * XSD must declare exactly what the table declares.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ELEMENTS, ROOTS, VERBS } from '../../src/language/index.js';
import { generateProgramSchema, generateXsd } from '../../src/language/xsd.js';
import { PROGRAM_SCHEMA_PATH, XSD_PATH, xmllintText } from './helpers.js';

const REGENERATE = 'stale: run npm run build && node scripts/gen-schemas.js';

describe('committed schema files', () => {
  it('schemas/ozml.xsd is what the verb table generates', () => {
    expect(readFileSync(XSD_PATH, 'utf8') === generateXsd(), `schemas/ozml.xsd is ${REGENERATE}`).toBe(true);
  });

  it('schemas/program.schema.json is what the verb table generates', () => {
    expect(readFileSync(PROGRAM_SCHEMA_PATH, 'utf8') === generateProgramSchema(), `schemas/program.schema.json is ${REGENERATE}`).toBe(true);
  });
});

interface XsdNode { [key: string]: unknown }
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe('the XSD declares the verb table', () => {
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseAttributeValue: false })
    .parse(generateXsd()) as { 'xs:schema': XsdNode };
  const schema = parsed['xs:schema'];
  const complexTypes = new Map(asArray(schema['xs:complexType'] as XsdNode[]).map((t) => [t['@name'] as string, t]));
  const simpleTypes = new Map(asArray(schema['xs:simpleType'] as XsdNode[]).map((t) => [t['@name'] as string, t]));

  /** Attributes of a complex type, wherever the content model puts them. */
  function attributesOf(type: XsdNode): XsdNode[] {
    const simple = type['xs:simpleContent'] as XsdNode | undefined;
    const holder = simple ? (simple['xs:extension'] as XsdNode) : type;
    return asArray(holder['xs:attribute'] as XsdNode[]);
  }

  const documentationOf = (node: XsdNode): string =>
    ((node['xs:annotation'] as XsdNode)['xs:documentation'] as string);

  it('has the roots as its only global elements', () => {
    expect(asArray(schema['xs:element'] as XsdNode[]).map((e) => e['@name'])).toEqual([...ROOTS]);
  });

  it('allows every verb in the commands group, documented', () => {
    const group = (schema['xs:group'] as XsdNode)['xs:choice'] as XsdNode;
    const declared = asArray(group['xs:element'] as XsdNode[]);
    expect(declared.map((e) => e['@name'])).toEqual(VERBS.map((v) => v.name));
    for (const [i, verb] of VERBS.entries()) expect(documentationOf(declared[i]!)).toContain(verb.doc);
  });

  it.each(ELEMENTS.map((e) => [e.name, e] as const))('<%s>: attributes, required, defaults, enumerations', (_name, spec) => {
    const type = complexTypes.get(`element.${spec.name}`);
    expect(type).toBeDefined();
    const attributes = attributesOf(type!);
    expect(attributes.map((a) => a['@name'])).toEqual(spec.attributes.map((a) => a.name));
    for (const [i, a] of spec.attributes.entries()) {
      const declared = attributes[i]!;
      expect(declared['@use']).toBe(a.required === true && !a.main ? 'required' : undefined);
      expect(declared['@default']).toBe(a.required === true ? undefined : a.default);
      expect(documentationOf(declared)).toContain(a.doc);
      if (a.type.kind === 'enum') {
        const simple = simpleTypes.get(declared['@type'] as string)!;
        const member = (simple['xs:union'] as XsdNode)['xs:simpleType'] as XsdNode;
        const values = asArray((member['xs:restriction'] as XsdNode)['xs:enumeration'] as XsdNode[]).map((v) => v['@value']);
        // The listed values, then the other spellings the catalogue maps onto them (WhisperLocale's en).
        expect(values).toEqual([...a.type.values, ...Object.keys(a.type.aliases ?? {})]);
      }
    }
  });

  it.each(ELEMENTS.map((e) => [e.name, e] as const))('<%s>: children as the table says', (_name, spec) => {
    const type = complexTypes.get(`element.${spec.name}`)!;
    switch (spec.children.kind) {
      case 'none': {
        // Text content only (white space allowed); where the main parameter may be text, of its type.
        const base = ((type['xs:simpleContent'] as XsdNode)['xs:extension'] as XsdNode)['@base'] as string;
        const main = spec.attributes.find((a) => a.main);
        const mainType = main && attributesOf(type).find((a) => a['@name'] === main.name)!['@type'];
        if (mainType === undefined) expect(base).toBe('value.empty');
        else if (mainType === 'xs:string') expect(base).toBe('xs:string');
        else expect(simpleTypes.get(base)!['xs:union']).toEqual({ '@memberTypes': `${mainType} value.empty` });
        break;
      }
      case 'commands':
        expect(type['xs:group']).toEqual({ '@ref': 'commands', '@minOccurs': '0', '@maxOccurs': 'unbounded' });
        break;
      case 'elements': {
        const choice = type['xs:choice'] as XsdNode;
        expect(asArray(choice['xs:element'] as XsdNode[]).map((e) => e['@name'])).toEqual([...spec.children.names]);
        break;
      }
    }
  });
});

describe('documents the XSD accepts and refuses', () => {
  it('accepts an empty <Response/> and the <OzML> root', async () => {
    expect(await xmllintText('<Response/>')).toEqual({ valid: true, errors: [] });
    expect(await xmllintText('<OzML><Speak>Alarm received.</Speak></OzML>')).toEqual({ valid: true, errors: [] });
  });

  it('refuses a verb as the root (verbs are not global elements)', async () => {
    expect((await xmllintText('<Speak>Hi</Speak>')).valid).toBe(false);
  });

  it('refuses non-canonical spelling the linter accepts (documented)', async () => {
    expect((await xmllintText('<Response><speak>Hi</speak></Response>')).errors.map((e) => e.line)).toEqual([1]);
    expect((await xmllintText('<Response><ForwardCall Destination="1001"/></Response>')).valid).toBe(false);
    expect((await xmllintText('<Response><Play AudioFile="a.wav" Repeat="True"/></Response>')).valid).toBe(false);
  });

  it('accepts $variables in typed attributes and typed text', async () => {
    const doc = '<Response>\n<Delay Time="$wait"/>\n<Delay>$wait</Delay>\n<UserInput Repeat="$again" Digits="$n" BackKey="$key"/>\n</Response>';
    expect(await xmllintText(doc)).toEqual({ valid: true, errors: [] });
    expect((await xmllintText('<Response><Delay Time="$$5"/></Response>')).valid).toBe(false);
  });

  it('accepts white space between the tags of an element without content', async () => {
    expect(await xmllintText('<Response>\n  <Hangup>\n  </Hangup>\n</Response>')).toEqual({ valid: true, errors: [] });
  });
});
