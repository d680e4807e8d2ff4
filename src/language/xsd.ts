/**
 * Schemas generated from the verb table: `schemas/ozml.xsd` (completion and validation in XML
 * editors) and `schemas/program.schema.json` (the JSON Schema of a compiled program, as printed by
 * `ozml explain`). `scripts/gen-schemas.js` writes both files; a test fails when they are stale.
 *
 * The value patterns below mirror the checks of `values.ts` (which keeps its regexes private); the
 * schema tests validate the same sample values with xmllint and `checkValue` and compare.
 */
import { ELEMENTS, ROOTS, VERBS } from './catalogue/index.js';
import { BUILTIN_TONES, CALLER_ID_POLICIES } from './vocabulary/index.js';
import type { AttributeSpec, AttributeType, ElementSpec } from './catalogue/index.js';
import { DOCUMENT_CONTEXTS } from './types.js';

// ---------------------------------------------------------------------------------------------
// Regular expressions: the table's string patterns are JavaScript regexes; XSD and JSON Schema
// need them anchored differently and without flags.

/**
 * Rewrites a pattern so every letter (and letter range in a class) matches both cases: the `i` flag,
 * which neither XSD nor JSON Schema patterns have. `[0-9B-F]` becomes `[0-9B-Fb-f]`, `x` becomes `[xX]`.
 */
function caseless(body: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      out += c + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    const isLetter = /[A-Za-z]/.test(c);
    if (inClass && isLetter && body[i + 1] === '-' && /[A-Za-z]/.test(body[i + 2] ?? '')) {
      const to = body[i + 2]!;
      out += `${c}-${to}${swapCase(c)}-${swapCase(to)}`;
      i += 2;
    } else if (inClass && isLetter) {
      out += c + swapCase(c);
    } else if (isLetter) {
      out += `[${c}${swapCase(c)}]`;
    } else {
      out += c;
    }
  }
  return out;
}

function swapCase(c: string): string {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}

/** The table's patterns are whole-value checks: `^…$` without look-around or back references. */
function patternBody(pattern: RegExp): string {
  const source = pattern.source;
  if (!source.startsWith('^') || !source.endsWith('$') || /\(\?|\\[bBdDwW1-9]/.test(source) || pattern.flags.replace('i', '') !== '') {
    throw new Error(`Pattern ${pattern} cannot be expressed in XSD: use ^…$ with classes, groups and quantifiers only.`);
  }
  const body = source.slice(1, -1);
  return pattern.flags.includes('i') ? caseless(body) : body;
}

/** XSD regexes are implicitly anchored and have no `\$`. */
const xsdPattern = (pattern: RegExp): string => patternBody(pattern).replaceAll('\\$', '[$]');
const jsonPattern = (pattern: RegExp): string => `^(?:${patternBody(pattern)})$`;

// Mirrors of the value checks in values.ts, in XSD regex syntax.
const DTMF_XSD = '[0-9*#A-Da-d]';
const ADDRESS_XSD = '\\+?[0-9*#]{1,32}|(sips?:|tel:)\\S+|[A-Za-z0-9_.+\\-]+(@[A-Za-z0-9_.:\\-]+)?';
/** http(s) or file URLs, or relative references (no scheme before the first / ? #). */
const URL_XSD = '([hH][tT][tT][pP][sS]?|[fF][iI][lL][eE]):\\S*|[^:/?#\\s]*([/?#]\\S*)?';
/** values.ts isPhoneNumber: 2 to 15 digits, an optional +, punctuation anywhere. */
const PHONE_NUMBER_XSD = '[ ().\\-]*\\+?[ ().\\-]*([0-9][ ().\\-]*){2,15}';
const IDENTIFIER_XSD = '[A-Za-z_][A-Za-z0-9_]*';
const LANGUAGE_XSD = '[a-zA-Z]{2,3}([\\-_][a-zA-Z0-9]{2,8})*';
/** A value with at least one `$name` reference (`$$` is an escaped dollar, not a reference). */
const VARIABLE_XSD = '([^$]|[$][$])*[$][A-Za-z_].*';

// ---------------------------------------------------------------------------------------------
// XSD

const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function documentation(text: string, indent: string): string {
  return `${indent}<xs:annotation><xs:documentation>${escapeXml(text)}</xs:documentation></xs:annotation>\n`;
}

interface SimpleTypeDef {
  name: string;
  doc: string;
  /** The restriction or union, without the surrounding xs:simpleType. */
  body: string;
}

/** Collects named simple types in first-use order, one per distinct attribute type. */
class SimpleTypes {
  readonly defs: SimpleTypeDef[] = [];
  private readonly byKey = new Map<string, string>();
  private readonly enumNames = new Set<string>();

  private define(key: string, name: string, doc: string, body: () => string): string {
    const known = this.byKey.get(key);
    if (known) return known;
    this.byKey.set(key, name);
    this.defs.push({ name, doc, body: body() });
    return name;
  }

  /** A typed value or a `$variable` template. */
  private orVariable(key: string, name: string, doc: string, typed: string): string {
    return this.define(key, name, doc, () => union('value.variable', [typed]));
  }

  constructor() {
    this.define('variable', 'value.variable', 'A value with $variables; it is expanded and checked when the verb runs.', () =>
      restriction('xs:token', [pattern(VARIABLE_XSD)], '    '));
    this.define('empty', 'value.empty', 'No text (white space at most).', () =>
      restriction('xs:token', ['<xs:length value="0"/>'], '    '));
  }

  /** Non-empty free text (after white space is collapsed). */
  private text(): string {
    return this.define('text', 'value.text', 'Text that is not empty.', () => restriction('xs:token', ['<xs:minLength value="1"/>'], '    '));
  }

  /** The XSD type name of an attribute (`xs:string` for free text). */
  attribute(spec: AttributeSpec, element: ElementSpec): string {
    return this.type(spec.type, spec.name, element.name);
  }

  private type(type: AttributeType, attributeName: string, elementName: string): string {
    switch (type.kind) {
      case 'string':
        if (type.pattern) {
          return this.orVariable(`string:${type.pattern}`, `value.${attributeName}`, `${type.patternHint ?? 'A pattern'}.`,
            restriction('xs:token', [pattern(xsdPattern(type.pattern))]));
        }
        return type.allowEmpty ? 'xs:string' : this.text();
      case 'integer': {
        const name = `value.integer${type.min !== undefined ? `-${type.min}` : ''}${type.max !== undefined ? `-${type.max}` : ''}`;
        const facets = [
          ...(type.min !== undefined ? [`<xs:minInclusive value="${type.min}"/>`] : []),
          ...(type.max !== undefined ? [`<xs:maxInclusive value="${type.max}"/>`] : []),
        ];
        const range = type.min !== undefined && type.max !== undefined ? ` from ${type.min} to ${type.max}` : '';
        return this.orVariable(`integer:${type.min}:${type.max}`, name, `A whole number${range}.`, restriction('xs:integer', facets));
      }
      case 'boolean':
        return this.orVariable('boolean', 'value.boolean', 'true or false.', restriction('xs:token', enumeration(['true', 'false'])));
      case 'enum': {
        const key = `enum:${type.values.join('|')}`;
        // Named after the attribute; a different value set under the same attribute name gets the element's name too.
        const name = this.byKey.has(key) || !this.enumNames.has(attributeName) ? `value.${attributeName}` : `value.${elementName}.${attributeName}`;
        this.enumNames.add(attributeName);
        const spellings = [...type.values, ...Object.keys(type.aliases ?? {})];
        return this.orVariable(key, name, `One of: ${spellings.join(', ')}.`, restriction('xs:token', enumeration(spellings)));
      }
      case 'url':
        return type.allowEmpty
          ? this.orVariable('url-or-empty', 'value.url-or-empty', 'An http(s) URL, relative to the document URL or absolute; may be empty.',
            restriction('xs:token', [pattern(URL_XSD)]))
          : this.orVariable('url', 'value.url', 'An http(s) URL, relative to the document URL or absolute.',
            restriction('xs:token', ['<xs:minLength value="1"/>', pattern(URL_XSD)]));
      case 'dtmf': {
        const facets = [pattern(`${DTMF_XSD}+`), ...(type.maxLength !== undefined ? [`<xs:maxLength value="${type.maxLength}"/>`] : [])];
        const name = type.maxLength !== undefined ? `value.dtmf-${type.maxLength}` : 'value.dtmf';
        const most = type.maxLength !== undefined ? `, at most ${type.maxLength}` : '';
        return this.orVariable(`dtmf:${type.maxLength}`, name, `DTMF keys (0-9, *, #, A-D${most}).`, restriction('xs:token', facets));
      }
      case 'dtmf-key':
        return this.orVariable('dtmf-key', 'value.dtmf-key', 'One DTMF key (0-9, *, #, A-D).', restriction('xs:token', [pattern(DTMF_XSD)]));
      case 'address':
        return type.allowEmpty
          ? this.orVariable('address-or-empty', 'value.address-or-empty', 'A phone number, extension or SIP address; may be empty.',
            restriction('xs:token', [pattern(`(${ADDRESS_XSD})?`)]))
          : this.orVariable('address', 'value.address', 'A phone number, extension or SIP address.',
            restriction('xs:token', [pattern(ADDRESS_XSD)]));
      case 'phone-number':
        return this.orVariable('phone-number', 'value.phone-number', 'A phone number: 2 to 15 digits with an optional leading +.',
          restriction('xs:token', [pattern(PHONE_NUMBER_XSD)]));
      case 'caller-id': {
        const number = this.type({ kind: 'phone-number' }, attributeName, elementName);
        return this.define('caller-id', 'value.caller-id', 'private, caller (keep the caller\'s number) or a phone number.', () =>
          union(`${number} value.variable`, [restriction('xs:token', enumeration(CALLER_ID_POLICIES))]));
      }
      case 'identifier':
        return this.orVariable('identifier', 'value.identifier', 'A name of letters, digits and _ (not starting with a digit).',
          restriction('xs:token', [pattern(IDENTIFIER_XSD)]));
      case 'tone':
        // Config files may define more tones, which a schema cannot know: any name is accepted, the built-ins complete.
        return this.define('tone', 'value.tone', `A tone name: ${BUILTIN_TONES.join(', ')}, or one the config defines.`, () =>
          union('value.variable', [restriction('xs:token', enumeration(BUILTIN_TONES)), restriction('xs:token', [pattern('\\S+')])]));
      case 'service':
        return this.text();
      case 'language':
        return this.orVariable('language', 'value.language', 'A language code such as en-US.', restriction('xs:token', [pattern(LANGUAGE_XSD)]));
    }
  }

  /** Text content of a verb whose main parameter may be text: the attribute's type, or nothing. */
  content(attributeType: string): string {
    if (attributeType === 'xs:string') return 'xs:string';
    const name = `content.${attributeType.replace(/^value\./, '')}`;
    return this.define(`content:${attributeType}`, name, 'The main parameter as text content, or no text.', () =>
      `    <xs:union memberTypes="${attributeType} value.empty"/>\n`);
  }
}

/** A union of named member types and anonymous restrictions. */
function union(memberTypes: string, restrictions: readonly string[]): string {
  const anonymous = restrictions.map((r) => `      <xs:simpleType>\n${r}      </xs:simpleType>\n`).join('');
  return `    <xs:union memberTypes="${memberTypes}">\n${anonymous}    </xs:union>\n`;
}

function restriction(base: string, facets: readonly string[], indent = '        '): string {
  if (facets.length === 0) return `${indent}<xs:restriction base="${base}"/>\n`;
  return `${indent}<xs:restriction base="${base}">\n${facets.map((f) => `${indent}  ${f}\n`).join('')}${indent}</xs:restriction>\n`;
}

const pattern = (regex: string): string => `<xs:pattern value="${escapeXml(regex)}"/>`;
const enumeration = (values: readonly string[]): string[] => values.map((v) => `<xs:enumeration value="${escapeXml(v)}"/>`);

function attributeDoc(spec: AttributeSpec): string {
  const notes: string[] = [spec.doc];
  if (spec.default !== undefined) notes.push(`Default: ${spec.default}.`);
  if (Array.isArray(spec.required)) notes.push(`Required in ${spec.required.join(', ')} documents.`);
  if (spec.main) notes.push('May be written as text content instead.');
  if (spec.contexts) notes.push(`Counts only in ${spec.contexts.join(', ')} documents.`);
  return notes.join(' ');
}

function elementDoc(spec: ElementSpec): string {
  const notes: string[] = [spec.doc];
  if (spec.kind === 'verb' && spec.contexts) notes.push(`Allowed in ${spec.contexts.join(', ')} documents.`);
  const main = spec.attributes.find((a) => a.main);
  if (main) notes.push(`Text content = ${main.name}.`);
  return notes.join(' ');
}

function elementDeclaration(spec: ElementSpec, indent: string): string {
  return `${indent}<xs:element name="${spec.name}" type="element.${spec.name}">\n${documentation(elementDoc(spec), `${indent}  `)}${indent}</xs:element>\n`;
}

function byName(name: string): ElementSpec {
  const spec = ELEMENTS.find((e) => e.name === name);
  if (!spec) throw new Error(`The verb table names <${name}> as a child but does not declare it.`);
  return spec;
}

function complexType(spec: ElementSpec, types: SimpleTypes): string {
  const main = spec.attributes.find((a) => a.main);
  const attributeLines = (indent: string): string => spec.attributes.map((a) => {
    const type = types.attribute(a, spec);
    // A main parameter may be text content instead, so XSD cannot require the attribute.
    const required = a.required === true && !a.main;
    const use = required ? ' use="required"' : '';
    const fallback = a.default !== undefined && !required ? ` default="${escapeXml(a.default)}"` : '';
    return `${indent}<xs:attribute name="${a.name}" type="${type}"${use}${fallback}>\n${documentation(attributeDoc(a), `${indent}  `)}${indent}</xs:attribute>\n`;
  }).join('');

  const open = (mixed: boolean) => `  <xs:complexType name="element.${spec.name}"${mixed ? ' mixed="true"' : ''}>\n`;
  switch (spec.children.kind) {
    case 'none': {
      // Not an empty content type: that would refuse the white space between <Hangup> and </Hangup>.
      const content = main ? types.content(types.attribute(main, spec)) : 'value.empty';
      return `${open(false)}    <xs:simpleContent>\n      <xs:extension base="${content}">\n${attributeLines('        ')}      </xs:extension>\n    </xs:simpleContent>\n  </xs:complexType>\n`;
    }
    case 'commands':
      return `${open(main !== undefined)}    <xs:group ref="commands" minOccurs="0" maxOccurs="unbounded"/>\n${attributeLines('    ')}  </xs:complexType>\n`;
    case 'elements': {
      const children = spec.children.names.map((name) => elementDeclaration(byName(name), '      ')).join('');
      return `${open(main !== undefined)}    <xs:choice minOccurs="0" maxOccurs="unbounded">\n${children}    </xs:choice>\n${attributeLines('    ')}  </xs:complexType>\n`;
    }
  }
}

const XSD_HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<!--
  ozml.xsd: the canonical OzML vocabulary for XML editors (completion, hovers, validation).

  GENERATED from the verb table (src/language/catalogue/verbs.ts) by src/language/xsd.ts; do not
  edit. Regenerate with: npm run build && node scripts/gen-schemas.js

  This schema is stricter than OzML in some ways and looser in others; \`ozml lint\` is the authority.
  - Spelling: OzML matches element and attribute names case-insensitively and accepts aliases
    (ForwardCall, Userinput, Dialed, enteredUrl, ...). This schema knows the canonical spelling only,
    and enumeration values (including true/false) in their canonical letter case only.
  - Contexts: every verb and every attribute is accepted whatever the document's context
    (api-extension, third-party, routing). Attributes required in some contexts only (Party in
    third-party documents, ...) and main parameters (which may be text content) are optional here;
    giving a main parameter both as attribute and as text is not detected.
  - Values with $variables are accepted wherever a typed value is expected; they are checked when
    the verb runs. Tone names from the config are accepted (any name).
  - Rules across elements (unreachable verbs, duplicate IDs, undefined variables, Input keys,
    Consult verbs, Reject first, ...) are the linter's.
-->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
`;

/** The text of `schemas/ozml.xsd`. */
export function generateXsd(): string {
  const types = new SimpleTypes();
  const complexTypes = ELEMENTS.map((spec) => complexType(spec, types)).join('\n');
  const roots = ROOTS.map((root) => {
    const doc = root === 'Response'
      ? 'An OzML document: verbs run top to bottom.'
      : 'The root of the vendor\'s alarm examples, accepted for compatibility (with a warning); use Response.';
    return `  <xs:element name="${root}" type="document">\n${documentation(doc, '    ')}  </xs:element>\n`;
  }).join('\n');
  const commands = VERBS.map((verb) => elementDeclaration(verb, '      ')).join('');
  const simpleTypes = types.defs.map((def) =>
    `  <xs:simpleType name="${def.name}">\n${documentation(def.doc, '    ')}${def.body}  </xs:simpleType>\n`).join('\n');
  return `${XSD_HEADER}
${roots}
  <xs:complexType name="document">
    <xs:group ref="commands" minOccurs="0" maxOccurs="unbounded"/>
  </xs:complexType>

  <!-- Every verb; allowed at the top level and inside command blocks. -->
  <xs:group name="commands">
    <xs:choice>
${commands}    </xs:choice>
  </xs:group>

${complexTypes}
${simpleTypes}</xs:schema>
`;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema of the compiled program (types.ts: Program, ProgramNode, AttributeValue)

type JsonSchema = { [key: string]: unknown };

/** The JSON Schema of a converted literal value (what `checkValue` returns for the type). */
function literalValueSchema(type: AttributeType): JsonSchema {
  switch (type.kind) {
    case 'string':
      return {
        type: 'string',
        ...(type.allowEmpty ? {} : { minLength: 1 }),
        ...(type.pattern ? { pattern: jsonPattern(type.pattern) } : {}),
      };
    case 'integer':
      return { type: 'integer', ...(type.min !== undefined ? { minimum: type.min } : {}), ...(type.max !== undefined ? { maximum: type.max } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { enum: [...type.values] };
    case 'url':
      return { type: 'string', ...(type.allowEmpty ? {} : { minLength: 1 }) };
    case 'dtmf':
      // checkValue upper-cases the keys.
      return { type: 'string', pattern: '^[0-9*#A-D]+$', ...(type.maxLength !== undefined ? { maxLength: type.maxLength } : {}) };
    case 'dtmf-key':
      return { type: 'string', pattern: '^[0-9*#A-D]$' };
    case 'address':
      return { type: 'string', ...(type.allowEmpty ? {} : { minLength: 1 }) };
    case 'phone-number':
      return { type: 'string', minLength: 2 };
    case 'identifier':
      return { type: 'string', pattern: `^${IDENTIFIER_XSD}$` };
    case 'language':
      return { type: 'string', pattern: `^${LANGUAGE_XSD.replace('[\\-_]', '[-_]')}$` };
    case 'caller-id':
    case 'tone':
    case 'service':
      return { type: 'string', minLength: 1 };
  }
}

function typeKey(type: AttributeType): string {
  return JSON.stringify(type, (_key, value: unknown) => (value instanceof RegExp ? value.toString() : value));
}

/** The text of `schemas/program.schema.json`. */
export function generateProgramSchema(): string {
  const defs: Record<string, JsonSchema> = {};
  const literalNames = new Map<string, string>();

  const literalDef = (type: AttributeType, spec: AttributeSpec, element: ElementSpec): string => {
    const key = typeKey(type);
    const known = literalNames.get(key);
    if (known) return known;
    let name = `literal.${type.kind}`;
    if (type.kind === 'integer') name += `${type.min !== undefined ? `-${type.min}` : ''}${type.max !== undefined ? `-${type.max}` : ''}`;
    else if (type.kind === 'enum') name = `literal.enum.${spec.name}`;
    else if (type.kind === 'string' && type.pattern) name = `literal.string.${spec.name}`;
    else if ('allowEmpty' in type && type.allowEmpty) name += '-or-empty';
    else if (type.kind === 'dtmf' && type.maxLength !== undefined) name += `-${type.maxLength}`;
    if (defs[name]) name = `${name}.${element.name}`;
    literalNames.set(key, name);
    defs[name] = {
      type: 'object',
      required: ['kind', 'value', 'origin'],
      additionalProperties: false,
      properties: {
        kind: { const: 'literal' },
        value: literalValueSchema(type),
        origin: { enum: ['written', 'default'] },
        range: { $ref: '#/$defs/range' },
      },
    };
    return name;
  };

  const elementDefs: Record<string, JsonSchema> = {};
  for (const element of ELEMENTS) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const a of element.attributes) {
      properties[a.name] = {
        description: a.doc,
        anyOf: [{ $ref: `#/$defs/${literalDef(a.type, a, element)}` }, { $ref: '#/$defs/template' }],
      };
      // Present in every program: required everywhere, or defaulted, and not dropped in some context.
      if (!a.contexts && (a.required === true || a.default !== undefined)) required.push(a.name);
    }
    let children: JsonSchema;
    switch (element.children.kind) {
      case 'none': children = { type: 'array', maxItems: 0 }; break;
      case 'commands': children = { type: 'array', items: { type: 'object', properties: { kind: { const: 'verb' } } } }; break;
      case 'elements': children = { type: 'array', items: { type: 'object', properties: { name: { enum: [...element.children.names] } } } }; break;
    }
    elementDefs[`element.${element.name}`] = {
      description: element.doc,
      type: 'object',
      properties: {
        kind: { const: element.kind },
        attributes: { type: 'object', properties, additionalProperties: false, ...(required.length ? { required } : {}) },
        children,
      },
    };
  }

  const schema: JsonSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: 'GENERATED from the verb table by src/language/xsd.ts; do not edit. Regenerate: npm run build && node scripts/gen-schemas.js',
    title: 'OzML compiled program',
    description: 'The program compileDocument returns and `ozml explain` prints (with default rule settings): instructions with defaults applied, each value marked written or default, with 1-based source ranges.',
    type: 'object',
    required: ['root', 'context', 'instructions'],
    additionalProperties: false,
    properties: {
      root: { enum: [...ROOTS] },
      context: { enum: [...DOCUMENT_CONTEXTS] },
      url: { type: 'string', description: 'The URL the document was fetched from; relative URLs were resolved against it.' },
      instructions: { type: 'array', items: { $ref: '#/$defs/node', type: 'object', properties: { kind: { const: 'verb' } } } },
    },
    $defs: {
      range: {
        description: '1-based; endColumn is exclusive; columns count UTF-16 code units.',
        type: 'object',
        required: ['line', 'column', 'endLine', 'endColumn'],
        additionalProperties: false,
        properties: {
          line: { type: 'integer', minimum: 1 },
          column: { type: 'integer', minimum: 1 },
          endLine: { type: 'integer', minimum: 1 },
          endColumn: { type: 'integer', minimum: 1 },
        },
      },
      template: {
        description: 'A value with $variables, expanded and converted when the verb runs.',
        type: 'object',
        required: ['kind', 'template', 'origin'],
        additionalProperties: false,
        properties: {
          kind: { const: 'template' },
          template: { type: 'string', pattern: '\\$[A-Za-z_]' },
          origin: { const: 'written' },
          range: { $ref: '#/$defs/range' },
        },
      },
      node: {
        type: 'object',
        required: ['name', 'kind', 'range', 'attributes', 'children'],
        additionalProperties: false,
        properties: {
          name: { enum: ELEMENTS.map((e) => e.name) },
          kind: { enum: ['verb', 'block'] },
          range: { $ref: '#/$defs/range' },
          attributes: { type: 'object' },
          children: { type: 'array', items: { $ref: '#/$defs/node' } },
        },
        allOf: ELEMENTS.map((e) => ({
          if: { type: 'object', properties: { name: { const: e.name } } },
          then: { $ref: `#/$defs/element.${e.name}` },
        })),
      },
      ...elementDefs,
      ...Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
