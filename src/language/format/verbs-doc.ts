/**
 * docs/verbs.md, rendered from the verb catalogue (scripts/gen-verbs-doc.js writes it): every verb and
 * block with its attributes, their types, defaults, allowed values, contexts and children.
 */
import { ELEMENTS, VERBS } from '../catalogue/index.js';
import type { AttributeSpec, AttributeType, ElementSpec } from '../catalogue/index.js';
import { DOCUMENT_CONTEXTS } from '../types.js';
import type { DocumentContext } from '../types.js';
import { BUILTIN_TONES, CALLER_ID_POLICIES, WHISPER_VOICE_TABLE, WHISPER_VOICES } from '../vocabulary/index.js';

const code = (text: string): string => `\`${text}\``;
const list = (values: readonly string[]): string => values.map(code).join(', ');
/** Element names outside code spans wrapped in backticks, so Markdown does not swallow them as HTML. */
function prose(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/<\/?[A-Za-z][^<>]*>/g, (tag) => `\`${tag}\``)))
    .join('`');
}

/** A table cell: prose with its pipes escaped. */
const cell = (text: string): string => prose(text).replaceAll('|', '\\|');

function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  return max !== undefined ? ` ≤ ${max}` : '';
}

/** The type column: what a value must look like and what it becomes. */
export function describeType(type: AttributeType): string {
  switch (type.kind) {
    case 'string':
      if (type.pattern) return `text: ${type.patternHint ?? String(type.pattern)}`;
      return type.allowEmpty ? 'text (may be empty)' : 'text';
    case 'integer':
      return `${type.unit === 'seconds' ? 'seconds' : 'whole number'}${range(type.min, type.max)}`;
    case 'boolean':
      return '`true` or `false`';
    case 'enum': {
      const aliases = Object.entries(type.aliases ?? {});
      const also = aliases.length ? `; also ${aliases.map(([from, to]) => `${code(from)} = ${code(to)}`).join(', ')}` : '';
      return `one of ${list(type.values)}${also}`;
    }
    case 'url':
      return `URL (http, https, file or relative)${type.allowEmpty ? ', may be empty' : ''}`;
    case 'dtmf':
      return `DTMF keys (0-9 * # A-D)${type.maxLength !== undefined ? `, at most ${type.maxLength}` : ''}`;
    case 'dtmf-key':
      return 'one DTMF key (0-9 * # A-D)';
    case 'address':
      return `address: number, extension, SIP URI or user@host${type.allowEmpty ? ', may be empty' : ''}`;
    case 'phone-number':
      return 'phone number: 2–15 digits, optional leading +';
    case 'caller-id':
      return `${list(CALLER_ID_POLICIES)} or a phone number`;
    case 'identifier':
      return 'name: letters, digits, _ (not starting with a digit)';
    case 'tone':
      return `tone: ${list(BUILTIN_TONES)} or a tone of the config`;
    case 'service':
      return 'service name (from the config)';
    case 'language':
      return 'language code such as `en-US`';
  }
}

function contextsOf(element: ElementSpec): readonly DocumentContext[] {
  return element.contexts ?? DOCUMENT_CONTEXTS;
}

function requiredText(attribute: AttributeSpec): string {
  if (attribute.required === true) return 'yes';
  if (Array.isArray(attribute.required)) return `in ${attribute.required.join(', ')}`;
  return '';
}

function attributeRow(attribute: AttributeSpec, element: ElementSpec): string {
  const names = [code(attribute.name), ...(attribute.aliases ?? []).map((alias) => `(also ${code(alias)})`)];
  if (attribute.main) names.push('(or text content)');
  const all = contextsOf(element);
  const contexts = attribute.contexts && attribute.contexts.length < all.length ? attribute.contexts.join(', ') : '';
  const defaultValue = attribute.default === undefined ? '' : code(attribute.default);
  return `| ${names.join(' ')} | ${cell(describeType(attribute.type))} | ${defaultValue} | ${requiredText(attribute)} | ${contexts} | ${cell(attribute.doc)} |`;
}

function childrenText(element: ElementSpec): string {
  switch (element.children.kind) {
    case 'none':
      return 'none';
    case 'commands':
      return 'commands (verbs)';
    case 'elements':
      return element.children.names.map((name) => `[${code(`<${name}>`)}](#${name.toLowerCase()})`).join(', ');
  }
}

function section(element: ElementSpec): string[] {
  const facts = [
    element.kind === 'verb' ? `Contexts: ${contextsOf(element).join(', ')}` : undefined,
    element.kind === 'block' && element.contexts ? `Contexts: ${element.contexts.join(', ')}` : undefined,
    element.kind === 'block' ? `Inside: ${parentsOf(element).map((p) => code(`<${p}>`)).join(', ')}` : undefined,
    `Children: ${childrenText(element)}`,
    element.aliases?.length ? `Also written: ${list(element.aliases)}` : undefined,
    element.blocking ? 'Blocks until it finishes' : undefined,
    element.terminal ? 'Ends the document (verbs after it never run)' : undefined,
    element.unique ? 'At most once in its parent' : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  const out = [`## ${element.name}`, '', prose(element.doc), '', ...facts.map((fact) => `- ${fact}`), ''];
  if (element.attributes.length === 0) out.push('No attributes.', '');
  else {
    out.push('| Attribute | Type | Default | Required | Only in | Description |', '|---|---|---|---|---|---|');
    for (const attribute of element.attributes) out.push(attributeRow(attribute, element));
    out.push('');
  }
  return out;
}

function parentsOf(block: ElementSpec): string[] {
  return ELEMENTS.filter((e) => e.children.kind === 'elements' && e.children.names.includes(block.name)).map((e) => e.name);
}

export function renderVerbsDoc(): string {
  const blocks = ELEMENTS.filter((e) => e.kind === 'block');
  const voices = WHISPER_VOICES.map((voice) => {
    const entry = WHISPER_VOICE_TABLE[voice];
    return `| ${voice} | ${entry.gender} | ${entry.locales.join(', ')} |`;
  });
  return [
    '<!-- Generated by scripts/gen-verbs-doc.js from src/language/catalogue/. Do not edit by hand. -->',
    '# Verb reference',
    '',
    'Every verb and block of the language as the catalogue (`src/language/catalogue/verbs.ts`) declares',
    'it: the linter, the compiler, the XSD and this page read the same table. Attribute names and',
    'enumerated values match in any letter case and come out in the spelling listed here. Defaults are',
    'applied by the compiler: a program carries them (origin `default`), so the engine never re-codes',
    'them. *Only in* names the contexts in which an attribute has an effect (elsewhere lint warns',
    '`attribute-ignored-in-context`); *Required* `in …` means required only in those contexts.',
    'Contexts, values and run-time behaviour: [language.md](language.md), [engine.md](engine.md),',
    '[transfers.md](transfers.md).',
    '',
    '| Verb | Contexts | Description |',
    '|---|---|---|',
    ...VERBS.map((v) => `| [${v.name}](#${v.name.toLowerCase()}) | ${contextsOf(v).join(', ')} | ${cell(v.doc)} |`),
    '',
    ...VERBS.flatMap(section),
    '# Blocks',
    '',
    'Structural children of verbs; they do not run on their own.',
    '',
    ...blocks.flatMap(section),
    '# Whisper voices',
    '',
    'BlindTransfer\'s `WhisperVoice`, `WhisperGender` and `WhisperLocale` must name a voice that exists',
    '(lint rule `whisper-voice-mismatch`); without a voice, the first one of the locale and gender is used.',
    '',
    '| Voice | Gender | Locales |',
    '|---|---|---|',
    ...voices,
    '',
  ].join('\n');
}
