/**
 * Expectations compiled to matchers over a run's events. A matcher is a list of named checks on
 * the events of one type; an event matches when every check holds, and the events that pass the
 * most checks are the "nearest" ones shown when nothing matches.
 */
import { findAttribute, findVerb } from '../../language/index.js';
import { COMMON_PARAMS } from '../../webhooks/index.js';
import type { DryRunEvent } from '../events.js';
import type { Expectation, Scalar, Timing } from './types.js';

/** What the matchers need to know beyond a single event. */
export interface RunIndex {
  events: readonly DryRunEvent[];
  /** The scenario call's leg. */
  mainLeg: string | null;
  /** verb.finished index → its verb.started index. */
  verbStarts: ReadonlyMap<number, number>;
  /** Every request to the app, by event index: see `SentNotification`. */
  notifications: ReadonlyMap<number, SentNotification>;
  /** leg id → the numbers it was created with (`to`, `from`). */
  legNumbers: ReadonlyMap<string, { from: string; to: string }>;
}

/**
 * A notification sent to the app, whichever part sent it: the engine (`notification.requested`),
 * or the failure policy — an Error notification to the ErrorUrl (`webhook.error-notification`,
 * name `Error`) or the failed notification again to the FallbackUrl (`webhook.fallback`). The
 * policy's events carry no parameters; they are the ones the policy sends (docs/webhooks.md),
 * rebuilt from the failed request.
 */
export interface SentNotification {
  name: string;
  url: string;
  params: Readonly<Record<string, string>>;
  /** `document`, `empty` or `failed`; undefined for Error notifications, whose replies are not used. */
  reply: string | undefined;
}

/** The event types a notification expectation looks at. */
export const NOTIFICATION_EVENT_TYPES = ['notification.requested', 'webhook.error-notification', 'webhook.fallback'] as const;

export interface Check {
  name: string;
  test: (event: DryRunEvent, index: number) => boolean;
}

export interface Matcher {
  description: string;
  /** The event types this matcher looks at. */
  types: readonly DryRunEvent['type'][];
  /** What those events are, for "no … at all" (default: `<type> event`). */
  subject?: string;
  checks: Check[];
}

export function buildIndex(events: readonly DryRunEvent[]): RunIndex {
  const verbStarts = new Map<number, number>();
  const legNumbers = new Map<string, { from: string; to: string }>();
  const stacks = new Map<string, number[]>();
  const notifications = new Map<number, SentNotification>();
  /** Requests waiting for their reply: engine requests by session and name, fallbacks by name and URL. */
  const pending = new Map<string, number[]>();
  const pendingFallbacks = new Map<string, number[]>();
  /** The parameters of the last request to a URL, and the last failure's detail there. */
  const lastParams = new Map<string, Readonly<Record<string, string>>>();
  const lastDetail = new Map<string, string>();
  const take = (map: Map<string, number[]>, key: string): number | undefined => map.get(key)?.shift();
  const queue = (map: Map<string, number[]>, key: string, i: number): void => {
    map.set(key, [...(map.get(key) ?? []), i]);
  };
  let mainLeg: string | null = null;
  events.forEach((e, i) => {
    switch (e.type) {
      case 'run.started':
        mainLeg = e.leg;
        break;
      case 'leg.created':
        legNumbers.set(e.legId, { from: e.from, to: e.to });
        break;
      case 'verb.started': {
        const stack = stacks.get(e.sessionId) ?? [];
        stack.push(i);
        stacks.set(e.sessionId, stack);
        break;
      }
      case 'verb.finished': {
        const started = stacks.get(e.sessionId)?.pop();
        if (started !== undefined) verbStarts.set(i, started);
        break;
      }
      case 'notification.requested':
        notifications.set(i, { name: e.name, url: e.url, params: e.params, reply: undefined });
        lastParams.set(e.url, e.params);
        queue(pending, `${e.sessionId} ${e.name}`, i);
        break;
      case 'webhook.failure':
        lastDetail.set(e.url, e.detail);
        break;
      case 'webhook.error-notification': {
        const failed = lastParams.get(e.failedUrl) ?? {};
        const params: Record<string, string> = {};
        for (const name of COMMON_PARAMS) if (failed[name] !== undefined) params[name] = failed[name]!;
        params['ErrorCode'] = String(e.code);
        params['ErrorUrl'] = e.failedUrl;
        const detail = lastDetail.get(e.failedUrl);
        if (detail !== undefined) params['Detail'] = detail;
        notifications.set(i, { name: 'Error', url: e.url, params, reply: undefined });
        break;
      }
      case 'webhook.fallback': {
        const params = { ...lastParams.get(e.failedUrl), ErrorCode: String(e.code), ErrorUrl: e.failedUrl };
        notifications.set(i, { name: e.notification, url: e.url, params, reply: undefined });
        lastParams.set(e.url, params);
        queue(pendingFallbacks, `${e.notification} ${e.url}`, i);
        break;
      }
      case 'notification.replied': {
        const asked = take(pending, `${e.sessionId} ${e.name}`);
        const askedNotification = asked === undefined ? undefined : notifications.get(asked);
        // Answered from the FallbackUrl: the reply is the fallback request's, the first one failed.
        const fallback = askedNotification && askedNotification.url !== e.url ? take(pendingFallbacks, `${e.name} ${e.url}`) : undefined;
        if (askedNotification) askedNotification.reply = fallback === undefined ? e.reply : 'failed';
        const fallbackNotification = fallback === undefined ? undefined : notifications.get(fallback);
        if (fallbackNotification) fallbackNotification.reply = e.reply;
        break;
      }
      default:
        break;
    }
  });
  return { events, mainLeg, verbStarts, notifications, legNumbers };
}

/** Exact text, or a regular expression written `/…/`. */
export function valueMatches(expected: Scalar, actual: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  const text = typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  if (typeof expected === 'string' && isPattern(expected)) {
    return new RegExp(expected.slice(1, -1)).test(text);
  }
  return String(expected) === text;
}

/** Every field of `expected` is in `actual` (objects recursively, lists element by element). */
function subsetMatches(expected: unknown, actual: unknown): boolean {
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    if (Array.isArray(expected)) {
      return Array.isArray(actual) && expected.length === actual.length && expected.every((item, i) => subsetMatches(item, actual[i]));
    }
    return Object.entries(expected).every(([key, value]) => subsetMatches(value, (actual as Record<string, unknown>)[key]));
  }
  return valueMatches(expected as Scalar, actual);
}

/** A value as a report shows it: strings quoted (patterns as written), lists and objects as JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return isPattern(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const isPattern = (value: string): boolean => value.length >= 2 && value.startsWith('/') && value.endsWith('/');

function showMap(values: Readonly<Record<string, unknown>>): string {
  return `{${Object.entries(values).map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`;
}

/** A verb's attribute by its name as written in the expectation (an alias or any letter case). */
function attributeValue(verb: string, values: Readonly<Record<string, unknown>>, name: string): unknown {
  const spec = findVerb(verb);
  const attribute = spec ? findAttribute(spec, name) : undefined;
  return lookup(values, attribute?.name ?? name);
}

function lookup(values: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(values, name)) return values[name];
  const lower = name.toLowerCase();
  const key = Object.keys(values).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : values[key];
}

/** `caller`, a leg id, or a number the leg dialled / came from. */
function legCheck(index: RunIndex, selector: string): Check {
  return {
    name: `leg ${selector}`,
    test: (e) => {
      const legId = (e as { legId?: string }).legId;
      if (legId === undefined) return false;
      if (legId === selector || (selector === 'caller' && legId === index.mainLeg)) return true;
      const numbers = index.legNumbers.get(legId);
      return numbers !== undefined && legId !== index.mainLeg && (numbers.to === selector || numbers.from === selector);
    },
  };
}

function timingChecks(t: Timing): { checks: Check[]; words: string } {
  const checks: Check[] = [];
  const words: string[] = [];
  if (t.atSeconds !== undefined) {
    checks.push({ name: `at ${t.atSeconds}s`, test: (e) => Math.abs(e.t - t.atSeconds!) < 0.0005 });
    words.push(`at ${t.atSeconds}s`);
  }
  if (t.afterSeconds !== undefined) {
    checks.push({ name: `after ${t.afterSeconds}s`, test: (e) => e.t >= t.afterSeconds! });
    words.push(`after ${t.afterSeconds}s`);
  }
  if (t.withinSeconds !== undefined) {
    checks.push({ name: `within ${t.withinSeconds}s`, test: (e) => e.t <= t.withinSeconds! });
    words.push(`within ${t.withinSeconds}s`);
  }
  return { checks, words: words.length > 0 ? ` ${words.join(' ')}` : '' };
}

const field = <T>(e: DryRunEvent, name: string): T => (e as unknown as Record<string, T>)[name]!;

export function compileMatcher(x: Expectation, index: RunIndex): Matcher {
  const timing = timingChecks(x);
  const build = (type: DryRunEvent['type'] | readonly DryRunEvent['type'][], description: string, checks: Check[], subject?: string): Matcher => ({
    description: x.name ?? `${description}${timing.words}`,
    types: typeof type === 'string' ? [type] : type,
    checks: [...checks, ...timing.checks],
    ...(subject !== undefined ? { subject } : {}),
  });
  const eq = (name: string, expected: Scalar | undefined, read: (e: DryRunEvent, i: number) => unknown): Check[] =>
    expected === undefined ? [] : [{ name: `${name} ${show(expected)}`, test: (e, i) => valueMatches(expected, read(e, i)) }];

  if ('error' in x) {
    const code = x.error === 'any' ? undefined : x.error;
    const verb = x.verb === undefined ? undefined : findVerb(x.verb)?.name ?? x.verb;
    return build('error', `error${code !== undefined ? ` ${show(code)}` : ''}${verb ? ` in ${verb}` : ''}${x.text !== undefined ? ` ${show(x.text)}` : ''}`, [
      ...eq('code', code, (e) => field(e, 'code')),
      ...(verb === undefined ? [] : [{ name: `in ${verb}`, test: (e: DryRunEvent) => String(field(e, 'verb') ?? '').toLowerCase() === verb.toLowerCase() }]),
      ...eq('text', x.text, (e) => field(e, 'message')),
    ]);
  }
  if ('verb' in x) {
    // With a result the verb is placed where it finished (that is when its result is known).
    const byResult = x.result !== undefined;
    // Events name the verb as the catalogue spells it; the expectation may use an alias or any case.
    const verbName = findVerb(x.verb)?.name ?? x.verb;
    const started = (e: DryRunEvent, i: number): DryRunEvent | undefined => {
      if (!byResult) return e;
      const at = index.verbStarts.get(i);
      return at === undefined ? undefined : index.events[at];
    };
    const attributes = Object.entries(x.attributes ?? {}).map(([name, value]): Check => ({
      name: `${name}=${show(value)}`,
      test: (e, i) => {
        const start = started(e, i);
        return start !== undefined && valueMatches(value, attributeValue(verbName, field<Record<string, unknown>>(start, 'attributes'), name));
      },
    }));
    return build(byResult ? 'verb.finished' : 'verb.started', `verb ${x.verb}${x.attributes ? ` ${showMap(x.attributes)}` : ''}${byResult ? ` → ${show(x.result)}` : ''}`, [
      { name: `verb ${x.verb}`, test: (e) => field<string>(e, 'verb').toLowerCase() === verbName.toLowerCase() },
      ...attributes,
      ...eq('result', x.result, (e) => field(e, 'result')),
      ...eq('session', x.session, (e) => field(e, 'sessionId')),
    ]);
  }
  if ('dtmfSent' in x) {
    return build('dtmf.sent', `DTMF ${show(x.dtmfSent)} sent${x.leg ? ` to ${x.leg}` : ''}`, [
      ...eq('digits', x.dtmfSent, (e) => field(e, 'digits')),
      ...(x.leg ? [legCheck(index, x.leg)] : []),
    ]);
  }
  if ('leg' in x) {
    return build('leg.state', `leg ${x.leg} reaches ${x.state}${x.from ? ` from ${x.from}` : ''}${x.cause !== undefined ? ` (${show(x.cause)})` : ''}`, [
      legCheck(index, x.leg),
      ...eq('state', x.state, (e) => field(e, 'state')),
      ...eq('from', x.from, (e) => field(e, 'previousState')),
      ...eq('cause', x.cause, (e) => field(e, 'cause')),
    ]);
  }
  if ('transfer' in x) {
    const kind = x.transfer === 'any' ? undefined : x.transfer;
    return build('transfer.ended', `${kind ?? 'any'} transfer${x.target !== undefined ? ` to ${x.target}` : ''} ends${x.cause !== undefined ? ` ${show(x.cause)}` : ''}`, [
      ...eq('kind', kind, (e) => field(e, 'kind')),
      ...eq('target', x.target, (e) => field(e, 'target')),
      ...eq('cause', x.cause, (e) => field(e, 'cause')),
    ]);
  }
  if ('notification' in x) {
    const sent = (i: number): SentNotification | undefined => index.notifications.get(i);
    const params = Object.entries(x.params ?? {}).map(([name, value]): Check => ({
      name: `${name}=${show(value)}`,
      test: (_e, i) => valueMatches(value, sent(i)?.params[name]),
    }));
    return build(NOTIFICATION_EVENT_TYPES, `notification ${x.notification}${x.url !== undefined ? ` to ${x.url}` : ''}${x.params ? ` ${showMap(x.params)}` : ''}${x.reply ? ` → ${x.reply}` : ''}`, [
      { name: `notification ${x.notification}`, test: (_e, i) => sent(i)?.name === x.notification },
      ...eq('url', x.url, (_e, i) => sent(i)?.url),
      ...params,
      ...eq('reply', x.reply, (_e, i) => sent(i)?.reply),
    ], 'notification sent');
  }
  if ('callEnded' in x) {
    const cause = x.callEnded === 'any' ? undefined : x.callEnded;
    return build('session.ended', `call ends${cause ? ` ${cause}` : ''}${x.session ? ` (session ${x.session})` : ''}`, [
      ...eq('cause', cause, (e) => field(e, 'cause')),
      ...eq('session', x.session, (e) => field(e, 'sessionId')),
    ]);
  }
  if ('digits' in x) {
    return build('digits.received', `digits ${show(x.digits)} received${x.endedBy !== undefined ? ` (${show(x.endedBy)})` : ''}`, [
      ...eq('digits', x.digits, (e) => field(e, 'digits')),
      ...eq('endedBy', x.endedBy, (e) => field(e, 'endedBy')),
    ]);
  }
  if ('message' in x) {
    return build('message.sent', `${x.message.toUpperCase()} sent${x.to !== undefined ? ` to ${x.to}` : ''}`, [
      ...eq('kind', x.message, (e) => field(e, 'kind')),
      ...eq('to', x.to, (e) => field(e, 'to')),
    ]);
  }
  const { type, ...fields } = x.event;
  return build(type as DryRunEvent['type'], `event ${type}${Object.keys(fields).length > 0 ? ` ${showMap(fields)}` : ''}`,
    Object.entries(fields).map(([name, value]): Check => ({
      name: `${name}=${JSON.stringify(value)}`,
      test: (e) => subsetMatches(value, (e as unknown as Record<string, unknown>)[name]),
    })));
}
