/**
 * Checks a run against its scenario's expectations. `ordered` expectations match one after the
 * other (each after the event the previous one matched; a failed one does not move the cursor, so
 * one miss is reported once); `unordered` ones match any event, each its own; `never` ones must
 * match nothing. A failure is explained by the nearest actual events: those of the same type that
 * pass the most checks.
 */
import type { EndCause } from '../../engine/index.js';
import type { DryRunEvent } from '../events.js';
import { TextTimeline } from '../format/text.js';
import { buildIndex, compileMatcher } from './match.js';
import type { Matcher } from './match.js';
import type { Expectation, ExpectationSet } from './types.js';

export type ExpectationGroup = 'ordered' | 'unordered' | 'never' | 'run';

export interface ExpectationResult {
  group: ExpectationGroup;
  description: string;
  passed: boolean;
  /** Index of the event that satisfied it (or, for `never`, broke it). */
  matched?: number;
  /** Why it failed: what was missing, and the nearest actual events as timeline lines. */
  explanation: string[];
}

/** How many nearest events a failure shows. */
const NEAREST = 3;

/** Causes that make a run fail unless an expectation asks for them. */
const FAILING_CAUSES: readonly EndCause[] = ['application-error', 'limit-exceeded'];

export function evaluate(set: ExpectationSet, events: readonly DryRunEvent[]): ExpectationResult[] {
  const index = buildIndex(events);
  const lines = timelineLines(events);
  const results: ExpectationResult[] = [];

  let cursor = -1;
  for (const x of set.ordered) {
    const m = compileMatcher(x, index);
    const found = findFrom(m, events, cursor + 1);
    if (found !== undefined) {
      cursor = found;
      results.push({ group: 'ordered', description: m.description, passed: true, matched: found, explanation: [] });
    } else {
      const after = cursor >= 0 ? ` after ${lines[cursor] ? `"${lines[cursor]!.trim()}"` : `event ${cursor + 1}`}` : '';
      results.push({
        group: 'ordered', description: m.description, passed: false,
        explanation: [`expected${after}: ${m.description}`, ...nearest(m, events, lines, cursor + 1)],
      });
    }
  }

  const used = new Set<number>();
  for (const x of set.unordered) {
    const m = compileMatcher(x, index);
    let found: number | undefined;
    for (let i = 0; i < events.length && found === undefined; i++) if (!used.has(i) && matches(m, events[i]!, i)) found = i;
    if (found !== undefined) {
      used.add(found);
      results.push({ group: 'unordered', description: m.description, passed: true, matched: found, explanation: [] });
    } else {
      results.push({ group: 'unordered', description: m.description, passed: false, explanation: [`expected: ${m.description}`, ...nearest(m, events, lines, 0)] });
    }
  }

  for (const x of set.never) {
    const m = compileMatcher(x, index);
    const found = findFrom(m, events, 0);
    const description = `never: ${m.description}`;
    if (found === undefined) results.push({ group: 'never', description, passed: true, explanation: [] });
    else results.push({ group: 'never', description, passed: false, matched: found, explanation: [`expected no event like: ${m.description}`, `but got: ${lines[found]?.trim() ?? JSON.stringify(events[found])}`] });
  }

  results.push(runResult(set, events, lines, results));
  return results;
}

/**
 * The run itself: no error the scenario did not expect, no session ended with an application error
 * (unless expected), the time limit was not hit. An `error` event is expected when an `ordered` or
 * `unordered` expectation matched it, or when its session ended with a cause a `callEnded`
 * expectation asks for (the error is why it ended so).
 */
function runResult(set: ExpectationSet, events: readonly DryRunEvent[], lines: readonly (string | undefined)[], results: readonly ExpectationResult[]): ExpectationResult {
  const expected = new Set<string>();
  for (const x of [...set.ordered, ...set.unordered] as Expectation[]) if ('callEnded' in x) expected.add(x.callEnded);
  const matchedErrors = new Set<number>();
  for (const r of results) if (r.passed && r.group !== 'never' && r.matched !== undefined && events[r.matched]?.type === 'error') matchedErrors.add(r.matched);
  const excusedSessions = new Set<string>();
  for (const e of events) if (e.type === 'session.ended' && FAILING_CAUSES.includes(e.cause) && expected.has(e.cause)) excusedSessions.add(e.sessionId);
  // A session that ended with an unexpected application error is reported with the error that ended it.
  const endingError = new Map<number, number>();
  events.forEach((e, i) => {
    if (e.type !== 'session.ended' || !FAILING_CAUSES.includes(e.cause) || expected.has(e.cause)) return;
    for (let j = i - 1; j >= 0; j--) {
      const x = events[j]!;
      if (x.type === 'error' && x.sessionId === e.sessionId) {
        endingError.set(i, j);
        break;
      }
    }
  });
  const reported = new Set(endingError.values());
  const description = 'the call runs without an application error';
  const problems: string[] = [];
  events.forEach((e, i) => {
    if (e.type === 'error' && !matchedErrors.has(i) && !excusedSessions.has(e.sessionId) && !reported.has(i)) {
      problems.push(`${lines[i]?.trim() ?? `error ${e.code}: ${e.message}`}  (no "error" expectation asks for it)`);
    }
    if (e.type === 'session.ended' && FAILING_CAUSES.includes(e.cause) && !expected.has(e.cause)) {
      const at = endingError.get(i);
      const error = at === undefined ? undefined : events[at];
      problems.push(`${lines[i]?.trim() ?? `session ${e.sessionId} ended: ${e.cause}`}${error && error.type === 'error' ? ` — ${error.message}` : ''}`);
    }
    if (e.type === 'run.ended' && e.stopped) problems.push(`the run was stopped at the time limit (${e.seconds}s; clock.maxSeconds)`);
  });
  const unreached = unreachedThirdParty(events);
  if (unreached) problems.push(unreached);
  return { group: 'run', description, passed: problems.length === 0, explanation: problems };
}

/**
 * A third-party call the platform could not connect: the script was never notified, so nothing of
 * it ran — a run that tested nothing must not pass.
 */
function unreachedThirdParty(events: readonly DryRunEvent[]): string | undefined {
  const started = events[0];
  if (started?.type !== 'run.started' || started.context !== 'third-party' || started.leg === null) return undefined;
  if (events.some((e) => e.type === 'session.started')) return undefined;
  const attempt = events.find((e) => e.type === 'transfer.ended' && e.legId === started.leg);
  const why = attempt?.type === 'transfer.ended' ? attempt.cause : 'the caller left first';
  return `the platform could not connect ${started.from} to ${started.to} (${why}), so the script was never notified; give ${started.to} a behaviour in the scenario's parties`;
}

function matches(m: Matcher, event: DryRunEvent, index: number): boolean {
  return m.types.includes(event.type) && m.checks.every((c) => c.test(event, index));
}

function findFrom(m: Matcher, events: readonly DryRunEvent[], from: number): number | undefined {
  for (let i = Math.max(0, from); i < events.length; i++) if (matches(m, events[i]!, i)) return i;
  return undefined;
}

/** The events of the matcher's type that pass the most checks (later than `from` first), with what they miss. */
function nearest(m: Matcher, events: readonly DryRunEvent[], lines: readonly (string | undefined)[], from: number): string[] {
  const candidates: Array<{ i: number; passed: number; missed: string[] }> = [];
  events.forEach((e, i) => {
    if (!m.types.includes(e.type)) return;
    const missed = m.checks.filter((c) => !c.test(e, i)).map((c) => c.name);
    candidates.push({ i, passed: m.checks.length - missed.length, missed });
  });
  if (candidates.length === 0) return [`no ${m.subject ?? `${m.types[0]} event`} at all`];
  // Events that fail the matcher's first check (the verb, the leg, the notification) are about something else.
  const first = m.checks[0]?.name;
  const related = candidates.filter((c) => first === undefined || !c.missed.includes(first));
  if (related.length > 0) candidates.splice(0, candidates.length, ...related);
  candidates.sort((a, b) => b.passed - a.passed || Number(a.i < from) - Number(b.i < from) || a.i - b.i);
  const shown = candidates.slice(0, NEAREST).sort((a, b) => a.i - b.i);
  return [
    'nearest actual:',
    ...shown.map((c) => {
      const line = lines[c.i]?.trim() ?? JSON.stringify(events[c.i]);
      const why = c.missed.length > 0 ? `  (not ${c.missed.join(', ')})` : `  (${c.i < from ? 'before the previous match' : 'already matched'})`;
      return `  ${line}${why}`;
    }),
  ];
}

/** Each event as its text-timeline line (plain), for explanations. */
function timelineLines(events: readonly DryRunEvent[]): (string | undefined)[] {
  const timeline = new TextTimeline({ color: false });
  return events.map((e) => timeline.line(e) ?? compact(e));
}

function compact(e: DryRunEvent): string {
  const { t, type, ...rest } = e as DryRunEvent & Record<string, unknown>;
  return `+${t.toFixed(3)}s  ${type} ${JSON.stringify(rest)}`;
}
