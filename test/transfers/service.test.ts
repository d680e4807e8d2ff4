/**
 * TransferToService at the verb level (seed 000): the service is an OzML script the interpreter
 * runs itself — the switch's loopback brings the service call back in, a second session answers it
 * — so "the service side hangs up" is that script ending. Every outcome, on the virtual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.dispose();
});

const STEPS = ['leg.created', 'leg.state', 'leg.capabilities', 'transfer.started', 'transfer.ended', 'bridge.started', 'bridge.ended', 'verb.started', 'verb.finished', 'session.started', 'session.ended', 'media.started', 'media.ended', 'error'];
const ESTABLISHED = '[Hangup,Hold,SendDtmf,InitiateTransfer,SingleStepTransfer,InitiateConference,SingleStepConference,UserData]';
const MAIN = '<Response><TransferToService Service="voicemail"/><Var ID="cause" Value="$TransferCause"/><Speak>Welcome back.</Speak></Response>';
const fromVerb = (lines: string[]): string[] => lines.slice(lines.findIndex((l) => l.endsWith('] TransferToService')));

describe('TransferToService to a service script', () => {
  it('the caller is Transferred while the service script runs; when it ends the call is retrieved and the script goes on', async () => {
    w = world({ services: { voicemail: '<Response><Speak>Leave a message.</Speak><Delay Time="3"/></Response>' } });
    expect((await w.inbound({}, MAIN)).cause).toBe('normal');
    expect(fromVerb(w.trace(STEPS.filter((t) => !t.startsWith('media')), { capabilities: true }))).toEqual([
      '0 [s1] TransferToService',
      '0 in-1 service transfer to voicemail (leg-1)',
      '0 leg-1 created Internal +15550001→service:voicemail',
      '0 leg-1 Idle→Dialing [Hangup,SendDtmf,UserData]',
      // The switch brings the service call back in; a second session answers it with the service's script.
      '0 in-2 created Internal +15550001→service:voicemail',
      '0 in-2 Idle→Ringing [Answer,UserData]',
      '0 [s2] start in-2',
      `0 in-2 Ringing→Established ${ESTABLISHED}`,
      `0 leg-1 Dialing→Established ${ESTABLISHED}`,
      '0 leg-1 capabilities [Hangup,SendDtmf,UserData]',
      '0 in-1 Established→Transferred [Hangup,UserData]',
      '0 bridge in-1+leg-1',
      '0 [s2] Speak',
      '1.7 [s2] Speak → completed',
      '1.7 [s2] Delay',
      '4.7 [s2] Delay → completed',
      // The service script ends: its session hangs up, which is the service side hanging up.
      '4.7 in-2 Established→Released (normal) []',
      '4.7 leg-1 Established→Released (remote-hangup) []',
      '4.7 unbridge leg-1+in-1 (remote-hangup)',
      `4.7 in-1 Transferred→Established ${ESTABLISHED}`,
      '4.7 in-1 service transfer retrieved',
      '4.7 [s1] TransferToService → retrieved',
      '4.7 [s1] Var',
      '4.7 [s1] Var → set',
      '4.7 [s2] end normal',
      '4.7 [s1] Speak',
      '6 [s1] Speak → completed',
      '6 in-1 Established→Released (normal) []',
      '6 [s1] end normal',
    ]);
    expect(w.vars()).toEqual([{ cause: 'retrieved' }]);
    // The service session knows what it answers.
    expect(w.of('session.started')[1]).toMatchObject({ sessionId: 's2', callId: 'in-2', caller: '+15550001', callee: 'voicemail', direction: 'inbound' });
  });

  it('a service at a URL: IncomingCall fetches its script; the caller hears the ringback tone while it rings; the caller\'s digits reach the service', async () => {
    const menu = '<Response><UserInput Digits="1" Timeout="5"><InitialCommands><Speak>Press 1.</Speak></InitialCommands><Inputs><Input Key="1"><Speak>One.</Speak></Input></Inputs></UserInput></Response>';
    w = world({ services: { voicemail: 'http://services.example/vm' }, routes: { 'http://services.example/vm': { ozml: menu, delayMs: 4000 } } });
    await w.inbound({ behaviour: { presses: [{ digits: '1' }] } }, MAIN.replace('Service="voicemail"', 'Service="voicemail" RingbackTone="ringback-eu" CallFrom="+15550002"'));
    expect(fromVerb(w.trace([...STEPS, 'digits.collected', 'notification.requested']))).toEqual([
      '0 [s1] TransferToService',
      '0 in-1 service transfer to voicemail (leg-1)',
      '0 leg-1 created Internal +15550002→service:voicemail',
      '0 leg-1 Idle→Dialing',
      '0 in-1 tone ringback-eu',
      '0 in-2 created Internal +15550002→service:voicemail',
      '0 in-2 Idle→Ringing',
      '0 [s2] start in-2',
      '0 → IncomingCall http://services.example/vm',
      // The service's web server takes 4 s to answer; until then the service call rings.
      '4 in-2 Ringing→Established',
      '4 leg-1 Dialing→Established',
      '4 in-1 tone ringback-eu ended interrupted',
      '4 leg-1 capabilities [Hangup,SendDtmf,UserData]',
      '4 in-1 Established→Transferred',
      '4 bridge in-1+leg-1',
      '4 [s2] UserInput',
      '4 [s2] Speak',
      '4 in-2 speech Press 1.',
      // The caller presses 1 a second after the service asks.
      "5 in-2 digits '1' complete",
      '5 in-2 speech Press 1. ended interrupted',
      '5 [s2] Speak → interrupted',
      '5 [s2] Speak',
      '5 in-2 speech One.',
      '5.9 in-2 speech One. ended completed',
      '5.9 [s2] Speak → completed',
      '5.9 [s2] UserInput → matched 1',
      '5.9 in-2 Established→Released (normal)',
      '5.9 leg-1 Established→Released (remote-hangup)',
      '5.9 unbridge leg-1+in-1 (remote-hangup)',
      '5.9 in-1 Transferred→Established',
      '5.9 in-1 service transfer retrieved',
      '5.9 [s1] TransferToService → retrieved',
      '5.9 [s1] Var', '5.9 [s1] Var → set', '5.9 [s2] end normal', '5.9 [s1] Speak', '5.9 in-1 speech Welcome back.',
      '7.2 in-1 speech Welcome back. ended completed', '7.2 [s1] Speak → completed',
      '7.2 in-1 Established→Released (normal)', '7.2 [s1] end normal',
    ]);
    expect(w.source.deliveries.map((d) => d.params)).toEqual([{
      NotificationName: 'IncomingCall', CallId: 'in-2', Caller: '+15550002', Callee: 'voicemail', ApiExtension: '9000',
      CallState: 'Ringing', Direction: 'Incoming', Timestamp: '1970-01-01T00:00:00.000Z', Service: 'voicemail',
    }]);
  });

  it.each([
    ['Timeout="3": the transfer did not complete in time', ' Timeout="3"', 10, '3'],
    ['the default timeout is 120 s', '', 130, '120'],
  ])('%s → timeout; the service call is cancelled, its session ends, the caller goes on', async (_name, attribute, delaySeconds, at) => {
    w = world({ services: { voicemail: 'http://services.example/vm' }, routes: { 'http://services.example/vm': { ozml: '<Response><Speak>Hi.</Speak></Response>', delayMs: delaySeconds * 1000 } } });
    await w.inbound({}, MAIN.replace('Service="voicemail"', `Service="voicemail"${attribute}`));
    expect(fromVerb(w.trace(STEPS.filter((t) => t !== 'media.started')))).toEqual([
      '0 [s1] TransferToService',
      '0 in-1 service transfer to voicemail (leg-1)',
      '0 leg-1 created Internal +15550001→service:voicemail',
      '0 leg-1 Idle→Dialing',
      '0 in-2 created Internal +15550001→service:voicemail',
      '0 in-2 Idle→Ringing',
      '0 [s2] start in-2',
      `${at} leg-1 Dialing→Released (cancelled)`,
      `${at} in-2 Ringing→Released (remote-hangup)`,
      `${at} in-1 tone ringback-us ended interrupted`,
      `${at} in-1 service transfer timeout`,
      `${at} [s1] TransferToService → timeout`,
      `${at} [s1] Var`, `${at} [s1] Var → set`, `${at} [s1] Speak`,
      `${at} [s2] end caller-hangup`,
      // "Welcome back." takes 1.3 s.
      `${Number(at) + 1.3} in-1 speech Welcome back. ended completed`, `${Number(at) + 1.3} [s1] Speak → completed`,
      `${Number(at) + 1.3} in-1 Established→Released (normal)`, `${Number(at) + 1.3} [s1] end normal`,
    ]);
    expect(w.vars()).toEqual([{ cause: 'timeout' }]);
  });

  it('Timeout="0" means no limit: a service that answers after 200 s still gets the call', async () => {
    w = world({ services: { voicemail: 'http://services.example/vm' }, routes: { 'http://services.example/vm': { ozml: '<Response><Delay Time="1"/></Response>', delayMs: 200_000 } } });
    await w.inbound({}, MAIN.replace('Service="voicemail"', 'Service="voicemail" Timeout="0"'));
    expect(w.trace(['leg.state', 'transfer.ended']).filter((l) => l.includes('in-1'))).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '200 in-1 Established→Transferred', '201 in-1 Transferred→Established',
      '201 in-1 service transfer retrieved', '202.3 in-1 Established→Released (normal)',
    ]);
  });

  it('a service whose script refuses the call (Reject), and one whose file cannot be read: rejected', async () => {
    w = world({ services: { closed: '<Response><Reject/></Response>', broken: '/nonexistent/ozml/broken.xml' } });
    await w.inbound({}, '<Response><TransferToService Service="closed"/><Var ID="a" Value="$TransferCause"/><TransferToService Service="broken"/><Var ID="b" Value="$TransferCause"/></Response>');
    expect(w.vars()).toEqual([{ a: 'rejected' }, { b: 'rejected' }]);
    expect(w.trace(['leg.state', 'error']).filter((l) => !l.includes('in-1'))).toEqual([
      '0 leg-1 Idle→Dialing', '0 in-2 Idle→Ringing', '0 in-2 Ringing→Released (rejected)', '0 leg-1 Dialing→Released (rejected)',
      '0 leg-2 Idle→Dialing', '0 in-3 Idle→Ringing',
      "0 error service-unavailable: service broken: /nonexistent/ozml/broken.xml cannot run: ENOENT: no such file or directory, open '/nonexistent/ozml/broken.xml'",
      '0 in-3 Ringing→Released (rejected)', '0 leg-2 Dialing→Released (rejected)',
    ]);
  });

  it.each([
    ['busy', { response: 'busy', ringSeconds: 1 }, '1 leg-1 Dialing→Released (busy)', 'busy'],
    ['rejected', { response: 'reject', ringSeconds: 2 }, '2 leg-1 Dialing→Released (rejected)', 'rejected'],
    ['no answer (the network gives up)', { response: 'no-answer', ringSeconds: 4 }, '4 leg-1 Dialing→Released (no-answer)', 'no-answer'],
    ['no answer within Timeout="5"', { response: 'no-answer' }, '5 leg-1 Dialing→Released (cancelled)', 'timeout'],
  ] as const)('a service the switch answers by itself is %s: the caller stays Established, the script goes on', async (_name, behaviour, end, cause) => {
    w = world({ simServices: ['sales'], directory: { 'service:sales': behaviour } });
    await w.inbound({}, '<Response><TransferToService Service="sales" Timeout="5"/><Var ID="cause" Value="$TransferCause"/></Response>');
    const at = end.split(' ')[0]!;
    expect(w.trace(['leg.state', 'transfer.ended', 'verb.finished'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0 leg-1 Idle→Dialing', end,
      `${at} in-1 service transfer ${cause}`, `${at} [s1] TransferToService → ${cause}`, `${at} [s1] Var → set`,
      `${at} in-1 Established→Released (normal)`,
    ]);
    expect(w.vars()).toEqual([{ cause }]);
  });

  it('a service nobody answers for: not-found', async () => {
    w = world({ simServices: ['closed'] });
    await w.inbound({}, '<Response><TransferToService Service="closed"/><Var ID="cause" Value="$TransferCause"/></Response>');
    expect(w.vars()).toEqual([{ cause: 'not-found' }]);
  });

  it('the caller hangs up while the service call rings: the service call is cancelled, both sessions end', async () => {
    w = world({ services: { voicemail: 'http://services.example/vm' }, routes: { 'http://services.example/vm': { ozml: '<Response><Speak>Hi.</Speak></Response>', delayMs: 10_000 } } });
    expect((await w.inbound({ behaviour: { hangupAtSeconds: 4 } }, MAIN)).cause).toBe('caller-hangup');
    await w.settle();
    expect(w.trace(['leg.state', 'transfer.ended', 'verb.finished', 'session.ended']).filter((l) => l.startsWith('4 '))).toEqual([
      '4 in-1 Established→Released (remote-hangup)',
      '4 leg-1 Dialing→Released (cancelled)',
      '4 in-2 Ringing→Released (remote-hangup)',
      '4 in-1 service transfer caller-hangup',
      '4 [s1] TransferToService → interrupted',
      '4 [s2] end caller-hangup',
      '4 [s1] end caller-hangup',
    ]);
  });

  it('the caller hangs up while transferred: the service side is hung up, the service session ends', async () => {
    w = world({ services: { voicemail: '<Response><Delay Time="60"/></Response>' } });
    expect((await w.inbound({ behaviour: { hangupAtSeconds: 5 } }, MAIN)).cause).toBe('caller-hangup');
    await w.settle();
    expect(w.trace(['leg.state', 'leg.capabilities', 'transfer.ended', 'session.ended']).filter((l) => l.startsWith('5 '))).toEqual([
      '5 in-1 Transferred→Released (remote-hangup)',
      `5 leg-1 capabilities ${ESTABLISHED}`,
      '5 leg-1 Established→Released (normal)',
      '5 in-2 Established→Released (remote-hangup)',
      '5 in-1 service transfer caller-hangup',
      '5 [s2] end caller-hangup',
      '5 [s1] end caller-hangup',
    ]);
  });

  it('a service script can pass the call on: when that call ends the caller is retrieved', async () => {
    w = world({ services: { desk: '<Response><BlindTransfer>2000</BlindTransfer></Response>' }, directory: { '2000': { ringSeconds: 2, hangupAfterSeconds: 10 } } });
    await w.inbound({}, MAIN.replace('voicemail', 'desk'));
    expect(w.trace(['leg.state', 'transfer.ended', 'bridge.started', 'bridge.ended', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0 leg-1 Idle→Dialing', '0 in-2 Idle→Ringing', '0 in-2 Ringing→Established',
      '0 leg-1 Dialing→Established', '0 in-1 Established→Transferred', '0 bridge in-1+leg-1',
      // The desk's session blind-transfers its leg to 2000 and leaves.
      '0 leg-2 Idle→Dialing', '2 leg-2 Dialing→Established', '2 in-2 Established→Released (transferred)', '2 leg-2 Established→Released (transferred)',
      '2 bridge in-2+leg-2', '2 in-2 blind transfer completed', '2 [s2] end transferred',
      // 2000 hangs up: that call ends, which is the service side ending for the caller.
      '12 leg-1 Established→Released (remote-hangup)', '12 unbridge leg-1+in-1 (remote-hangup)',
      '12 in-1 Transferred→Established', '12 in-1 service transfer retrieved', '12 unbridge in-2+leg-2 (remote-hangup)',
      '13.3 in-1 Established→Released (normal)', '13.3 [s1] end normal',
    ]);
  });

  it('a service the switch answers by itself (a sim directory entry) that hands the call back: retrieved', async () => {
    w = world({ simServices: ['sales'], directory: { 'service:sales': { ringSeconds: 1, transferBackAfterSeconds: 6 } } });
    await w.inbound({}, MAIN.replace('voicemail', 'sales'));
    expect(w.trace(['leg.state', 'transfer.ended']).filter((l) => !l.startsWith('0 in-1'))).toEqual([
      '0 leg-1 Idle→Dialing', '1 leg-1 Dialing→Established', '1 in-1 Established→Transferred',
      '7 leg-1 Established→Released (normal)', '7 in-1 Transferred→Established', '7 in-1 service transfer retrieved',
      '8.3 in-1 Established→Released (normal)',
    ]);
    expect(w.vars()).toEqual([{ cause: 'retrieved' }]);
  });
});
