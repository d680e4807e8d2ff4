/**
 * The failure policy's requests are notifications like any other: `notification: Error` matches
 * the Error notification sent to the ErrorUrl, and `notification: <name>` the request to the
 * FallbackUrl, with the parameters the policy sends; the timeline and the diagram name them so.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/dryrun/expect/evaluate.js';
import type { ExpectationResult } from '../../src/dryrun/expect/evaluate.js';
import { formatMermaid } from '../../src/dryrun/format/mermaid.js';
import { TextTimeline } from '../../src/dryrun/format/text.js';
import { runScenario } from '../../src/dryrun/runner.js';
import type { RunResult } from '../../src/dryrun/runner.js';
import { parseScenario } from '../../src/dryrun/scenario/load.js';
import { tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
let result: RunResult;
beforeAll(async () => {
  dir = tempDir();
  writeFileSync(join(dir.path, 'main.xml'), '<Response><GoTo>https://app.test/next</GoTo></Response>');
  result = await runScenario(parseScenario(SCENARIO, { baseDir: dir.path }), {});
});
afterAll(() => dir.remove());

const SCENARIO = [
  'script: main.xml',
  'app: { errorUrl: "https://app.test/error", fallbackUrl: "https://app.test/fallback" }',
  'webhooks:',
  '  https://app.test/next: { status: 500 }',
  '  https://app.test/error: ""',
  '  https://app.test/fallback: <Response><Hangup/></Response>',
].join('\n');

const check = (expectations: string): ExpectationResult[] =>
  evaluate(parseScenario(`script: main.xml\nexpect:\n${expectations}`, { baseDir: dir.path }).expect, result.events);
const verdicts = (results: ExpectationResult[]): Array<[string, boolean]> => results.map((r) => [r.description, r.passed]);

describe('notification expectations and the failure policy', () => {
  it('match the Error notification with the parameters it carries', () => {
    expect(verdicts(check([
      '  - notification: GoTo',
      '    url: https://app.test/next',
      '    reply: failed',
      '  - notification: Error',
      '    url: https://app.test/error',
      '    params: { ErrorCode: 11200, ErrorUrl: https://app.test/next, CallId: in-1, CallState: InCall, Detail: "/HTTP 500/" }',
      '  - notification: GoTo',
      '    url: https://app.test/fallback',
      '    params: { ErrorCode: 11200, ErrorUrl: https://app.test/next, CallId: in-1, NotificationName: GoTo }',
      '    reply: document',
    ].join('\n')))).toEqual([
      ['notification GoTo to https://app.test/next → failed', true],
      ['notification Error to https://app.test/error {ErrorCode: "11200", ErrorUrl: "https://app.test/next", CallId: "in-1", CallState: "InCall", Detail: /HTTP 500/}', true],
      ['notification GoTo to https://app.test/fallback {ErrorCode: "11200", ErrorUrl: "https://app.test/next", CallId: "in-1", NotificationName: "GoTo"} → document', true],
      ['the call runs without an application error', true],
    ]);
  });

  it('an Error notification is not a reply to anything, and never matches what was not sent', () => {
    const results = check([
      '  never:',
      '    - notification: Error',
      '      params: { ErrorCode: 11200 }',
      '  unordered:',
      '    - notification: Error',
      '      reply: document',
      '    - notification: Error',
      '      params: { ErrorCode: 11210 }',
    ].join('\n'));
    expect(verdicts(results)).toEqual([
      ['notification Error → document', false],
      ['notification Error {ErrorCode: "11210"}', false],
      ['never: notification Error {ErrorCode: "11200"}', false],
      ['the call runs without an application error', true],
    ]);
    expect(results[1]!.explanation).toEqual([
      'expected: notification Error {ErrorCode: "11210"}',
      'nearest actual:',
      '  +0.000s  app          ← Error https://app.test/error ErrorCode=11200 ErrorUrl=https://app.test/next  (not ErrorCode="11210")',
    ]);
  });

  it('the timeline and the diagram show both requests as notifications', () => {
    const timeline = new TextTimeline({ color: false });
    const lines = result.events.map((e) => timeline.line(e)).filter((l): l is string => l !== undefined).map((l) => l.trim());
    expect(lines.filter((l) => l.includes('app.test/error') || l.includes('app.test/fallback'))).toEqual([
      '+0.000s  app          ← Error https://app.test/error ErrorCode=11200 ErrorUrl=https://app.test/next',
      '+0.000s  app          ← GoTo https://app.test/fallback (FallbackUrl) ErrorCode=11200 ErrorUrl=https://app.test/next',
    ]);
    const diagram = formatMermaid(result.events).split('\n').map((l) => l.trim());
    expect(diagram.filter((l) => l.includes('Error 11200') || l.includes('FallbackUrl'))).toEqual([
      'ozml->>app: Error 11200',
      'ozml->>app: GoTo (FallbackUrl)',
    ]);
  });
});
