/** Scenario files: parsing (YAML and JSON, positions), validation messages, and what loading makes of them. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/dryrun/scenario/load.js';
import type { Scenario } from '../../src/dryrun/scenario/types.js';
import { tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir.path, 'main.xml'), '<Response/>');
  writeFileSync(join(dir.path, 'reply.xml'), '<Response/>');
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

describe('loading a scenario', () => {
  it('applies the defaults of an inbound call to the script', () => {
    const s = load('script: main.xml\n');
    expect(s.call).toEqual({
      from: '+15550100001', to: '9000', direction: 'inbound', context: 'api-extension', notification: 'IncomingCall',
      url: 'https://app.invalid/main.xml', params: {}, internal: false, diversions: [], apiExtension: '9000', behaviour: { giveUp: { promptRepeats: 2, recordingSeconds: 10 } },
    });
    expect(s.scriptFile).toBe(join(dir.path, 'main.xml'));
    expect(s.passThroughUnmatched).toBe(false);
    expect(s.clock).toEqual({ startMs: Date.parse('2026-01-01T00:00:00Z'), maxMs: 3_600_000 });
    expect(s.expect).toEqual({ ordered: [], unordered: [], never: [] });
    expect(s.seed).toBe('1');
  });

  it('picks the notification from the direction and context', () => {
    expect(load('script: main.xml\ncall: { direction: outbound }').call).toMatchObject({ notification: 'CallConnected', from: '9000', to: '+15550100001' });
    expect(load('script: main.xml\ncall: { context: routing }').call.notification).toBe('RoutingInterception');
    expect(load('script: main.xml\ncall: { context: third-party }').call.notification).toBe('CallChanged');
    expect(load('script: main.xml\ncall: { notification: GoTo }').call.notification).toBe('GoTo');
  });

  it('keeps numbers people write without quotes as they wrote them', () => {
    const s = load([
      'script: main.xml',
      'seed: 007',
      'call: { from: +15551230001, to: 2001, digits: 0123 }',
      'parties:',
      '  +15557654321: { digits: 1 }',
      '  2002: { ringSeconds: 3 }',
      'expect:',
      '  - verb: BlindTransfer',
      '    attributes: { Target: 0123, Timeout: 25 }',
    ].join('\n'));
    expect(s.call.from).toBe('+15551230001');
    expect(s.call.to).toBe('2001');
    expect(s.call.behaviour.presses).toEqual([{ digits: '0123' }]);
    expect(Object.keys(s.parties)).toEqual(['2002', '+15557654321']);
    expect(s.parties['+15557654321']).toEqual({ presses: [{ digits: '1' }] });
    expect(s.parties['2002']).toEqual({ ringSeconds: 3 });
    expect(s.expect.ordered).toEqual([{ verb: 'BlindTransfer', attributes: { Target: '0123', Timeout: '25' } }]);
    expect(s.seed).toBe('007');
  });

  it('expands party shorthands: digits first, string presses, "*" as everyone else', () => {
    const s = load([
      'script: main.xml',
      'call:',
      '  digits: "1"',
      '  presses: ["2#", { digits: "3", afterAnswerSeconds: 4 }]',
      '  hangupAfterSeconds: 30',
      'parties:',
      '  "*": { response: busy }',
      'services:',
      '  voicemail: { transferBackAfterSeconds: 20 }',
    ].join('\n'));
    expect(s.call.behaviour).toEqual({
      hangupAfterSeconds: 30,
      presses: [{ digits: '1' }, { digits: '2#' }, { digits: '3', afterAnswerSeconds: 4 }],
    });
    expect(s.parties).toEqual({});
    expect(s.defaultParty).toEqual({ response: 'busy' });
    expect(s.services).toEqual({ voicemail: { transferBackAfterSeconds: 20 } });
  });

  it('reads both webhook forms into routes with their replies in turn', () => {
    const map = load([
      'script: main.xml',
      'webhooks:',
      '  https://a.test/x: <Response><Hangup/></Response>',
      '  https://a.test/y: reply.xml',
      '  https://a.test/z: ""',
      '  /path/*: { status: 503, delaySeconds: 1.5 }',
      '  https://a.test/**: { passThrough: true }',
    ].join('\n'));
    expect(map.webhooks).toEqual([
      { url: 'https://a.test/x', replies: [{ ozml: '<Response><Hangup/></Response>' }] },
      { url: 'https://a.test/y', replies: [{ file: join(dir.path, 'reply.xml') }] },
      { url: 'https://a.test/z', replies: [{}] },
      { url: '/path/*', replies: [{ status: 503, delayMs: 1500 }] },
      { url: 'https://a.test/**', replies: [{ passThrough: true }] },
    ]);
    const list = load([
      'script: main.xml',
      'webhooks:',
      '  - url: https://a.test/pin',
      '    notification: DtmfEntered',
      '    params: { DtmfDigits: 1234 }',
      '    replies: [reply.xml, { passThrough: "http://127.0.0.1:8080/pin" }]',
    ].join('\n'));
    expect(list.webhooks).toEqual([{
      url: 'https://a.test/pin', notification: 'DtmfEntered', params: { DtmfDigits: '1234' },
      replies: [{ file: join(dir.path, 'reply.xml') }, { passThrough: 'http://127.0.0.1:8080/pin' }],
    }]);
  });

  it('passes URLs no webhook answers to the network only when the script itself is a URL', () => {
    const s = load('script: https://app.example.com/ivr\n');
    expect(s.passThroughUnmatched).toBe(true);
    expect(s.scriptFile).toBeUndefined();
    expect(s.call.url).toBe('https://app.example.com/ivr');
  });

  it('reads JSON with the same parser, expectations in groups', () => {
    const s = load(JSON.stringify({ script: 'main.xml', expect: { unordered: [{ digits: '1' }], never: [{ callEnded: 'application-error' }] } }));
    expect(s.expect).toEqual({ ordered: [], unordered: [{ digits: '1' }], never: [{ callEnded: 'application-error' }] });
  });
});

describe('invalid scenarios', () => {
  it('name the field, its line and column, and what is wrong', () => {
    expect(problems([
      'script: main.xml',
      'clock: { start: "tomorrow", maxSeconds: 0 }',
      'notifications:',
      '  - { atSeconds: -1, name: CallChanged }',
      'webhooks:',
      '  - { url: https://a.test/, status: 999, passThrough: ftp://x }',
      'expect:',
      '  - transfer: sideways',
    ].join('\n'))).toEqual([
      's.yaml:2:17: clock.start: must be an ISO 8601 date and time with a zone, e.g. 2026-01-01T09:00:00Z',
      's.yaml:2:41: clock.maxSeconds: must be > 0',
      's.yaml:4:5: notifications[0]: missing the required field "url"',
      's.yaml:4:18: notifications[0].atSeconds: must be >= 0',
      's.yaml:6:37: webhooks[0].status: must be <= 599',
      's.yaml:6:55: webhooks[0].passThrough: must be an absolute http or https URL',
      's.yaml:8:15: expect[0].transfer: must be one of "blind", "consult", "service", "conference", "any"',
    ]);
  });

  it('check arrays: names as ForEach Source takes them, lists of text or of items with fields', () => {
    expect(problems('script: main.xml\narrays:\n  "bad name": []\n  ok_1: [a, { b: 2 }]\n')).toEqual([
      's.yaml:3:15: arrays["bad name"]: is not an array name: 1-128 letters, digits or "_", not starting with a digit',
    ]);
    expect(problems('script: main.xml\narrays:\n  menus: sales\n  deep: [{ a: [1] }]\n')).toEqual([
      's.yaml:3:10: arrays.menus: must be a list, not a string',
      's.yaml:4:15: arrays.deep[0].a: must be a string or a number or a boolean, not a list',
    ]);
  });

  it('report a value of the wrong type once, not every rule it then breaks', () => {
    expect(problems('script: main.xml\ncall: { presses: "12" }\nparties: []\n')).toEqual([
      's.yaml:2:18: call.presses: must be a list, not a string',
      's.yaml:3:10: parties: must be an object, not a list',
    ]);
  });

  it('check expectations for one kind each, with fields that belong to it, and valid patterns', () => {
    expect(problems([
      'script: main.xml',
      'expect:',
      '  - { name: nothing }',
      '  - { verb: Speak, callEnded: normal }',
      '  - { notification: GoTo, url: "/(/" }',
      '  - { leg: caller }',
      '  - { dtmfSent: "1", leg: "2001" }',
    ].join('\n'))).toEqual([
      's.yaml:3:5: expect[0]: says nothing to match: give one of "verb", "leg", "transfer", "notification", "callEnded", "digits", "dtmfSent", "message", "error", "event"',
      's.yaml:4:20: expect[1].callEnded: one expectation matches one thing: "verb" and "callEnded" belong in separate entries',
      's.yaml:5:32: expect[2].url: is not a valid regular expression: Invalid regular expression: /(/: Unterminated group',
      's.yaml:6:5: expect[3]: a "leg" expectation needs "state"',
    ]);
  });

  it('point at syntax errors and duplicate keys', () => {
    expect(problems('script: main.xml\ncall: [\n')).toEqual(['s.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]']);
    expect(problems('script: main.xml\nscript: other.xml\n')).toEqual(['s.yaml:2:1: Map keys must be unique']);
  });

  it('list files that do not exist', () => {
    expect(problems('script: nope.xml\nconfig: nope.json\nwebhooks:\n  https://a.test/: nope-reply.xml\n')).toEqual([
      's.yaml:1:9: script: the script nope.xml does not exist',
      's.yaml:2:9: config: the config file nope.json does not exist',
      's.yaml:4:20: webhooks["https://a.test/"]: the reply file nope-reply.xml does not exist',
    ]);
  });
});
