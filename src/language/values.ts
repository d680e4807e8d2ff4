/** Checks and converts attribute strings by their declared type — shared by the linter and the compiler. */
import type { AttributeType } from './catalogue/spec.js';
import { BUILTIN_TONES, CALLER_ID_POLICIES } from './vocabulary/index.js';

export interface ValueEnvironment {
  /** Extra tone names from the config. */
  tones?: readonly string[];
  /** Registered services; when absent, any service name is accepted. */
  services?: readonly string[];
}

export type Checked =
  | { ok: true; value: string | number | boolean }
  | { ok: false; message: string; suggestion?: string };

const DTMF = /^[0-9*#A-Da-d]+$/;
const ADDRESS = /^(?:\+?[0-9*#]{1,32}|(?:sips?:|tel:)[^\s]+|[A-Za-z0-9_.+-]+(?:@[A-Za-z0-9_.:-]+)?)$/;
const LANGUAGE = /^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Punctuation people write into numbers (`+1 (555) 010-0000`); the digits count without it. */
const NUMBER_PUNCTUATION = /[\s().-]/g;
const PHONE_NUMBER = /^\+?[0-9]{2,15}$/;

/** A telephone number: 2 to 15 digits (E.164's most) with an optional leading +, punctuation aside. */
export function isPhoneNumber(value: string): boolean {
  return PHONE_NUMBER.test(value.replace(NUMBER_PUNCTUATION, ''));
}

const bad = (message: string, suggestion?: string): Checked =>
  suggestion === undefined ? { ok: false, message } : { ok: false, message, suggestion };

function matchEnum(raw: string, values: readonly string[]): string | undefined {
  const lower = raw.toLowerCase();
  return values.find((v) => v.toLowerCase() === lower);
}

/** Validates `raw` (already free of variable references) and converts it to its typed value. */
export function checkValue(type: AttributeType, raw: string, env: ValueEnvironment = {}): Checked {
  const value = raw.trim();
  switch (type.kind) {
    case 'string':
      if (!value && !type.allowEmpty) return bad('must not be empty');
      if (type.pattern && !type.pattern.test(value)) return bad(`must be ${type.patternHint ?? `like ${type.pattern}`}`);
      return { ok: true, value: type.allowEmpty ? raw : value };
    case 'integer': {
      if (!/^[+-]?[0-9]+$/.test(value)) return bad('must be a whole number');
      const n = Number(value);
      if (type.min !== undefined && n < type.min) return bad(`must be at least ${type.min}`);
      if (type.max !== undefined && n > type.max) return bad(`must be at most ${type.max}`);
      return { ok: true, value: n };
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower === 'true') return { ok: true, value: true };
      if (lower === 'false') return { ok: true, value: false };
      return bad('must be true or false');
    }
    case 'enum': {
      const match = matchEnum(value, type.values) ?? type.aliases?.[value.toLowerCase()];
      return match !== undefined ? { ok: true, value: match } : bad(`must be one of ${type.values.join(', ')}`);
    }
    case 'url': {
      if (!value) return type.allowEmpty ? { ok: true, value: '' } : bad('must not be empty');
      const problem = urlProblem(value);
      return problem === undefined ? { ok: true, value } : bad(problem);
    }
    case 'dtmf':
      if (!DTMF.test(value)) return bad('must be DTMF keys (0-9, *, #, A-D)');
      if (type.maxLength !== undefined && value.length > type.maxLength) return bad(`must be at most ${type.maxLength} keys`);
      return { ok: true, value: value.toUpperCase() };
    case 'dtmf-key':
      return value.length === 1 && DTMF.test(value) ? { ok: true, value: value.toUpperCase() } : bad('must be one DTMF key (0-9, *, #, A-D)');
    case 'address':
      if (!value) return type.allowEmpty ? { ok: true, value: '' } : bad('must not be empty');
      return ADDRESS.test(value) ? { ok: true, value } : bad('must be a phone number, extension or SIP address');
    case 'phone-number':
      return isPhoneNumber(value) ? { ok: true, value } : bad('must be a phone number (digits with an optional leading +)');
    case 'caller-id': {
      const keyword = matchEnum(value, CALLER_ID_POLICIES);
      if (keyword) return { ok: true, value: keyword };
      return isPhoneNumber(value) ? { ok: true, value } : bad(`must be ${CALLER_ID_POLICIES.join(', ')} or a phone number`);
    }
    case 'identifier':
      return IDENTIFIER.test(value) ? { ok: true, value } : bad('must be a name of letters, digits and _ (not starting with a digit)');
    case 'tone': {
      const tones = [...BUILTIN_TONES, ...(env.tones ?? [])];
      const match = matchEnum(value, tones);
      return match !== undefined ? { ok: true, value: match } : bad(`must be a tone name: ${tones.join(', ')}`);
    }
    case 'service': {
      if (!value) return bad('must not be empty');
      if (!env.services) return { ok: true, value };
      const match = matchEnum(value, env.services);
      return match !== undefined ? { ok: true, value: match } : bad(`is not a registered service (${env.services.join(', ') || 'none registered'})`);
    }
    case 'language':
      return LANGUAGE.test(value) ? { ok: true, value } : bad('must be a language code such as en-US');
  }
}

/**
 * URL parsing was the largest single cost of compiling a small webhook reply, and replies repeat the
 * same links: checks and resolutions are remembered, up to this many of each (then forgotten at once).
 */
const URL_MEMORY = 512;
/** URL value → why it is not acceptable, or null when it is. */
const urlProblems = new Map<string, string | null>();
/** Base URL → value → resolved URL. */
const resolvedUrls = new Map<string, Map<string, string>>();
let resolvedCount = 0;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= URL_MEMORY) map.clear();
  map.set(detached(key), value);
  return value;
}

/**
 * A copy of `text` that does not keep a larger string alive: values are slices of their document,
 * and V8 may represent a slice as a view of the whole text, which a remembered key would retain.
 */
function detached(text: string): string {
  return (' ' + text).slice(1);
}

/** Why a (non-empty, trimmed) value is not an acceptable URL, or undefined. */
function urlProblem(value: string): string | undefined {
  const known = urlProblems.get(value);
  if (known !== undefined) return known ?? undefined;
  return remember(urlProblems, value, findUrlProblem(value)) ?? undefined;
}

/** `SELECT … FROM …`: the vendor's GoTo also takes an SQL query ("SQL OzML"), which ozml does not run. */
const SQL_QUERY = /^(?:select|with|exec(?:ute)?|call)\s/i;

function findUrlProblem(value: string): string | null {
  if (SQL_QUERY.test(value)) {
    return 'must be a URL, not an SQL query (ozml does not run the vendor\'s SQL OzML: serve the query\'s result as an OzML document from a web server and give its URL)';
  }
  if (/\s/.test(value)) return 'must be a URL (it contains white space)';
  let url: URL;
  try {
    url = new URL(value, 'http://relative.invalid/');
  } catch {
    return 'must be a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') {
    return `must be an http, https or file URL or a relative path, not ${url.protocol}`;
  }
  return null;
}

/** A URL value resolved against the document's URL (docs/language.md); left as written when it cannot be. */
export function resolveUrl(value: string, base: string | undefined): string {
  if (!base || !value) return value;
  let byValue = resolvedUrls.get(base);
  const known = byValue?.get(value);
  if (known !== undefined) return known;
  if (!byValue || resolvedCount >= URL_MEMORY) {
    if (resolvedCount >= URL_MEMORY) {
      resolvedUrls.clear();
      resolvedCount = 0;
    }
    resolvedUrls.set(detached(base), (byValue = new Map()));
  }
  const resolved = resolveUncached(value, base);
  byValue.set(detached(value), resolved);
  resolvedCount++;
  return resolved;
}

function resolveUncached(value: string, base: string): string {
  try {
    return new URL(value, base).href;
  } catch {
    return value;
  }
}
