/**
 * Loading a scenario: read the file, parse YAML/JSON with positions, validate (schema, then what
 * the schema cannot say: files that must exist, dates), and normalise into a `Scenario`. Every
 * problem is reported at once as `file:line:column: field.path: message`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CALLER_GIVE_UP } from '../../calls/sim/directory.js';
import type { PartyBehaviour } from '../../calls/sim/directory.js';
import { behaviourOf } from '../../calls/sim/party-file.js';
import { formatPath } from '../../config/index.js';
import type { ArrayItem } from '../../engine/index.js';
import { VARIABLE_NAME } from '../../language/index.js';
import type { DocumentContext } from '../../language/index.js';
import type { NotificationName } from '../../webhooks/index.js';
import type { Expectation, ExpectationSet } from '../expect/types.js';
import { parseScenarioText, ScenarioSyntaxError } from './read.js';
import type {
  CallDirection,
  CallFile,
  PartyFile,
  PlacedCall,
  Reply,
  ReplyFile,
  Scenario,
  ScenarioCall,
  ScenarioFile,
  Trigger,
  WebhookEntryFile,
  WebhookRoute,
} from './types.js';
import {
  DEFAULT_API_EXTENSION,
  DEFAULT_CALLER,
  DEFAULT_CLOCK_START,
  DEFAULT_MAX_SECONDS,
  DEFAULT_RECORDINGS_URL,
  SCRIPT_ORIGIN,
} from './types.js';
import { validateScenario } from './validate.js';
import type { ScenarioProblem } from './validate.js';

/** The scenario cannot be used; `problems` are ready to print, one per line. */
export class ScenarioError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: invalid scenario:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

export const SCENARIO_FILE_PATTERN = /\.scenario\.(json|ya?ml)$/i;

const isUrl = (text: string): boolean => /^[Hh][Tt][Tt][Pp][Ss]?:\/\//.test(text);
/** The scheme of a URL that is not http(s), e.g. `ftp` (two letters at least: `C:\x` is a path). */
const otherScheme = (text: string): string | undefined => /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(text)?.[1];

/** Reads and validates a scenario file. `shownPath` is how the file is named in messages (default: as given). */
export function loadScenario(file: string, shownPath: string = file): Scenario {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new ScenarioError(shownPath, [`${shownPath}: cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  return parseScenario(text, { path: absolute, shownPath });
}

/** Validates scenario text; relative paths resolve against the file's directory (or `baseDir`). */
export function parseScenario(text: string, options: { path?: string; shownPath?: string; baseDir?: string }): Scenario {
  const shown = options.shownPath ?? options.path ?? 'scenario';
  let parsed;
  try {
    parsed = parseScenarioText(text);
  } catch (error) {
    if (error instanceof ScenarioSyntaxError) throw new ScenarioError(shown, [`${shown}:${error.line}:${error.column}: ${error.message}`]);
    throw error;
  }
  // Every problem, in the order of the file.
  const report = (problems: readonly ScenarioProblem[]): never => {
    const located = problems.map((p) => ({ p, at: parsed.position(p.path, p.atKey) }));
    located.sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
    throw new ScenarioError(shown, located.map(({ p, at }) => `${shown}:${at.line}:${at.column}: ${formatPath(p.path, parsed.value)}: ${p.message}`));
  };
  const validation = validateScenario(parsed.value);
  const baseDir = options.baseDir ?? (options.path ? path.dirname(options.path) : process.cwd());
  const problems: ScenarioProblem[] = [...validation.schema, ...validation.expectations];
  // Input the schema refused is not normalised, but its files and dates are still checked (a
  // field the schema already faulted is reported once).
  if (validation.schema.length > 0) {
    const faulted = new Set(validation.schema.map((p) => p.path.join('\u0000')));
    report([...problems, ...referenceProblems(parsed.value, baseDir).filter((p) => !faulted.has(p.path.join('\u0000')))]);
  }
  const scenario = normalise(parsed.value as ScenarioFile, { baseDir, name: options.path ? scenarioName(options.path) : 'scenario' }, problems);
  if (options.path) scenario.path = options.path;
  if (problems.length > 0) report(problems);
  return scenario;
}

function scenarioName(file: string): string {
  return path.basename(file).replace(SCENARIO_FILE_PATTERN, '');
}

// ── normalisation ─────────────────────────────────────────────────────────────────────────

interface Where {
  baseDir: string;
  name: string;
}

/** Builds a scenario from a validated file (or from command-line options, which use the same shape). */
export function normalise(file: ScenarioFile, where: Where, problems: ScenarioProblem[]): Scenario {
  const { baseDir } = where;
  problems.push(...referenceProblems(file, baseDir));
  const readable = (relative: string): string => path.resolve(baseDir, relative);

  const scriptIsUrl = isUrl(file.script);
  const scheme = scriptIsUrl ? undefined : otherScheme(file.script);
  if (scheme !== undefined) {
    problems.push({ path: ['script'], message: `${file.script}: the ${scheme}: scheme is not supported; a script is a local file or an http:// or https:// URL` });
  }
  const scriptFile = scriptIsUrl || scheme !== undefined ? undefined : readable(file.script);
  const call = normaliseCall(file.call ?? {}, scriptIsUrl ? file.script : undefined, scriptFile);
  // Nothing but the script (`ozml run script.xml`): the default caller, who gives up on calls that
  // would never end instead of waiting for the time limit.
  if (Object.keys(file).every((key) => key === 'script')) call.behaviour.giveUp = { ...DEFAULT_CALLER_GIVE_UP };
  const calls = (file.calls ?? []).map((placed): PlacedCall => {
    const { atSeconds, script, ...rest } = placed;
    const own = script === undefined ? undefined : isUrl(script) ? { script } : { script, scriptFile: readable(script) };
    const normal = own
      ? normaliseCall(rest, own.scriptFile ? undefined : own.script, own.scriptFile)
      : normaliseCall(rest, scriptIsUrl ? file.script : undefined, scriptFile);
    return { ...normal, atMs: Math.round((atSeconds ?? 0) * 1000), ...own };
  });
  checkCallIds([call, ...calls], problems);

  const parties: Record<string, PartyBehaviour> = {};
  let defaultParty: PartyBehaviour | undefined;
  for (const [number, party] of Object.entries(file.parties ?? {})) {
    if (number === '*') defaultParty = behaviourOf(party);
    else parties[number] = behaviourOf(party);
  }
  const services: Record<string, PartyBehaviour> = {};
  for (const [name, party] of Object.entries(file.services ?? {})) services[name] = behaviourOf(party);

  const webhooks = normaliseWebhooks(file.webhooks, readable);

  const triggers: Trigger[] = (file.notifications ?? []).map((t) => ({
    atMs: Math.round(t.atSeconds * 1000),
    name: t.name,
    url: t.url,
    call: t.call ?? 'caller',
    params: stringParams(t.params),
  }));

  for (const name of Object.keys(file.arrays ?? {})) {
    // What ForEach Source and `ozml lint --known-array` take.
    if (!VARIABLE_NAME.test(name)) problems.push({ path: ['arrays', name], message: 'is not an array name: 1-128 letters, digits or "_", not starting with a digit' });
  }

  const start = Date.parse(file.clock?.start ?? DEFAULT_CLOCK_START);

  const scenario: Scenario = {
    baseDir,
    name: file.name ?? where.name,
    script: file.script,
    ...(scriptFile ? { scriptFile } : {}),
    ...(file.config ? { config: readable(file.config) } : {}),
    ...(file.app !== undefined ? { app: file.app } : {}),
    seed: String(file.seed ?? 1),
    call,
    calls,
    parties,
    ...(defaultParty ? { defaultParty } : {}),
    services,
    webhooks,
    passThroughUnmatched: scriptIsUrl,
    triggers,
    clock: { startMs: start, maxMs: Math.round((file.clock?.maxSeconds ?? DEFAULT_MAX_SECONDS) * 1000) },
    recordingsBaseUrl: file.recordings?.baseUrl ?? DEFAULT_RECORDINGS_URL,
    media: { ...file.media },
    arrays: scenarioArrays(file.arrays),
    expect: expectationSet(file.expect),
    ...(file.golden ? { golden: path.resolve(baseDir, file.golden) } : {}),
  };
  return scenario;
}

function defaultNotification(direction: CallDirection, context: DocumentContext): NotificationName {
  if (context === 'third-party') return 'CallChanged';
  if (context === 'routing') return 'RoutingInterception';
  return direction === 'outbound' ? 'CallConnected' : 'IncomingCall';
}

function normaliseCall(call: CallFile, scriptUrl: string | undefined, scriptFile: string | undefined): ScenarioCall {
  const direction = call.direction ?? 'inbound';
  const context = call.context ?? 'api-extension';
  const apiExtension = call.apiExtension ?? DEFAULT_API_EXTENSION;
  const inbound = direction !== 'outbound';
  const url = call.url ?? scriptUrl ?? `${SCRIPT_ORIGIN}${encodeURIComponent(path.basename(scriptFile ?? 'script.xml'))}`;
  return {
    ...(call.id !== undefined ? { id: call.id } : {}),
    from: call.from ?? (inbound ? DEFAULT_CALLER : apiExtension),
    to: call.to ?? (inbound ? apiExtension : DEFAULT_CALLER),
    direction,
    context,
    notification: call.notification ?? defaultNotification(direction, context),
    url,
    params: stringParams(call.params),
    ...(call.displayName !== undefined ? { displayName: call.displayName } : {}),
    internal: call.internal ?? false,
    diversions: (call.diversions ?? []).map((d) => ({ number: d.number, reason: d.reason ?? 'unknown' })),
    apiExtension,
    behaviour: behaviourOf(call),
  };
}

/** Ids the platform mints itself (docs/platform.md "Ids"): a fixed id of that form could collide. */
const MINTED_ID = /^(in-|leg-|s)\d+$/;

/** Fixed call ids are unique and never of the platform's own form. */
function checkCallIds(calls: readonly ScenarioCall[], problems: ScenarioProblem[]): void {
  const seen = new Set<string>();
  calls.forEach((call, index) => {
    if (call.id === undefined) return;
    const at = index === 0 ? ['call', 'id'] : ['calls', String(index - 1), 'id'];
    if (MINTED_ID.test(call.id)) problems.push({ path: at, message: `"${call.id}" has the form of an id the platform mints (in-N, leg-N, sN); choose another` });
    else if (seen.has(call.id)) problems.push({ path: at, message: `"${call.id}" is the id of another call of this scenario` });
    seen.add(call.id);
  });
}

/**
 * The arrays sessions start with: the scenario's, with values as text (YAML writes numbers), and
 * `voicemails` empty unless given (lint knows it as the platform's, so a run must have it too).
 */
function scenarioArrays(arrays: ScenarioFile['arrays']): Record<string, ArrayItem[]> {
  const out: Record<string, ArrayItem[]> = { voicemails: [] };
  for (const [name, items] of Object.entries(arrays ?? {})) {
    out[name] = items.map((item) => (typeof item === 'object' ? stringParams(item) : String(item)));
  }
  return out;
}

function stringParams(params: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params ?? {})) out[key] = String(value);
  return out;
}

/** A reply written as a string: empty (the script continues), inline OzML, or a file name. */
function stringReplyKind(reply: string): 'empty' | 'ozml' | 'file' {
  if (reply.trim() === '') return 'empty';
  return reply.trimStart().startsWith('<') ? 'ozml' : 'file';
}

function normaliseWebhooks(webhooks: ScenarioFile['webhooks'], readable: (relative: string) => string): WebhookRoute[] {
  if (webhooks === undefined) return [];
  const reply = (r: ReplyFile): Reply => {
    if (typeof r === 'string') {
      const kind = stringReplyKind(r);
      if (kind === 'empty') return {};
      return kind === 'ozml' ? { ozml: r } : { file: readable(r) };
    }
    const out: Reply = {};
    if (r.ozml !== undefined) out.ozml = r.ozml;
    if (r.file !== undefined) out.file = readable(r.file);
    if (r.status !== undefined) out.status = r.status;
    if (r.delaySeconds !== undefined) out.delayMs = Math.round(r.delaySeconds * 1000);
    if (r.passThrough === true || typeof r.passThrough === 'string') out.passThrough = r.passThrough;
    return out;
  };
  if (!Array.isArray(webhooks)) {
    return Object.entries(webhooks).map(([url, r]) => ({ url, replies: [reply(r)] }));
  }
  return webhooks.map((entry: WebhookEntryFile) => {
    const { url, notification, params, replies, ...single } = entry;
    const list = replies ? replies.map(reply) : [reply(single)];
    return {
      url,
      ...(notification ? { notification } : {}),
      ...(params ? { params: stringParams(params) } : {}),
      replies: list,
    };
  });
}

// ── what the schema cannot say ────────────────────────────────────────────────────────────

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The files a scenario names (script, config, reply files), each with the field that names it. */
function fileReferences(file: Record<string, unknown>): Array<{ relative: string; at: string[]; what: string }> {
  const out: Array<{ relative: string; at: string[]; what: string }> = [];
  if (typeof file['script'] === 'string' && file['script'] !== '' && !isUrl(file['script']) && otherScheme(file['script']) === undefined) out.push({ relative: file['script'], at: ['script'], what: 'the script' });
  if (typeof file['config'] === 'string' && file['config'] !== '') out.push({ relative: file['config'], at: ['config'], what: 'the config file' });
  const reply = (r: unknown, at: string[]): void => {
    if (typeof r === 'string' && stringReplyKind(r) === 'file') out.push({ relative: r, at, what: 'the reply file' });
    else if (isRecord(r) && typeof r['file'] === 'string' && r['file'] !== '') out.push({ relative: r['file'], at: [...at, 'file'], what: 'the reply file' });
  };
  const calls = file['calls'];
  if (Array.isArray(calls)) {
    calls.forEach((placed, index) => {
      const script = isRecord(placed) ? placed['script'] : undefined;
      if (typeof script === 'string' && script !== '' && !isUrl(script)) out.push({ relative: script, at: ['calls', String(index), 'script'], what: 'the script' });
    });
  }
  const webhooks = file['webhooks'];
  if (Array.isArray(webhooks)) {
    webhooks.forEach((entry, index) => {
      if (!isRecord(entry)) return;
      const at = ['webhooks', String(index)];
      if (Array.isArray(entry['replies'])) entry['replies'].forEach((r, i) => reply(r, [...at, 'replies', String(i)]));
      else reply(entry, at);
    });
  } else if (isRecord(webhooks)) {
    for (const [url, r] of Object.entries(webhooks)) reply(r, ['webhooks', url]);
  }
  return out;
}

/**
 * Files that must exist and dates that must be real. Guards its own types, so it also runs on
 * input the schema refused and those problems are reported with the schema's.
 */
function referenceProblems(value: unknown, baseDir: string): ScenarioProblem[] {
  if (!isRecord(value)) return [];
  const problems: ScenarioProblem[] = [];
  for (const { relative, at, what } of fileReferences(value)) {
    const absolute = path.resolve(baseDir, relative);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) problems.push({ path: at, message: `${what} ${relative} does not exist` });
  }
  const clock = value['clock'];
  const start = isRecord(clock) ? clock['start'] : undefined;
  if (typeof start === 'string' && Number.isNaN(Date.parse(start))) problems.push({ path: ['clock', 'start'], message: 'is not a valid date and time' });
  return problems;
}

function expectationSet(expect: ScenarioFile['expect']): ExpectationSet {
  if (expect === undefined) return { ordered: [], unordered: [], never: [] };
  if (Array.isArray(expect)) return { ordered: expect, unordered: [], never: [] };
  const set = expect as Partial<ExpectationSet>;
  const list = (l: Expectation[] | undefined): Expectation[] => l ?? [];
  return { ordered: list(set.ordered), unordered: list(set.unordered), never: list(set.never) };
}
