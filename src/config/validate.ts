/**
 * Validation of a parsed config: the JSON Schema in `schemas/` (ajv) for shapes and ranges, then
 * the checks a schema cannot express (URLs, CIDRs, environment secrets, known rule ids), then
 * normalisation. Every problem is reported, each as `json.path: message`.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import { RULES, closestMatch, findRule } from '../language/index.js';
import { isSettingName, isBuiltinTone, settingFromName } from '../language/vocabulary/index.js';
import { ConfigError } from './errors.js';
import { loadSchemaValidator } from './schema-validator.js';
import { normaliseServe } from './serve.js';
import { APP_DEFAULTS } from './types.js';
import type { AppConfig, LintContextMapping, OzmlConfig, ToneDefinition } from './types.js';

/** `schemas/` sits two levels above both `src/config/` and `dist/config/`. */
export const CONFIG_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/ozml.config.schema.json', import.meta.url));
/**
 * Schemas the config schema refers to: `serve.sim.parties` use the scenario file's party
 * definition (written for strictTypes off, as the scenario validator compiles it).
 */
export const CONFIG_SCHEMA_REFERENCES: readonly string[] = [fileURLToPath(new URL('../../schemas/scenario.schema.json', import.meta.url))];

/** ajv options for the config schema (also used by the build's standalone validator). */
export const CONFIG_AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, strictTypes: false };
/** Written by `npm run build` next to dist/config/validate.js. */
export const CONFIG_VALIDATOR_URL = new URL('./config-schema-validator.cjs', import.meta.url);

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiled ??= loadSchemaValidator({
    schemaPath: CONFIG_SCHEMA_PATH, references: CONFIG_SCHEMA_REFERENCES, options: CONFIG_AJV_OPTIONS, standaloneUrl: CONFIG_VALIDATOR_URL,
  });
  return compiled;
}

/** Friendlier words for the schema's patterns. */
const PATTERN_HINTS: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$': 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
  '^\\+?[0-9]{2,15}$': 'must be a phone number: 2-15 digits with an optional leading "+"',
  '^[a-z0-9][a-z0-9-]{0,63}$': 'must be lower-case letters, digits and "-"',
  '^[a-z0-9][a-z0-9-]*$': 'must be a rule id (lower-case letters, digits and "-")',
  '^[A-Za-z0-9._-]{1,64}$': 'must be 1-64 letters, digits, ".", "_" or "-"',
  '^[Hh][Tt][Tt][Pp][Ss]?://': 'must be an absolute http or https URL',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'must be an environment variable name',
  '^[A-Za-z_][A-Za-z0-9_]{0,127}$': 'must be a variable name: 1-128 letters, digits or "_", not starting with a digit',
  '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$': 'must be HOST:PORT (use [ADDRESS]:PORT for IPv6)',
  '^(scrypt:|env:)': 'must be an scrypt hash (`ozml serve --hash-password`) or env:NAME, never the password itself',
};

export interface ValidateOptions {
  /** Directory relative paths resolve against (default: the working directory). */
  baseDir?: string;
  /** Where `{"env": …}` secrets are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Leave `{"env": …}` secrets unread (and unchecked): for commands that never sign requests, such
   * as `ozml lint` in a CI job that does not have the app's secret.
   */
  skipSecrets?: boolean;
  /** Shown in ConfigError messages. */
  path?: string;
}

/** Validates and normalises; throws ConfigError listing every problem. */
export function validateConfig(value: unknown, options: ValidateOptions = {}): OzmlConfig {
  const messages: string[] = [];
  const validate = schemaValidator();
  if (!validate(value)) messages.push(...formatSchemaErrors(validate.errors ?? [], value));
  const config = normalise(value, options, messages);
  if (messages.length > 0) throw new ConfigError(unique(messages), options.path);
  return config;
}

function unique(messages: string[]): string[] {
  return [...new Set(messages)];
}

// ---------------------------------------------------------------------------------------------
// Schema errors → `json.path: message`

function formatSchemaErrors(errors: readonly ErrorObject[], data: unknown): string[] {
  const out: string[] = [];
  for (const e of errors) {
    // `if` only says which branch failed; the branch's own error says why.
    if (e.keyword === 'if' || e.keyword === 'propertyNames') continue;
    const segments = pointerSegments(e.instancePath);
    const at = formatPath(segments, data);
    const propertyName = (e as { propertyName?: string }).propertyName;
    if (propertyName !== undefined) {
      // An error inside `propertyNames`: it is about a key, not a value.
      const hint = e.keyword === 'pattern' ? PATTERN_HINTS[(e.params as { pattern: string }).pattern] : undefined;
      out.push(`${formatPath([...segments, propertyName], data)}: the name ${JSON.stringify(propertyName)} ${hint ?? e.message ?? 'is invalid'}`);
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties': {
        const name = (e.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const guess = closestMatch(name, known);
        out.push(`${formatPath([...segments, name], data)}: unknown property${guess ? ` (did you mean "${guess}"?)` : ''}`);
        break;
      }
      case 'required':
        out.push(`${formatPath([...segments, (e.params as { missingProperty: string }).missingProperty], data)}: is required`);
        break;
      case 'enum':
        out.push(`${at}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'pattern':
        out.push(`${at}: ${PATTERN_HINTS[(e.params as { pattern: string }).pattern] ?? e.message ?? 'is invalid'}`);
        break;
      case 'uniqueItems': {
        const { i, j } = e.params as { i: number; j: number };
        out.push(`${formatPath([...segments, String(Math.max(i, j))], data)}: duplicates item ${Math.min(i, j)}`);
        break;
      }
      default:
        out.push(`${at}: ${e.message ?? 'is invalid'}`);
    }
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `apps.main.timeouts.connectMs`, `lint.contexts[0].files`, `apps["my app"]`; the root is `(root)`. */
export function formatPath(segments: readonly string[], data: unknown): string {
  let out = '';
  let node: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return out === '' ? '(root)' : out;
}

// ---------------------------------------------------------------------------------------------
// Checks the schema cannot make, and normalisation. Every check guards its own types, so it is
// safe on input the schema refused (its problems are reported together with the schema's).

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function normalise(value: unknown, options: ValidateOptions, messages: string[]): OzmlConfig {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const root = isObject(value) ? value : {};
  const config: OzmlConfig = { baseDir, apps: {}, ownedNumbers: [], services: {}, tones: {}, extensions: {}, limits: {}, lint: { rules: {}, contexts: [] } };
  if (options.path !== undefined) config.path = options.path;

  if (isObject(root['apps'])) {
    for (const [name, app] of Object.entries(root['apps'])) {
      if (isObject(app)) config.apps[name] = normaliseApp(app, formatPath(['apps', name], root), options.skipSecrets ? undefined : options.env ?? process.env, messages);
    }
  }
  if (Array.isArray(root['ownedNumbers'])) config.ownedNumbers = root['ownedNumbers'].filter((n): n is string => typeof n === 'string');

  if (isObject(root['services'])) {
    for (const [name, target] of Object.entries(root['services'])) {
      if (typeof target !== 'string' || target === '') continue;
      const at = formatPath(['services', name], root);
      if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
        const url = parseHttpUrl(target);
        if (url) config.services[name] = url.href;
        else messages.push(`${at}: must be an http(s) URL or a file path`);
      } else {
        config.services[name] = path.resolve(baseDir, target);
      }
    }
  }

  if (isObject(root['tones'])) {
    for (const [name, tone] of Object.entries(root['tones'])) {
      const at = formatPath(['tones', name], root);
      if (isBuiltinTone(name)) messages.push(`${at}: redefines the built-in tone "${name}"; choose another name`);
      if (isObject(tone) && Array.isArray(tone['cadenceMs']) && tone['cadenceMs'].length >= 2 && tone['cadenceMs'].length % 2 !== 0) {
        messages.push(`${at}.cadenceMs: must list on/off pairs (an even number of values)`);
      }
      if (typeof tone === 'string' || isObject(tone)) config.tones[name] = tone as ToneDefinition;
    }
  }

  if (isObject(root['extensions'])) {
    for (const [number, app] of Object.entries(root['extensions'])) {
      if (typeof app !== 'string' || app === '') continue;
      if (!Object.hasOwn(config.apps, app)) {
        const known = Object.keys(config.apps);
        messages.push(`${formatPath(['extensions', number], root)}: no app "${app}" in apps (apps: ${known.length > 0 ? known.join(', ') : 'none'})`);
      }
      config.extensions[number] = app;
    }
  }
  if (isObject(root['limits'])) {
    for (const [name, value] of Object.entries(root['limits'])) {
      if ((name === 'outboundCallsPerSession' || name === 'concurrentCallsPerApp' || name === 'callsPerSecondPerApp') && typeof value === 'number') config.limits[name] = value;
    }
  }

  if (isObject(root['serve'])) {
    config.serve = normaliseServe(root['serve'], 'serve', options.skipSecrets ? undefined : options.env ?? process.env, allowEntryProblem, messages);
  }

  if (typeof root['storageRoot'] === 'string' && root['storageRoot'] !== '') config.storageRoot = path.resolve(baseDir, root['storageRoot']);

  const lint = root['lint'];
  if (isObject(lint)) {
    if (isObject(lint['rules'])) {
      for (const [id, level] of Object.entries(lint['rules'])) {
        if (typeof level !== 'string') continue;
        const at = formatPath(['lint', 'rules', id], root);
        const rule = findRule(id);
        if (!rule) {
          const guess = closestMatch(id, RULES.map((r) => r.meta.id));
          messages.push(`${at}: unknown rule${guess ? ` (did you mean "${guess}"?)` : ''}`);
          continue;
        }
        if (!isSettingName(level)) continue; // the schema reported it
        const setting = settingFromName(level);
        if (rule.meta.fatal && setting !== 'error') {
          messages.push(`${at}: cannot be changed (a document failing "${id}" cannot be read at all)`);
          continue;
        }
        config.lint.rules[id] = setting;
      }
    }
    for (const key of ['knownVariables', 'knownArrays'] as const) {
      const names = lint[key];
      if (Array.isArray(names)) config.lint[key] = names.filter((n): n is string => typeof n === 'string');
    }
    if (Array.isArray(lint['contexts'])) {
      config.lint.contexts = lint['contexts'].filter(
        (c): c is LintContextMapping => isObject(c) && typeof c['files'] === 'string' && typeof c['context'] === 'string',
      );
    }
  }
  return config;
}

function normaliseApp(app: Obj, at: string, env: Readonly<Record<string, string | undefined>> | undefined, messages: string[]): AppConfig {
  const timeouts = isObject(app['timeouts']) ? app['timeouts'] : {};
  const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) ? v : fallback);
  const totalMs = int(timeouts['totalMs'], APP_DEFAULTS.totalMs);
  const out: AppConfig = {
    bodyFormat: app['bodyFormat'] === 'json' ? 'json' : APP_DEFAULTS.bodyFormat,
    timeouts: { connectMs: int(timeouts['connectMs'], APP_DEFAULTS.connectMs), readMs: int(timeouts['readMs'], totalMs), totalMs },
    retries: int(app['retries'], APP_DEFAULTS.retries),
    retryBackoffMs: int(app['retryBackoffMs'], APP_DEFAULTS.retryBackoffMs),
    maxBodyBytes: int(app['maxBodyBytes'], APP_DEFAULTS.maxBodyBytes),
    allowAddresses: Array.isArray(app['allowAddresses']) ? app['allowAddresses'].filter((a): a is string => typeof a === 'string') : [],
  };
  for (const key of ['connectMs', 'readMs'] as const) {
    if (typeof timeouts[key] === 'number' && out.timeouts[key] > totalMs) {
      messages.push(`${at}.timeouts.${key}: must not exceed totalMs (${totalMs})`);
    }
  }

  let base: URL | undefined;
  if (typeof app['publicBaseUrl'] === 'string') {
    base = parseHttpUrl(app['publicBaseUrl']);
    if (base) out.publicBaseUrl = base.href;
    else messages.push(`${at}.publicBaseUrl: must be an absolute http or https URL`);
  }
  for (const key of ['incomingCallUrl', 'errorUrl', 'fallbackUrl'] as const) {
    const raw = app[key];
    if (typeof raw !== 'string' || raw === '') continue;
    const resolved = resolveAppUrl(raw, base);
    if (typeof resolved === 'string') out[key] = resolved;
    else messages.push(`${at}.${key}: ${resolved.error}`);
  }

  const secret = app['secret'];
  if (typeof secret === 'string') {
    out.secret = secret;
  } else if (env && isObject(secret) && typeof secret['env'] === 'string') {
    const fromEnv = env[secret['env']];
    if (fromEnv === undefined || fromEnv === '') messages.push(`${at}.secret: environment variable ${secret['env']} is not set`);
    else if (fromEnv.length < 16) messages.push(`${at}.secret: environment variable ${secret['env']} must hold at least 16 characters`);
    else out.secret = fromEnv;
  }
  if (typeof app['keyId'] === 'string') {
    out.keyId = app['keyId'];
    if (secret === undefined) messages.push(`${at}.keyId: has no effect without a secret`);
  }

  if (Array.isArray(app['allowAddresses'])) {
    app['allowAddresses'].forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const problem = allowEntryProblem(entry);
      if (problem) messages.push(`${at}.allowAddresses[${i}]: ${problem}`);
    });
  }
  return out;
}

function parseHttpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function resolveAppUrl(raw: string, base: URL | undefined): string | { error: string } {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw)) {
    return parseHttpUrl(raw)?.href ?? { error: 'must be an http or https URL' };
  }
  if (!base) return { error: 'must be an absolute http(s) URL (or set publicBaseUrl to use relative URLs)' };
  try {
    return new URL(raw, base).href;
  } catch {
    return { error: 'is not a valid URL' };
  }
}

const ADDRESS_KEYWORDS = ['loopback', 'private', 'link-local'];

/** Mirrors the webhook client's parser (src/webhooks/address-policy.ts), which config does not import. */
function allowEntryProblem(entry: string): string | undefined {
  if (ADDRESS_KEYWORDS.includes(entry)) return undefined;
  const [address = '', prefix, extra] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return `"${entry}" is not an IP address, a CIDR or one of ${ADDRESS_KEYWORDS.join(', ')}`;
  const max = family === 4 ? 32 : 128;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) return `"${entry}" has an invalid prefix length (0-${max})`;
  return undefined;
}

