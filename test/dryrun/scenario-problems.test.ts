/**
 * Scenario files report every problem at once (schema and semantic), check verb, attribute and
 * event-type names in expectations against the language, and show list values as values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/dryrun/expect/evaluate.js';
import type { DryRunEvent } from '../../src/dryrun/events.js';
import { parseScenario, ScenarioError } from '../../src/dryrun/scenario/load.js';
import type { Scenario } from '../../src/dryrun/scenario/types.js';
import { tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir.path, 'main.xml'), '<Response/>');
});
afterAll(() => dir.remove());

const load = (text: string): Scenario => parseScenario(text, { shownPath: 's.yaml', baseDir: dir.path });

function problems(text: string): readonly string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('expected the scenario to be refused');
}

describe('every problem of a scenario file at once', () => {
  it('reports schema problems together with missing files, expectation problems and names, in file order', () => {
    expect(problems([
      'script: missing.xml',
      'call:',
      '  direction: sideways',
      'webhooks:',
      '  https://a.test/x: nope.xml',
      'expect:',
      '  - verb: Hnagup',
      '  - leg: caller',
      '  - digits: "1"',
      '    endedBy: /[/',
      '  - callEnded: [normal]',
    ].join('\n'))).toEqual([
      's.yaml:1:9: script: the script missing.xml does not exist',
      's.yaml:3:14: call.direction: must be one of "inbound", "outbound", "none"',
      's.yaml:5:21: webhooks["https://a.test/x"]: the reply file nope.xml does not exist',
      's.yaml:7:11: expect[0].verb: unknown verb "Hnagup" (did you mean "Hangup"?)',
      's.yaml:8:5: expect[1]: a "leg" expectation needs "state"',
      's.yaml:10:14: expect[2].endedBy: is not a valid regular expression: Invalid regular expression: /[/: Unterminated character class',
      's.yaml:11:16: expect[3].callEnded: must be one of "normal", "rejected", "caller-hangup", "transferred", "application-error", "limit-exceeded", "cancelled", "any"',
    ]);
  });

  it('reports a field the schema faulted once, and an unknown field once', () => {
    expect(problems([
      'script: main.xml',
      'clock: { start: "2026-13-01" }',
      'expect:',
      '  - verb: Hangup',
      '    colour: red',
    ].join('\n'))).toEqual([
      's.yaml:2:17: clock.start: must be an ISO 8601 date and time with a zone, e.g. 2026-01-01T09:00:00Z',
      's.yaml:5:5: expect[0].colour: unknown field',
    ]);
  });

  it('still checks dates the schema accepts', () => {
    expect(problems('script: main.xml\nclock: { start: "2026-13-45T00:00:00Z" }\n')).toEqual([
      's.yaml:2:17: clock.start: is not a valid date and time',
    ]);
  });

  it('does not stop at a file that is not an object at all', () => {
    expect(problems('just text\n')).toEqual(['s.yaml:1:1: (root): must be an object, not a string']);
    expect(problems('script: main.xml\nexpect: { ordered: 3, never: [verb: Hnagup, 7] }\n')).toEqual([
      's.yaml:2:20: expect.ordered: must be a list, not a number',
      's.yaml:2:37: expect.never[0].verb: unknown verb "Hnagup" (did you mean "Hangup"?)',
      's.yaml:2:45: expect.never[1]: must be an object, not a number',
    ]);
  });
});

describe('names in expectations', () => {
  it('refuses a misspelt verb in never, which would otherwise pass silently', () => {
    expect(problems('script: main.xml\nexpect:\n  never:\n    - verb: Hnagup\n')).toEqual([
      's.yaml:4:13: expect.never[0].verb: unknown verb "Hnagup" (did you mean "Hangup"?)',
    ]);
  });

  it('refuses attributes the verb does not have, with a suggestion', () => {
    expect(problems([
      'script: main.xml',
      'expect:',
      '  - verb: UserInput',
      '    attributes: { Timout: 3, Digits: 1, Colour: red }',
      '  - verb: Exit',
      '    attributes: { Cause: x }',
    ].join('\n'))).toEqual([
      's.yaml:4:19: expect[0].attributes.Timout: <UserInput> has no attribute "Timout" (did you mean "Timeout"?)',
      's.yaml:4:41: expect[0].attributes.Colour: <UserInput> has no attribute "Colour"',
      's.yaml:6:19: expect[1].attributes.Cause: <Exit> has no attribute "Cause"; it has no attributes',
    ]);
  });

  it('says a block is part of a verb, and checks event types against the event schema', () => {
    expect(problems([
      'script: main.xml',
      'expect:',
      '  - verb: Consult',
      '  - event: { type: leg.creatd }',
      '  - event: { type: nothing-like-it }',
    ].join('\n'))).toEqual([
      's.yaml:3:11: expect[0].verb: <Consult> is part of another verb, not a verb that runs: name the verb it belongs to',
      's.yaml:4:20: expect[1].event.type: unknown event type "leg.creatd" (did you mean "leg.created"?)',
      's.yaml:5:20: expect[2].event.type: unknown event type "nothing-like-it"',
    ]);
  });

  it('accepts aliases and any letter case, as documents do, and matches them', () => {
    const s = load([
      'script: main.xml',
      'expect:',
      '  - verb: userinput',
      '    attributes: { timeout: 5 }',
      '  - verb: ForwardCall',
    ].join('\n'));
    const events = [
      { t: 0, type: 'verb.started', sessionId: 's1', verb: 'UserInput', attributes: { Timeout: 5 }, line: 1, column: 1, url: null },
      { t: 1, type: 'verb.started', sessionId: 's1', verb: 'Forward', attributes: {}, line: 2, column: 1, url: null },
    ] as DryRunEvent[];
    expect(evaluate(s.expect, events).map((r) => [r.description, r.passed])).toEqual([
      ['verb userinput {timeout: "5"}', true],
      ['verb ForwardCall', true],
      ['the call runs without an application error', true],
    ]);
  });
});

describe('list values in messages', () => {
  it('shows lists and objects of an event expectation as JSON, not [object Object]', () => {
    const s = load('script: main.xml\nexpect:\n  - event: { type: leg.created, tags: [1, { a: 2 }], params: { x: [1] } }\n');
    const events = [{ t: 0, type: 'leg.created', legId: 'in-1', callType: 'Inbound', direction: 'inbound', from: '1', to: '2' }] as DryRunEvent[];
    const [result] = evaluate(s.expect, events);
    expect(result!.description).toBe('event leg.created {tags: [1,{"a":2}], params: {"x":[1]}}');
    expect(result!.explanation).toEqual([
      'expected: event leg.created {tags: [1,{"a":2}], params: {"x":[1]}}',
      'nearest actual:',
      '  +0.000s  1            calls 2  (not tags=[1,{"a":2}], params={"x":[1]})',
    ]);
  });
});
