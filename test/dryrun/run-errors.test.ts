/**
 * An error the engine reports fails the run unless the scenario expects it: an `error`
 * expectation (or an `event` expectation of type `error`) that matched it, or a `callEnded`
 * expectation for the cause its session ended with.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/dryrun/check.js';
import type { ScenarioReport } from '../../src/dryrun/check.js';
import { parseScenario, ScenarioError } from '../../src/dryrun/scenario/load.js';
import { ozml, tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir();
  // Delay's Time expands to text: the verb cannot run, the script goes on and the call ends normally.
  writeFileSync(join(dir.path, 'bad-delay.xml'), '<Response><Var ID="x" Value="abc"/><Delay Time="$x"/><Speak>hi</Speak></Response>');
  writeFileSync(join(dir.path, 'broken-goto.xml'), '<Response><Delay Time="$x"/><GoTo>https://app.test/next</GoTo></Response>');
});
afterAll(() => dir.remove());

async function check(script: string, expectations: string): Promise<ScenarioReport> {
  const scenario = parseScenario(`script: ${script}\nwebhooks:\n  https://app.test/next: { status: 500 }\n${expectations}`, { baseDir: dir.path });
  return checkScenario(scenario, 's.yaml');
}
const runCheck = (report: ScenarioReport) => report.results.find((r) => r.group === 'run')!;

describe('errors fail the run unless expected', () => {
  it('ozml run of a verb that fails with an error exits 1 and says which error', async () => {
    const r = await ozml(['run', 'bad-delay.xml'], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('+0.400s  ozml         session s1 ended: normal (3 verbs, 1 document)');
    expect(r.stdout.split('\n').slice(-4)).toEqual([
      '✗ bad-delay.xml: the call ended with an application error',
      '    ✗ the call runs without an application error',
      `      +0.000s  ozml         error invalid-attribute-value in Delay: Time of <Delay> must be a whole number; '$x' expanded to 'abc'.  (no "error" expectation asks for it)`,
      '',
    ]);
  });

  it('an error expectation with the code, the verb and the text expects it', async () => {
    const report = await check('bad-delay.xml', 'expect:\n  - error: invalid-attribute-value\n    verb: delay\n    text: "/must be a whole number/"\n');
    expect(report.results.map((r) => [r.description, r.passed])).toEqual([
      ['error "invalid-attribute-value" in Delay /must be a whole number/', true],
      ['the call runs without an application error', true],
    ]);
    expect(report.passed).toBe(true);
  });

  it('an error expectation that does not match leaves the error unexpected', async () => {
    const report = await check('bad-delay.xml', 'expect:\n  - error: any\n    verb: Speak\n');
    expect(report.results.map((r) => [r.description, r.passed])).toEqual([
      ['error in Speak', false],
      ['the call runs without an application error', false],
    ]);
    expect(report.results[0]!.explanation).toEqual([
      'expected: error in Speak',
      'nearest actual:',
      `  +0.000s  ozml         error invalid-attribute-value in Delay: Time of <Delay> must be a whole number; '$x' expanded to 'abc'.  (not in Speak)`,
    ]);
  });

  it('an event expectation of type error expects it too; a never expectation does not', async () => {
    expect((await check('bad-delay.xml', 'expect:\n  - event: { type: error, code: invalid-attribute-value }\n')).passed).toBe(true);
    const never = await check('bad-delay.xml', 'expect:\n  never:\n    - error: any\n');
    expect(never.results.map((r) => [r.description, r.passed])).toEqual([
      ['never: error', false],
      ['the call runs without an application error', false],
    ]);
  });

  it('a session ending with an application error is reported once, with the error that ended it', async () => {
    const report = await check('broken-goto.xml', '');
    expect(runCheck(report).explanation).toEqual([
      `+0.000s  ozml         error invalid-attribute-value in Delay: Time of <Delay> must be a whole number; '$x' expanded to ''.  (no "error" expectation asks for it)`,
      '+0.000s  ozml         session s1 ended: application-error (2 verbs, 2 documents) — GoTo to https://app.test/next failed: HTTP 500 from https://app.test/next (scenario webhook https://app.test/next)',
    ]);
  });

  it('callEnded: application-error expects the errors of the session that ends so', async () => {
    const report = await check('broken-goto.xml', 'expect:\n  - callEnded: application-error\n');
    expect(runCheck(report)).toMatchObject({ passed: true, explanation: [] });
  });

  it('names the verb of an error expectation from the language', () => {
    expect(() => parseScenario('script: bad-delay.xml\nexpect:\n  - error: any\n    verb: Delai\n', { shownPath: 's.yaml', baseDir: dir.path }))
      .toThrow(new ScenarioError('s.yaml', ['s.yaml:4:11: expect[0].verb: unknown verb "Delai" (did you mean "Delay"?)']));
  });
});
