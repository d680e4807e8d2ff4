/**
 * The dry run in-process: what the scenario's webhooks do to virtual time and to the call, the
 * time limit, each kind of call (inbound, outbound, API command, routing, third-party), and
 * determinism.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/dryrun/expect/evaluate.js';
import type { DryRunEvent } from '../../src/dryrun/events.js';
import { formatNdjson } from '../../src/dryrun/format/ndjson.js';
import { runScenario } from '../../src/dryrun/runner.js';
import type { RunResult } from '../../src/dryrun/runner.js';
import { parseScenario } from '../../src/dryrun/scenario/load.js';
import { eventSchemaErrors, tempDir } from './helpers.js';

let dir: { path: string; remove: () => void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

/** Writes `script` as `name` next to a scenario and runs it. */
async function run(name: string, script: string, scenario: string, options: { realtime?: boolean } = {}): Promise<RunResult> {
  writeFileSync(join(dir.path, name), script);
  const result = await runScenario(parseScenario(`script: ${name}\n${scenario}`, { baseDir: dir.path }), options);
  for (const event of result.events) expect(eventSchemaErrors(event), JSON.stringify(event)).toBe('');
  return result;
}

const only = (events: readonly DryRunEvent[], ...types: string[]): DryRunEvent[] => events.filter((e) => types.includes(e.type));
const brief = (e: DryRunEvent): string => {
  switch (e.type) {
    case 'leg.state': return `${e.t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` ${e.cause}` : ''}`;
    case 'notification.requested': return `${e.t} → ${e.name} ${e.url}`;
    case 'notification.replied': return `${e.t} ← ${e.reply}${e.code ? ` ${e.code}` : ''}`;
    case 'verb.started': return `${e.t} ${e.sessionId} ${e.verb}`;
    case 'session.ended': return `${e.t} ${e.sessionId} ended ${e.cause}`;
    case 'webhook.failure': return `${e.t} failure ${e.notification} ${e.code}`;
    case 'webhook.error-notification': return `${e.t} Error to ${e.url} (${e.code})`;
    case 'webhook.fallback': return `${e.t} fallback ${e.url}`;
    case 'route.decided': return `${e.t} route ${e.destination}`;
    case 'route.ended': return `${e.t} route ${e.destination} ${e.cause} ${e.lastCallState}`;
    case 'dtmf.sent': return `${e.t} dtmf ${e.legId} ${e.digits}`;
    case 'run.ended': return `${e.t} run ended ${e.cause} ${e.stopped}`;
    default: return `${e.t} ${e.type}`;
  }
};
const trace = (r: RunResult, ...types: string[]): string[] => only(r.events, ...types).map(brief);

describe('scenario webhooks', () => {
  it('a delayed reply lets exactly that much virtual time pass', async () => {
    const r = await run('slow.xml', '<Response><GoTo>https://a.test/slow</GoTo></Response>', [
      'webhooks:',
      '  https://a.test/slow: { ozml: "<Response><Hangup/></Response>", delaySeconds: 3.25 }',
    ].join('\n'));
    expect(trace(r, 'notification.requested', 'notification.replied', 'session.ended')).toEqual([
      '0 → IncomingCall https://app.invalid/slow.xml',
      '0 ← document',
      '0 → GoTo https://a.test/slow',
      '3.25 ← document',
      '3.25 s1 ended normal',
    ]);
  });

  it('a reply slower than the total timeout fails (11210), the Error goes to ErrorUrl, FallbackUrl takes over', async () => {
    const r = await run('timeout.xml', '<Response><GoTo>https://a.test/slow</GoTo></Response>', [
      'app: { errorUrl: https://a.test/error, fallbackUrl: https://a.test/fallback, timeouts: { totalMs: 5000 } }',
      'webhooks:',
      '  https://a.test/slow: { ozml: "<Response/>", delaySeconds: 20 }',
      '  https://a.test/error: ""',
      '  https://a.test/fallback: <Response><Speak>Sorry.</Speak></Response>',
    ].join('\n'));
    expect(trace(r, 'notification.requested', 'notification.replied', 'webhook.failure', 'webhook.error-notification', 'webhook.fallback', 'verb.started', 'session.ended')).toEqual([
      '0 → IncomingCall https://app.invalid/timeout.xml',
      '0 ← document',
      '0 s1 GoTo',
      '0 → GoTo https://a.test/slow',
      '5 failure GoTo 11210',
      '5 Error to https://a.test/error (11210)',
      '5 fallback https://a.test/fallback',
      '5 ← document',
      '5 s1 Speak',
      '5.9 s1 ended normal',
    ]);
    expect(r.events.find((e) => e.type === 'webhook.failure')).toMatchObject({
      detail: 'no reply from https://a.test/slow within 5 s (the scenario delays it 20 s)',
    });
  });

  it('answers in turn, the last reply repeating, and matches on the notification and its parameters', async () => {
    const menu = '<UserInput Digits="1" Timeout="2" ForwardToUrl="https://a.test/key"/>';
    const r = await run('turns.xml', `<Response>${menu}${menu}</Response>`, [
      'call: { presses: ["7", "8", "9", "6"] }',
      'webhooks:',
      '  - url: https://a.test/key',
      '    params: { DtmfDigits: "9" }',
      '    ozml: <Response/>',
      '  - url: https://a.test/key',
      '    notification: DtmfEntered',
      `    replies: ["", '<Response>${menu}${menu}</Response>']`,
    ].join('\n'));
    const asked = only(r.events, 'notification.requested').map((e) => (e.type === 'notification.requested' ? `${e.name} ${e.params['DtmfDigits'] ?? ''}`.trim() : ''));
    expect(asked).toEqual(['IncomingCall', 'DtmfEntered 7', 'DtmfEntered 8', 'DtmfEntered 9', 'DtmfEntered 6']);
    const replies = only(r.events, 'notification.replied').map((e) => (e.type === 'notification.replied' ? e.reply : ''));
    expect(replies).toEqual(['document', 'empty', 'document', 'empty', 'document']);
    expect(r.cause).toBe('normal');
  });

  it('a URL no webhook answers fails like a 404 and names the webhooks there are', async () => {
    const r = await run('missing.xml', '<Response><GoTo>https://a.test/missing</GoTo></Response>', 'webhooks:\n  https://a.test/other: ""\n');
    expect(r.events.find((e) => e.type === 'webhook.failure')).toEqual({
      t: 0, type: 'webhook.failure', notification: 'GoTo', url: 'https://a.test/missing', code: 11200,
      detail: 'no webhook in the scenario answers https://a.test/missing (webhooks: https://a.test/other, https://app.invalid/missing.xml, https://app.invalid/**)',
    });
    expect(r.cause).toBe('application-error');
  });

  it('serves the files next to the script for its relative URLs', async () => {
    writeFileSync(join(dir.path, 'next.xml'), '<Response><Speak>Next.</Speak></Response>');
    const r = await run('relative.xml', '<Response><GoTo>next.xml</GoTo></Response>', '');
    expect(trace(r, 'notification.requested', 'notification.replied')).toEqual([
      '0 → IncomingCall https://app.invalid/relative.xml',
      '0 ← document',
      '0 → GoTo https://app.invalid/next.xml',
      '0 ← document',
    ]);
    const escaped = await run('escape.xml', '<Response><GoTo>../../etc/passwd</GoTo></Response>', '');
    expect(escaped.events.find((e) => e.type === 'webhook.failure')).toMatchObject({ code: 11200, url: 'https://app.invalid/etc/passwd' });
  });
});

describe('the run', () => {
  it('stops at clock.maxSeconds: sessions cancelled there, nothing after it, and the run fails', async () => {
    const r = await run('limit.xml', '<Response><Speak>Hold on.</Speak><Delay>600</Delay><Speak>Never.</Speak></Response>', 'clock: { maxSeconds: 30 }\n');
    expect(r.stopped).toBe(true);
    expect(trace(r, 'leg.state', 'session.ended', 'run.ended')).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '30 in-1 Established→Released cancelled',
      '30 s1 ended cancelled',
      '30 run ended cancelled max-seconds',
    ]);
    const verdict = evaluate(r.scenario.expect, r.events).at(-1);
    expect(verdict).toEqual({
      group: 'run', description: 'the call runs without an application error', passed: false,
      explanation: ['the run was stopped at the time limit (30s; clock.maxSeconds)'],
    });
  });

  it('starts the clock where the scenario says and reports times from there', async () => {
    const r = await run('clock.xml', '<Response><Speak>Hi.</Speak></Response>', 'clock: { start: "2026-03-01T08:00:00+01:00" }\n');
    expect(r.events[0]).toMatchObject({ type: 'run.started', clock: '2026-03-01T07:00:00.000Z' });
    expect(r.events.find((e) => e.type === 'notification.requested')).toMatchObject({ params: { Timestamp: '2026-03-01T07:00:00.000Z' } });
    expect(r.seconds).toBe(0.9);
  });

  it('gives byte-identical NDJSON for the same scenario', async () => {
    const scenario = 'call: { digits: "2" }\nparties:\n  "2001": { ringSeconds: 3, hangupAfterSeconds: 10 }\n';
    const script = '<Response><UserInput Digits="1"><Inputs><Input Key="2"><BlindTransfer Whisper="Hello">2001</BlindTransfer></Input></Inputs></UserInput></Response>';
    const a = await run('same.xml', script, scenario);
    const b = await run('same.xml', script, scenario);
    expect(formatNdjson(b.events)).toBe(formatNdjson(a.events));
    expect(a.cause).toBe('transferred');
  });

  it('--realtime runs on the wall clock', async () => {
    const before = Date.now();
    const r = await run('realtime.xml', '<Response><Hangup/></Response>', '', { realtime: true });
    const after = Date.now();
    expect(trace(r, 'session.ended', 'run.ended').map((line) => line.replace(/^\S+ /, ''))).toEqual(['s1 ended normal', 'run ended normal null']);
    // The run starts on the wall clock (the scenario's default start time is ignored).
    const started = Date.parse(String((r.events[0] as { clock: string }).clock));
    expect(started >= before && started <= after).toBe(true);
  });
});

describe('kinds of call', () => {
  it('outbound: the platform dials, the script answers CallConnected once the callee picks up', async () => {
    const r = await run('outbound.xml', '<Response><UserInput Digits="1" Timeout="3"/><Speak>Bye.</Speak></Response>', [
      'call: { direction: outbound, to: "+15551230099", ringSeconds: 4, digits: "5" }',
    ].join('\n'));
    expect(r.events[0]).toMatchObject({ type: 'run.started', direction: 'outbound', from: '9000', to: '+15551230099', leg: 'leg-1' });
    expect(trace(r, 'leg.state', 'notification.requested', 'session.ended')).toEqual([
      '0 leg-1 Idle→Dialing',
      '4 leg-1 Dialing→Established',
      '4 → CallConnected https://app.invalid/outbound.xml',
      '5.9 leg-1 Established→Released normal',
      '5.9 s1 ended normal',
    ]);
    expect(r.events.find((e) => e.type === 'digits.received')).toMatchObject({ digits: '5' });
  });

  it('outbound that is never answered: no session, no cause', async () => {
    const r = await run('unanswered.xml', '<Response/>', 'call: { direction: outbound, response: busy, ringSeconds: 2 }\n');
    expect(trace(r, 'leg.state', 'run.ended')).toEqual(['0 leg-1 Idle→Dialing', '2 leg-1 Dialing→Released busy', '2 run ended null null']);
    expect(r.cause).toBeNull();
  });

  it('routing: a Route with no destination rejects the ringing call', async () => {
    const r = await run('reject.xml', '<Response><Route Destination=""/></Response>', 'call: { context: routing, to: "1000" }\n');
    expect(trace(r, 'leg.state', 'route.decided', 'run.ended')).toEqual([
      '0 in-1 Idle→Ringing',
      '0 route ',
      '0 in-1 Ringing→Released rejected',
      '0 run ended rejected null',
    ]);
  });

  it('routing: an empty reply lets the dial plan ring the number dialled; each failure asks again', async () => {
    const r = await run('dialplan.xml', '<Response/>', [
      'call: { context: routing, to: "1000" }',
      'parties:',
      '  "1000": { response: busy }',
      '  "2000": { response: no-answer, ringSeconds: 5 }',
      'webhooks:',
      '  - url: https://app.invalid/dialplan.xml',
      '    params: { LastCallState: Busy, LastDialedNumber: "1000" }',
      '    ozml: <Response><Route Destination="line1" DialedNumber="2000" RingTime="30"/></Response>',
      '  - url: https://app.invalid/dialplan.xml',
      '    params: { LastCallState: NoAnswer, LastCalledExtension: line1, LastDialedNumber: "2000" }',
      '    ozml: <Response><Route Destination=""/></Response>',
    ].join('\n'));
    expect(trace(r, 'route.decided', 'route.ended', 'leg.state', 'run.ended')).toEqual([
      '0 in-1 Idle→Ringing',
      '0 route 1000',
      '0 in-1 Ringing→Established',
      '0 leg-1 Idle→Dialing',
      '0 leg-1 Dialing→Released busy',
      '0 route 1000 busy Busy',
      '0 route line1',
      '0 leg-2 Idle→Dialing',
      '5 leg-2 Dialing→Released no-answer',
      '5 route line1 no-answer NoAnswer',
      '5 route ',
      '5 in-1 Established→Released normal',
      '5 run ended normal null',
    ]);
    expect(r.events.find((e) => e.type === 'leg.created' && e.legId === 'leg-2')).toMatchObject({ to: '2000', from: '+15550100001' });
  });

  it('third-party: the platform connects the call and tells the script (CallChanged)', async () => {
    const r = await run('third-party.xml', '<Response><SendDTMF Party="callee" Keys="42"/></Response>', [
      'call: { context: third-party, to: "2001", hangupAfterSeconds: 20 }',
      'parties:',
      '  "2001": { ringSeconds: 2 }',
    ].join('\n'));
    expect(trace(r, 'leg.state', 'notification.requested', 'dtmf.sent', 'session.ended')).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 leg-1 Idle→Dialing',
      '2 leg-1 Dialing→Established',
      '2 → CallChanged https://app.invalid/third-party.xml',
      '2.4 dtmf leg-1 42',
      '2.4 s1 ended normal',
      '20 in-1 Established→Released remote-hangup',
      '20 leg-1 Established→Released end-of-run',
    ]);
    expect(r.events.find((e) => e.type === 'notification.requested')).toMatchObject({ params: { CallId: 'in-1', CallState: 'InCall' } });
  });

  it('API command (direction none): the script places a call; CallConnected runs on it', async () => {
    const r = await run('reminder.xml', '<Response><Call Dialled="2002" Url="https://a.test/connected"/></Response>', [
      'call: { direction: none }',
      'parties:',
      '  "2002": { ringSeconds: 1 }',
      'webhooks:',
      '  https://a.test/connected: <Response><Speak>Reminder.</Speak></Response>',
    ].join('\n'));
    expect(r.events[0]).toMatchObject({ type: 'run.started', direction: 'none', leg: null });
    expect(trace(r, 'verb.started', 'leg.state', 'notification.requested', 'session.ended')).toEqual([
      '0 s1 Call',
      '0 leg-1 Idle→Dialing',
      '0 s1 ended normal',
      '1 leg-1 Dialing→Established',
      '1 → CallConnected https://a.test/connected',
      '1 s2 Speak',
      '1.9 leg-1 Established→Released normal',
      '1.9 s2 ended normal',
    ]);
  });
});

describe('the platform\'s arrays (arrays:)', () => {
  const VOICEMAIL = `<Response>
  <ForEach Source="voicemails"><Speak>At $item.date from $item.from.</Speak><Play>$item.message</Play></ForEach>
  <ForEach Source="menus"><Speak>$item</Speak></ForEach>
  <Speak>$username, no new messages in $oldmessagepath.</Speak>
</Response>`;
  const spoken = (r: RunResult) => r.events.flatMap((e) => {
    if (e.type === 'error') return [`error ${e.code}: ${e.message}`];
    return e.type === 'verb.started' ? [`${e.verb} ${JSON.stringify(e.attributes)}`] : [];
  });

  it('voicemails is there without being listed, empty (lint knows it as the platform\'s); an unknown array is an error event', async () => {
    const r = await run('vm.xml', VOICEMAIL, 'call: { params: { username: "1001", oldmessagepath: /srv/vm/old } }');
    expect(spoken(r)).toEqual([
      'ForEach {"Source":"voicemails"}',
      'ForEach {"Source":"menus"}',
      "error unknown-array: ForEach: no array 'menus'",
      'Speak {"Text":"1001, no new messages in /srv/vm/old."}',
    ]);
  });

  it('the scenario supplies arrays of text or of items with fields (numbers as written)', async () => {
    const r = await run('vm.xml', VOICEMAIL, [
      'call: { params: { username: "1001", oldmessagepath: /srv/vm/old } }',
      'arrays:',
      '  voicemails:',
      '    - { date: "9 o\'clock", from: 1002, message: "https://vm.test/1.wav" }',
      '  menus: [sales, 42]',
    ].join('\n'));
    expect(spoken(r)).toEqual([
      'ForEach {"Source":"voicemails"}',
      'Speak {"Text":"At 9 o\'clock from 1002."}',
      'Play {"AudioFile":"https://vm.test/1.wav","Repeat":false}',
      'ForEach {"Source":"menus"}',
      'Speak {"Text":"sales"}',
      'Speak {"Text":"42"}',
      'Speak {"Text":"1001, no new messages in /srv/vm/old."}',
    ]);
  });
});
