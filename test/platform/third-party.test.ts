/**
 * Third-party calls in the dry run: with IncomingCall the app hears of the call while it rings and
 * can Forward it (it could not: the platform answered and connected first); a third-party call the
 * platform cannot connect fails the run with the reason, as a process.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/dryrun/index.js';
import type { DryRunEvent } from '../../src/dryrun/index.js';
import { runScenario } from '../../src/dryrun/runner.js';
import { ozml, scratchDirectory } from '../dryrun/helpers.js';

const dir = scratchDirectory();
const write = dir.write;

const trace = (events: readonly DryRunEvent[]): string[] => events.flatMap((e) => {
  switch (e.type) {
    case 'leg.state': return [`${e.t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` (${e.cause})` : ''}`];
    case 'notification.requested': return [`${e.t} ${e.name} CallState=${e.params['CallState']}`];
    case 'verb.finished': return [`${e.t} ${e.verb} ${e.result}`];
    case 'transfer.ended': return [`${e.t} ${e.legId} ${e.kind} to ${e.target}: ${e.cause}`];
    case 'session.ended': return [`${e.t} ${e.sessionId} ended ${e.cause}`];
    default: return [];
  }
});

describe('the third-party model', () => {
  it('sends IncomingCall while the call rings, so Forward connects it elsewhere', async () => {
    write('tp.scenario.yaml', [
      'script: https://crm.example.com/ozml/incoming',
      'call: { context: third-party, notification: IncomingCall, from: "+15551230009", to: "2001", hangupAfterSeconds: 30 }',
      'parties:', '  "2001": { ringSeconds: 3 }', '  "2002": { ringSeconds: 2, hangupAfterSeconds: 10 }',
      'webhooks:', '  https://crm.example.com/ozml/incoming: <Response><Forward Destination="2002"/></Response>', '',
    ].join('\n'));
    const result = await runScenario(await loadScenario(join(dir.path, 'tp.scenario.yaml')));
    expect(trace(result.events)).toEqual([
      '0 in-1 Idle→Ringing',
      '0 IncomingCall CallState=Ringing',
      '0 in-1 Ringing→Established',
      '0 leg-1 Idle→Dialing',
      '2 leg-1 Dialing→Established',
      // Handed off: both legs leave the platform, the parties stay connected on the switch.
      '2 in-1 Established→Released (transferred)',
      '2 leg-1 Established→Released (transferred)',
      '2 in-1 blind to 2002: completed',
      '2 Forward completed',
      '2 s1 ended normal',
    ]);
    // 2001 never rang: the app forwarded the call before the platform connected it.
    expect(result.events.filter((e) => e.type === 'leg.created' && e.direction === 'outbound').map((e) => e.type === 'leg.created' && e.to)).toEqual(['2002']);
  });

  it('connects a call the IncomingCall document left ringing, with no second notification', async () => {
    write('tp.scenario.yaml', [
      'script: https://crm.example.com/ozml/incoming',
      'call: { context: third-party, notification: IncomingCall, to: "2001", hangupAfterSeconds: 20 }',
      'parties:', '  "2001": { ringSeconds: 3 }',
      'webhooks:', '  https://crm.example.com/ozml/incoming: ""', '',
    ].join('\n'));
    const result = await runScenario(await loadScenario(join(dir.path, 'tp.scenario.yaml')));
    expect(trace(result.events)).toEqual([
      '0 in-1 Idle→Ringing',
      '0 IncomingCall CallState=Ringing',
      '0 s1 ended normal',
      '0 in-1 Ringing→Established',
      '0 leg-1 Idle→Dialing',
      '3 leg-1 Dialing→Established',
      '3 in-1 conference to 2001: completed',
      '20 in-1 Established→Released (remote-hangup)',
      '20 leg-1 Established→Released (end-of-run)', // 2001 was given no hang-up time
    ]);
  });

  it('fails ozml run with the reason when the platform connects no one (it passed with 0 expectations)', async () => {
    write('tp.xml', '<Response><Speak Party="all">Hello.</Speak></Response>');
    const run = await ozml(['run', 'tp.xml', '--context', 'third-party'], { cwd: dir.path });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('    ✗ the call runs without an application error\n'
      + '      the platform could not connect +15550100001 to 9000 (not-found), so the script was never notified; give 9000 a behaviour in the scenario\'s parties\n');
  });
});
