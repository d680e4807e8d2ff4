/**
 * Several calls in one scenario: each placed at its time, with its own numbers, behaviour and
 * optionally its own script; a fixed call id; problems with ids reported with their place.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../src/dryrun/index.js';
import { runScenario } from '../../src/dryrun/runner.js';
import type { DryRunEvent } from '../../src/dryrun/index.js';
import { ozml, ROOT, scratchDirectory } from '../dryrun/helpers.js';

const dir = scratchDirectory();
const write = dir.write;

/** The ScenarioError `load` throws (synchronously or not), or a failure when it throws none. */
async function scenarioError(load: () => unknown): Promise<ScenarioError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('the scenario loaded');
}

const trace = (events: readonly DryRunEvent[]): string[] => events.flatMap((e) => {
  if (e.type === 'leg.state') return [`${e.t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` (${e.cause})` : ''}`];
  if (e.type === 'session.started') return [`${e.t} ${e.sessionId} started on ${e.callId}`];
  if (e.type === 'session.ended') return [`${e.t} ${e.sessionId} ended ${e.cause}`];
  return [];
});

describe('a scenario with several calls', () => {
  it('places each call at its time, an outbound one with its own script, and keeps the first call the run\'s', async () => {
    write('main.xml', '<Response><Speak>Welcome.</Speak><Delay Time="20"/></Response>');
    write('reminder.xml', '<Response><Speak>Your appointment is tomorrow.</Speak></Response>');
    write('two.scenario.yaml', [
      'script: main.xml',
      'call: { id: Main1, hangupAfterSeconds: 10 }',
      'calls:',
      '  - { atSeconds: 5, direction: outbound, from: "9000", to: "+15550100222", script: reminder.xml, ringSeconds: 2, hangupAfterSeconds: 30 }',
      '  - { atSeconds: 7, from: "+15550100333", hangupAfterSeconds: 1 }',
      'expect:',
      '  ordered:',
      '    - { leg: Main1, state: Established, atSeconds: 0 }',
      '    - { leg: "+15550100222", state: Established, atSeconds: 7 }',
      '    - { leg: in-1, state: Established, atSeconds: 7 }',
      '    - { leg: in-1, state: Released, cause: remote-hangup, atSeconds: 8 }',
      '    - { leg: Main1, state: Released, cause: remote-hangup, atSeconds: 10 }',
      '',
    ].join('\n'));
    const scenario = await loadScenario(join(dir.path, 'two.scenario.yaml'));
    expect(scenario.calls.map((c) => [c.atMs, c.direction, c.to, c.script ?? null, c.url])).toEqual([
      [5000, 'outbound', '+15550100222', 'reminder.xml', 'https://app.invalid/reminder.xml'],
      [7000, 'inbound', '9000', null, 'https://app.invalid/main.xml'],
    ]);
    const result = await runScenario(scenario);
    expect(result.events[0]).toMatchObject({ type: 'run.started', leg: 'Main1' });
    expect(trace(result.events)).toEqual([
      '0 Main1 Idle→Ringing',
      '0 s1 started on Main1',
      '0 Main1 Ringing→Established',
      '5 leg-1 Idle→Dialing',
      // The call placed at 7 s was scheduled (at 0 s) before the reminder's answer (at 5 s): it goes first.
      '7 in-1 Idle→Ringing',
      '7 s2 started on in-1',
      '7 in-1 Ringing→Established',
      '7 leg-1 Dialing→Established',
      '7 s3 started on leg-1',
      '8 in-1 Established→Released (remote-hangup)',
      '8 s2 ended caller-hangup',
      '9.1 leg-1 Established→Released (normal)',
      '9.1 s3 ended normal',
      '10 Main1 Established→Released (remote-hangup)',
      '10 s1 ended caller-hangup',
    ]);
    expect(result.events.filter((e) => e.type === 'notification.requested').map((e) => e.type === 'notification.requested' && [e.t, e.name, e.url, e.params['CallId']])).toEqual([
      [0, 'IncomingCall', 'https://app.invalid/main.xml', 'Main1'],
      [7, 'IncomingCall', 'https://app.invalid/main.xml', 'in-1'],
      [7, 'CallConnected', 'https://app.invalid/reminder.xml', 'leg-1'],
    ]);
    expect(result.cause).toBe('caller-hangup');
  });

  it('reports call ids that collide or have the platform\'s own form, and a call with direction none, at their place', async () => {
    write('main.xml', '<Response/>');
    write('bad.scenario.yaml', [
      'script: main.xml',
      'call: { id: in-3 }',
      'calls:',
      '  - { id: A1 }',
      '  - { id: A1 }',
      '',
    ].join('\n'));
    const error = await scenarioError(() => loadScenario(join(dir.path, 'bad.scenario.yaml')));
    expect(error.problems.map((p) => p.replace(/^.*bad\.scenario\.yaml/, 'bad.scenario.yaml'))).toEqual([
      'bad.scenario.yaml:2:13: call.id: "in-3" has the form of an id the platform mints (in-N, leg-N, sN); choose another',
      'bad.scenario.yaml:5:11: calls[1].id: "A1" is the id of another call of this scenario',
    ]);
    write('none.scenario.yaml', 'script: main.xml\ncalls:\n  - { direction: none }\n');
    const none = await scenarioError(() => loadScenario(join(dir.path, 'none.scenario.yaml')));
    expect(none.problems.map((p) => p.replace(/^.*none\.scenario\.yaml/, 'none.scenario.yaml'))).toEqual(['none.scenario.yaml:3:18: calls[0].direction: must be one of "inbound", "outbound"']);
  });
});

describe('the seed flow: AttendedTransfer by TargetCallId', () => {
  it('passes from ozml test as a process', async () => {
    const run = await ozml(['test', 'examples/attended-transfer-by-id'], { cwd: ROOT });
    expect(run.stdout).toBe('✓ examples/attended-transfer-by-id/by-id.scenario.yaml (14 expectations, 94.000s of call)\n\n1 passed, 0 failed\n');
    expect(run.code).toBe(0);
  });
});
