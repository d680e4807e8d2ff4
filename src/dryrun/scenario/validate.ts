/**
 * Validation of a parsed scenario: the JSON Schema in `schemas/` (ajv) for shapes and values, then
 * what a schema says badly (one kind per expectation, fields that belong to another kind, verb and
 * attribute names the language does not have). Every problem names the field it is about, as path
 * segments the loader turns into `a.b[0].c` and a line and column. The expectation checks guard
 * their own types, so they also run on input the schema refused: a file's problems are reported
 * together (docs/dry-run.md).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { loadSchemaValidator } from '../../config/schema-validator.js';
import { allowedChildNames, closestMatch, findAttribute, findElement, findVerb } from '../../language/index.js';
import { EXPECTATION_KINDS, KIND_FIELDS, TIMING_FIELDS } from '../expect/types.js';
import type { ExpectationKind } from '../expect/types.js';

/** `schemas/` sits three levels above both `src/dryrun/scenario/` and `dist/dryrun/scenario/`. */
export const SCENARIO_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/scenario.schema.json', import.meta.url));

/** The event types, listed once in `schemas/events.schema.json`. */
const EVENTS_SCHEMA_PATH = fileURLToPath(new URL('../../../schemas/events.schema.json', import.meta.url));
let eventTypes: readonly string[] | undefined;
function knownEventTypes(): readonly string[] {
  eventTypes ??= (JSON.parse(readFileSync(EVENTS_SCHEMA_PATH, 'utf8')) as { properties: { type: { enum: string[] } } }).properties.type.enum;
  return eventTypes;
}

export interface ScenarioProblem {
  /** Path to the field (object keys and array indexes). */
  path: string[];
  message: string;
  /** The problem is about a key (unknown field), not its value: point at the key. */
  atKey?: boolean;
}

/** ajv options for the scenario schema (also used by the build's standalone validator). */
export const SCENARIO_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, strictTypes: false };
/** Written by `npm run build` next to dist/dryrun/scenario/validate.js. */
export const SCENARIO_VALIDATOR_URL = new URL('./scenario-schema-validator.cjs', import.meta.url);

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= loadSchemaValidator({ schemaPath: SCENARIO_SCHEMA_PATH, options: SCENARIO_AJV_OPTIONS, standaloneUrl: SCENARIO_VALIDATOR_URL });
  return compiled;
}

const PATTERN_HINTS: Record<string, string> = {
  '^[0-9A-Da-d*#]+$': 'must be DTMF digits (0-9, *, #, A-D)',
  '^[A-Za-z0-9+*#:._@-]{1,64}$': 'must be a phone number or extension (letters, digits, "+", "*", "#", ":", ".", "_", "@", "-")',
  '^[Hh][Tt][Tt][Pp][Ss]?://': 'must be an absolute http or https URL',
  '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$': 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
  '^[A-Za-z][A-Za-z0-9+.-]*:': 'must be an absolute URL',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$': 'must be an ISO 8601 date and time with a zone, e.g. 2026-01-01T09:00:00Z',
};

/**
 * Problems with the scenario's shape and values (`schema`), and with its expectations beyond what
 * the schema says (`expectations`, checked whether or not the schema accepts the input).
 */
export function validateScenario(value: unknown): { schema: ScenarioProblem[]; expectations: ScenarioProblem[] } {
  const validate = schemaValidator();
  const schema = validate(value) ? [] : unique(schemaProblems(validate.errors ?? [], value));
  return { schema, expectations: unique(expectationProblems(value)) };
}

function unique(problems: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join('\u0000')}\u0001${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const segment of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  return node;
}

function schemaProblems(errors: readonly ErrorObject[], data: unknown): ScenarioProblem[] {
  // A value of the wrong type makes every other keyword about it noise: report the type only.
  const typeErrors = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const out: ScenarioProblem[] = [];
  for (const e of errors) {
    const path = segmentsOf(e.instancePath);
    if (e.keyword !== 'type' && typeErrors.has(e.instancePath)) continue;
    switch (e.keyword) {
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        const name = (e.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty
          ?? (e.params as { unevaluatedProperty?: string }).unevaluatedProperty ?? '';
        const guess = closestMatch(name, knownFields(e));
        out.push({ path: [...path, name], atKey: true, message: `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}` });
        break;
      }
      case 'required':
        out.push({ path, message: `missing the required field "${(e.params as { missingProperty: string }).missingProperty}"` });
        break;
      case 'enum':
        out.push({ path, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` });
        break;
      case 'pattern':
        out.push({ path, message: PATTERN_HINTS[(e.params as { pattern: string }).pattern] ?? `must match ${(e.params as { pattern: string }).pattern}` });
        break;
      case 'type': {
        const wanted = ([] as string[]).concat((e.params as { type: string | string[] }).type);
        out.push({ path, message: `must be ${wanted.map(article).join(' or ')}, not ${typeName(valueAt(data, path))}` });
        break;
      }
      default:
        out.push({ path, message: e.message ?? 'is invalid' });
    }
  }
  return out;
}

function article(type: string): string {
  switch (type) {
    case 'object': return 'an object';
    case 'array': return 'a list';
    case 'integer': return 'a whole number';
    default: return `a ${type}`;
  }
}

/** Property names the failing schema (and the schemas it extends with `$ref`) knows. */
function knownFields(e: ErrorObject): string[] {
  const names = new Set<string>();
  const visit = (schema: unknown, depth: number): void => {
    if (!schema || typeof schema !== 'object' || depth > 4) return;
    const s = schema as { properties?: object; $ref?: string };
    for (const key of Object.keys(s.properties ?? {})) names.add(key);
    if (s.$ref?.startsWith('#/$defs/')) visit(DEFS()[s.$ref.slice('#/$defs/'.length)], depth + 1);
  };
  visit(e.parentSchema, 0);
  return [...names];
}

let defs: Record<string, unknown> | undefined;
function DEFS(): Record<string, unknown> {
  defs ??= (JSON.parse(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')) as { $defs: Record<string, unknown> }).$defs;
  return defs;
}

// ── expectations ──────────────────────────────────────────────────────────────────────────

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const EXPECT_GROUPS = ['ordered', 'unordered', 'never'] as const;

function expectationProblems(value: unknown): ScenarioProblem[] {
  const expect = isRecord(value) ? value['expect'] : undefined;
  const lists: Array<[string[], unknown]> = Array.isArray(expect)
    ? [[['expect'], expect]]
    : isRecord(expect) ? EXPECT_GROUPS.filter((name) => Object.hasOwn(expect, name)).map((name) => [['expect', name], expect[name]]) : [];
  const out: ScenarioProblem[] = [];
  for (const [base, list] of lists) {
    if (!Array.isArray(list)) continue; // the schema says what it must be
    list.forEach((item, index) => {
      if (isRecord(item)) out.push(...checkExpectation(item, [...base, String(index)]));
    });
  }
  return out;
}

/** Every field some expectation kind knows; others are the schema's "unknown field". */
const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>([
  ...EXPECTATION_KINDS, ...Object.values(KIND_FIELDS).flat(), ...TIMING_FIELDS,
]);

function checkExpectation(item: Record<string, unknown>, path: string[]): ScenarioProblem[] {
  // `leg` is also a field of `dtmfSent` (the leg the DTMF went to), `verb` one of `error` (the verb
  // that failed).
  const kinds = EXPECTATION_KINDS.filter((kind) => Object.hasOwn(item, kind)
    && !(kind === 'leg' && Object.hasOwn(item, 'dtmfSent'))
    && !(kind === 'verb' && Object.hasOwn(item, 'error')));
  if (kinds.length === 0) {
    return [{ path, message: `says nothing to match: give one of ${EXPECTATION_KINDS.map((k) => `"${k}"`).join(', ')}` }];
  }
  if (kinds.length > 1) {
    return [{ path: [...path, kinds[1]!], atKey: true, message: `one expectation matches one thing: "${kinds[0]}" and "${kinds[1]}" belong in separate entries` }];
  }
  const kind = kinds[0] as ExpectationKind;
  const allowed = new Set<string>([kind, ...KIND_FIELDS[kind], ...TIMING_FIELDS]);
  const out: ScenarioProblem[] = [];
  for (const field of Object.keys(item)) {
    if (!allowed.has(field) && KNOWN_FIELDS.has(field)) {
      const owners = EXPECTATION_KINDS.filter((k) => KIND_FIELDS[k].includes(field));
      const hint = owners.length > 0 ? `; it belongs to ${owners.map((k) => `"${k}"`).join(', ')} expectations` : '';
      out.push({ path: [...path, field], atKey: true, message: `does not apply to a "${kind}" expectation${hint}` });
    }
  }
  if (kind === 'leg' && item['state'] === undefined) out.push({ path, message: 'a "leg" expectation needs "state"' });
  if (kind === 'verb') out.push(...verbProblems(item, path));
  if (kind === 'error') out.push(...verbProblems({ verb: item['verb'] }, path));
  if (kind === 'event') out.push(...eventTypeProblems(item['event'], [...path, 'event', 'type']));
  for (const field of ['digits', 'dtmfSent', 'result', 'cause', 'target', 'url', 'endedBy', 'to', 'error', 'text'] as const) {
    const problem = regexProblem(item[field]);
    if (problem) out.push({ path: [...path, field], message: problem });
  }
  for (const group of ['attributes', 'params'] as const) {
    const values = item[group];
    if (isRecord(values)) {
      for (const [key, v] of Object.entries(values)) {
        const problem = regexProblem(v);
        if (problem) out.push({ path: [...path, group, key], message: problem });
      }
    }
  }
  return out;
}

/**
 * The verb and its attribute names must be the language's (the catalogue, aliases and any letter
 * case accepted, as in documents): a misspelt name would match nothing, and in `never` that passes.
 */
function verbProblems(item: Record<string, unknown>, path: string[]): ScenarioProblem[] {
  const name = item['verb'];
  if (typeof name !== 'string' || name === '') return []; // the schema says what it must be
  const spec = findVerb(name);
  if (!spec) {
    const block = findElement(name);
    if (block) return [{ path: [...path, 'verb'], message: `<${block.name}> is part of another verb, not a verb that runs: name the verb it belongs to` }];
    const guess = closestMatch(name, allowedChildNames(undefined));
    return [{ path: [...path, 'verb'], message: `unknown verb ${JSON.stringify(clipped(name))}${guess ? ` (did you mean "${guess}"?)` : ''}` }];
  }
  const attributes = item['attributes'];
  if (!isRecord(attributes)) return [];
  const out: ScenarioProblem[] = [];
  for (const attribute of Object.keys(attributes)) {
    if (findAttribute(spec, attribute)) continue;
    const guess = closestMatch(attribute, spec.attributes.map((a) => a.name));
    const known = spec.attributes.length === 0 ? '; it has no attributes' : guess ? ` (did you mean "${guess}"?)` : '';
    out.push({ path: [...path, 'attributes', attribute], atKey: true, message: `<${spec.name}> has no attribute ${JSON.stringify(clipped(attribute))}${known}` });
  }
  return out;
}

/** `event: { type }` must be a type the dry run emits, or it would match nothing. */
function eventTypeProblems(event: unknown, path: string[]): ScenarioProblem[] {
  const type = isRecord(event) ? event['type'] : undefined;
  if (typeof type !== 'string' || type === '' || knownEventTypes().includes(type)) return [];
  const guess = closestMatch(type, knownEventTypes());
  return [{ path, message: `unknown event type ${JSON.stringify(clipped(type))}${guess ? ` (did you mean "${guess}"?)` : ''}` }];
}

/** A name quoted in a message, shortened so a hostile file cannot produce megabyte messages. */
function clipped(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** `/…/` values must be valid regular expressions. */
function regexProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 2 || !value.startsWith('/') || !value.endsWith('/')) return undefined;
  try {
    new RegExp(value.slice(1, -1));
    return undefined;
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
}
