/** Expectations against a fixed event stream: ordering, each kind of matcher, timing, and the explanations. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/dryrun/expect/evaluate.js';
import type { ExpectationResult } from '../../src/dryrun/expect/evaluate.js';
import type { Expectation, ExpectationSet } from '../../src/dryrun/expect/types.js';
import type { DryRunEvent } from '../../src/dryrun/events.js';

const CAPS: string[] = [];
const EVENTS = [
  { t: 0, type: 'run.started', scenario: 's', script: 'main.xml', direction: 'inbound', context: 'api-extension', from: '+1555', to: '9000', clock: '2026-01-01T00:00:00.000Z', leg: 'in-1' },
  { t: 0, type: 'leg.created', legId: 'in-1', callType: 'Inbound', direction: 'inbound', from: '+1555', to: '9000' },
  { t: 0, type: 'leg.state', legId: 'in-1', state: 'Established', previousState: 'Ringing', callType: 'Inbound', capabilities: CAPS },
  { t: 0, type: 'session.started', sessionId: 's1', callId: 'in-1', caller: '+1555', callee: '9000', direction: 'inbound', context: 'api-extension' },
  { t: 0, type: 'notification.requested', sessionId: 's1', name: 'IncomingCall', url: 'https://a.test/in', params: { NotificationName: 'IncomingCall', CallId: 'in-1' } },
  { t: 0, type: 'notification.replied', sessionId: 's1', name: 'IncomingCall', url: 'https://a.test/in', reply: 'document' },
  { t: 0, type: 'verb.started', sessionId: 's1', verb: 'UserInput', attributes: { Timeout: 5, Digits: 1 }, line: 1, column: 11, url: 'https://a.test/in' },
  { t: 0, type: 'verb.started', sessionId: 's1', verb: 'Speak', attributes: { Text: 'Press 1 for sales.' }, line: 1, column: 40, url: 'https://a.test/in' },
  { t: 1, type: 'verb.finished', sessionId: 's1', verb: 'Speak', result: 'interrupted' },
  { t: 1, type: 'digits.received', sessionId: 's1', digits: '1', endedBy: 'complete' },
  { t: 1, type: 'verb.started', sessionId: 's1', verb: 'BlindTransfer', attributes: { Target: '2001', Timeout: 30 }, line: 2, column: 5, url: 'https://a.test/in' },
  { t: 1, type: 'transfer.started', legId: 'in-1', kind: 'blind', target: '2001', targetLegId: 'leg-1' },
  { t: 1, type: 'leg.created', legId: 'leg-1', callType: 'Outbound', direction: 'outbound', from: '+1555', to: '2001' },
  { t: 1, type: 'leg.state', legId: 'leg-1', state: 'Dialing', previousState: 'Idle', callType: 'Outbound', capabilities: CAPS },
  { t: 3, type: 'leg.state', legId: 'leg-1', state: 'Released', previousState: 'Dialing', callType: 'Outbound', capabilities: CAPS, cause: 'busy' },
  { t: 3, type: 'transfer.ended', legId: 'in-1', kind: 'blind', target: '2001', cause: 'busy', targetLegId: 'leg-1' },
  { t: 3, type: 'verb.finished', sessionId: 's1', verb: 'BlindTransfer', result: 'busy' },
  { t: 3, type: 'verb.finished', sessionId: 's1', verb: 'UserInput', result: 'matched 1' },
  { t: 3, type: 'notification.requested', sessionId: 's1', name: 'GoTo', url: 'https://a.test/next', params: { NotificationName: 'GoTo', CallId: 'in-1' } },
  { t: 3, type: 'notification.replied', sessionId: 's1', name: 'GoTo', url: 'https://a.test/next', reply: 'failed', code: 11200, detail: 'HTTP 500' },
  { t: 3, type: 'error', sessionId: 's1', code: '11200', message: 'GoTo to https://a.test/next failed: HTTP 500' },
  { t: 3, type: 'leg.state', legId: 'in-1', state: 'Released', previousState: 'Established', callType: 'Inbound', capabilities: CAPS, cause: 'application-error' },
  { t: 3, type: 'session.ended', sessionId: 's1', cause: 'application-error', verbs: 4, documents: 2 },
  { t: 3, type: 'run.ended', cause: 'application-error', seconds: 3, sessions: 1, stopped: null },
] as DryRunEvent[];

const set = (partial: Partial<ExpectationSet>): ExpectationSet => ({ ordered: [], unordered: [], never: [], ...partial });
const check = (partial: Partial<ExpectationSet>): ExpectationResult[] => evaluate(set(partial), EVENTS);
const verdicts = (results: ExpectationResult[]): Array<[string, boolean]> => results.map((r) => [r.description, r.passed]);
const one = (x: Expectation): ExpectationResult => check({ unordered: [x] })[0]!;

describe('ordered expectations', () => {
  it('match one after the other; a miss leaves the cursor where it was', () => {
    const results = check({
      ordered: [
        { verb: 'UserInput' },
        { digits: '2' },
        { transfer: 'blind', target: '2001', cause: 'busy' },
        { verb: 'Speak' },
        { callEnded: 'application-error', withinSeconds: 3 },
      ],
    });
    expect(verdicts(results)).toEqual([
      ['verb UserInput', true],
      ['digits "2" received', false],
      ['blind transfer to 2001 ends "busy"', true],
      ['verb Speak', false],
      ['call ends application-error within 3s', true],
      ['the call runs without an application error', true],
    ]);
    expect(results[1]!.explanation).toEqual([
      'expected after "+0.000s  ozml         UserInput Digits=1 Timeout=5": digits "2" received',
      'nearest actual:',
      '  +1.000s  ozml         got digits 1 (complete)  (not digits "2")',
    ]);
    expect(results[3]!.explanation).toEqual([
      'expected after "+3.000s  caller       blind transfer to 2001: busy": verb Speak',
      'nearest actual:',
      '  +0.000s  ozml           Speak "Press 1 for sales."  (before the previous match)',
    ]);
  });

  it('place a verb with a result where it finished', () => {
    expect(verdicts(check({
      ordered: [{ verb: 'BlindTransfer', result: 'busy' }, { verb: 'UserInput', attributes: { timeout: 5 }, result: '/^matched/' }, { notification: 'GoTo' }],
    })).slice(0, 3)).toEqual([
      ['verb BlindTransfer → "busy"', true],
      ['verb UserInput {timeout: 5} → /^matched/', true],
      ['notification GoTo', true],
    ]);
  });
});

describe('matchers', () => {
  it('verb: name, attributes (names in any case, values as text or /regex/), result, session', () => {
    expect(one({ verb: 'speak', attributes: { TEXT: '/sales/' }, result: 'interrupted', session: 's1' }).passed).toBe(true);
    expect(one({ verb: 'BlindTransfer', attributes: { Target: 2001, Timeout: '30' } }).passed).toBe(true);
    const miss = one({ verb: 'BlindTransfer', attributes: { Target: '2002' } });
    expect(miss.passed).toBe(false);
    expect(miss.explanation).toEqual([
      'expected: verb BlindTransfer {Target: "2002"}',
      'nearest actual:',
      '  +1.000s  ozml           BlindTransfer "2001"  (not Target="2002")',
    ]);
  });

  it('leg: caller, a leg id, or the number the leg dialled; state, previous state, cause', () => {
    expect(one({ leg: 'caller', state: 'Established', from: 'Ringing' }).passed).toBe(true);
    expect(one({ leg: '2001', state: 'Released', cause: 'busy' }).passed).toBe(true);
    expect(one({ leg: 'leg-1', state: 'Dialing', atSeconds: 1 }).passed).toBe(true);
    // The caller's own number does not name the caller's leg (it is `caller`).
    expect(one({ leg: '+1555', state: 'Established' }).passed).toBe(false);
    expect(one({ leg: 'caller', state: 'Released', cause: 'normal' }).explanation).toEqual([
      'expected: leg caller reaches Released ("normal")',
      'nearest actual:',
      '  +0.000s  caller       Ringing → Established  (not state "Released", cause "normal")',
      '  +3.000s  caller       Established → Released (application-error)  (not cause "normal")',
    ]);
  });

  it('notification: name, url, parameters and the kind of reply', () => {
    expect(one({ notification: 'IncomingCall', url: 'https://a.test/in', params: { CallId: 'in-1' }, reply: 'document' }).passed).toBe(true);
    expect(one({ notification: 'GoTo', reply: 'failed' }).passed).toBe(true);
    expect(one({ notification: 'GoTo', reply: 'document' }).explanation).toEqual([
      'expected: notification GoTo → document',
      'nearest actual:',
      '  +3.000s  app          ← GoTo https://a.test/next  (not reply "document")',
    ]);
  });

  it('timing: at, after and within seconds', () => {
    expect(one({ digits: '1', atSeconds: 1 }).passed).toBe(true);
    expect(one({ digits: '1', atSeconds: 1.001 }).passed).toBe(false);
    expect(one({ digits: '1', afterSeconds: 1, withinSeconds: 1 }).passed).toBe(true);
    expect(one({ callEnded: 'any', withinSeconds: 2.999 }).explanation).toEqual([
      'expected: call ends within 2.999s',
      'nearest actual:',
      '  +3.000s  ozml         session s1 ended: application-error (4 verbs, 2 documents)  (not within 2.999s)',
    ]);
  });

  it('event: any event by type and a subset of its fields; a name replaces the description', () => {
    expect(one({ event: { type: 'leg.created', to: '2001', direction: 'outbound' } }).passed).toBe(true);
    expect(one({ event: { type: 'notification.requested', params: { CallId: 'in-1' } }, name: 'asked the app' })).toEqual({
      group: 'unordered', description: 'asked the app', passed: true, matched: 4, explanation: [],
    });
    expect(one({ event: { type: 'media.started' } }).explanation).toEqual(['expected: event media.started', 'no media.started event at all']);
  });
});

describe('unordered and never', () => {
  it('unordered: each expectation takes an event of its own', () => {
    expect(verdicts(check({ unordered: [{ verb: 'Speak' }, { verb: 'Speak' }] })).slice(0, 2)).toEqual([['verb Speak', true], ['verb Speak', false]]);
  });

  it('never: fails on the first event that matches, and shows it', () => {
    const [ok, bad] = check({ never: [{ message: 'sms' }, { leg: '2001', state: 'Dialing' }] });
    expect(ok).toEqual({ group: 'never', description: 'never: SMS sent', passed: true, explanation: [] });
    expect(bad).toEqual({
      group: 'never', description: 'never: leg 2001 reaches Dialing', passed: false, matched: 13,
      explanation: ['expected no event like: leg 2001 reaches Dialing', 'but got: +1.000s  2001         Idle → Dialing   BlindTransfer "2001"'],
    });
  });
});

describe('the run check', () => {
  it('fails on an application error nobody expected, with the error message', () => {
    expect(check({}).at(-1)).toEqual({
      group: 'run', description: 'the call runs without an application error', passed: false,
      explanation: ['+3.000s  ozml         session s1 ended: application-error (4 verbs, 2 documents) — GoTo to https://a.test/next failed: HTTP 500'],
    });
  });

  it('passes when an expectation asks for that ending', () => {
    expect(check({ unordered: [{ callEnded: 'application-error' }] }).at(-1)?.passed).toBe(true);
    expect(check({ never: [{ callEnded: 'application-error' }] }).at(-1)?.passed).toBe(false);
  });
});
