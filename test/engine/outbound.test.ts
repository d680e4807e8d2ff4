/** Call (a new outbound session), CallSetup (connect two numbers) and Request (On… blocks per call outcome). */
import { afterEach, describe, expect, it } from 'vitest';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const STEPS = ['session.started', 'verb.started', 'verb.finished', 'leg.state', 'notification.requested', 'notification.replied', 'error', 'session.ended'];
const START = 'http://app.example/start.xml';
const start = (text: string) => ({ program: compile(text, 'api-extension', { url: START }), url: START });

describe('Call', () => {
  it('places a call without blocking; once answered its script comes from Url (CallConnected) and runs on the new call', async () => {
    h = harness({
      directory: { '+15550100': { ringSeconds: 3 } },
      routes: { 'http://app.example/connected?id=7': '<Response><Speak>Hello from $Caller.</Speak></Response>' },
    });
    await h.inbound({}, start('<Response><Call CallerId="3000" ApiExtension="9001" Url="connected?id=7">+15550100</Call><Speak>Calling.</Speak></Response>'));
    await h.settle();
    expect(h.trace(STEPS, { prefix: true })).toEqual([
      '0 in-1 Idle→Ringing',
      '[s1] 0 start api-extension in-1',
      '0 in-1 Ringing→Established',
      '[s1] 0 Call',
      '0 leg-1 Idle→Dialing',
      '[s1] 0 Call → placed',
      '[s1] 0 Speak',
      '[s1] 0.9 Speak → completed',
      '0.9 in-1 Established→Released (normal)',
      '[s1] 0.9 end normal',
      '3 leg-1 Dialing→Established',
      '[s2] 3 start api-extension leg-1',
      '[s2] 3 → CallConnected http://app.example/connected?id=7',
      '[s2] 3 ← CallConnected document',
      '[s2] 3 Speak',
      '[s2] 4.7 Speak → completed',
      '4.7 leg-1 Established→Released (normal)',
      '[s2] 4.7 end normal',
    ]);
    expect(h.of('leg.created').find((e) => e.legId === 'leg-1')).toMatchObject({ from: '3000', to: '+15550100', callType: 'Outbound' });
    expect(h.source.deliveries).toEqual([{
      kind: 'fetch', name: 'CallConnected', url: 'http://app.example/connected?id=7', route: 'http://app.example/connected?id=7',
      params: {
        NotificationName: 'CallConnected', CallId: 'leg-1', Caller: '3000', Callee: '+15550100', ApiExtension: '9001',
        CallState: 'InCall', Direction: 'Outgoing', Timestamp: '1970-01-01T00:00:03.000Z',
      },
    }]);
    expect(h.of('session.started')[1]).toMatchObject({ direction: 'outbound', caller: '3000', callee: '+15550100' });
  });

  it('defaults: the caller ID is the API extension, the callee may ring 60 s', async () => {
    h = harness({ directory: { '+15550100': { response: 'no-answer' } } });
    await h.inbound({}, '<Response><Call Url="http://app.example/c">+15550100</Call></Response>');
    await h.settle();
    expect(h.trace(['leg.state', 'error'], { prefix: true }).filter((l) => l.includes('leg-1') || l.includes('error'))).toEqual([
      '0 leg-1 Idle→Dialing', '60 leg-1 Dialing→Released (no-answer)', '[s1] 60 error call-failed: Call to +15550100: no-answer',
    ]);
    expect(h.of('leg.created').find((e) => e.legId === 'leg-1')).toMatchObject({ from: '9000' });
  });

  it('an empty Url hangs the answered call up', async () => {
    h = harness({ directory: { '+15550100': { ringSeconds: 1 } } });
    await h.inbound({}, '<Response><Call Url="">+15550100</Call><Delay>2</Delay></Response>');
    expect(h.trace(['leg.state', 'session.started', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 start api-extension in-1', '0 in-1 Ringing→Established', '0 leg-1 Idle→Dialing',
      '1 leg-1 Dialing→Established', '1 leg-1 Established→Released (application-error)',
      '2 in-1 Established→Released (normal)', '2 end normal',
    ]);
  });

  it('an unreachable Url hangs the answered call up, Error notification to the Call\'s ErrorUrl', async () => {
    h = harness({ directory: { '+15550100': { ringSeconds: 1 } }, routes: { 'http://app.example/err': '<Response/>' } });
    await h.inbound({}, '<Response><Call Url="http://app.example/gone" ErrorUrl="http://app.example/err">+15550100</Call><Delay>2</Delay></Response>');
    await h.settle();
    expect(h.trace(STEPS, { prefix: true }).filter((l) => l.startsWith('[s2]') || l.includes('leg-1'))).toEqual([
      '0 leg-1 Idle→Dialing',
      '1 leg-1 Dialing→Established',
      '[s2] 1 start api-extension leg-1',
      '[s2] 1 → CallConnected http://app.example/gone',
      '[s2] 1 ← CallConnected failed 11200',
      '[s2] 1 error 11200: CallConnected to http://app.example/gone failed: no local route for http://app.example/gone (routes: http://app.example/err)',
      '1 leg-1 Established→Released (application-error)',
      '[s2] 1 end application-error',
    ]);
    expect(h.source.deliveries.map((d) => [d.kind, d.name, d.url, d.params['ErrorCode'] ?? ''])).toEqual([
      ['fetch', 'CallConnected', 'http://app.example/gone', ''],
      ['send', 'Error', 'http://app.example/err', '11200'],
    ]);
  });

  it('a call that is not answered is an error event and an Error notification to ErrorUrl', async () => {
    h = harness({ directory: { '+15550200': { response: 'busy', ringSeconds: 1 } }, routes: { 'http://app.example/err': '<Response/>' } });
    await h.inbound({ from: '+15550001', to: '9000' }, start('<Response><Call ErrorUrl="err" Url="x">+15550200</Call><Delay>3</Delay></Response>'));
    expect(h.trace(['verb.finished', 'error', 'notification.requested', 'session.ended'])).toEqual([
      '0 Call → placed', '1 error call-failed: Call to +15550200: busy', '1 → Error http://app.example/err', '3 Delay → completed', '3 end normal',
    ]);
    expect(h.source.deliveries).toEqual([{
      kind: 'send', name: 'Error', url: 'http://app.example/err', route: 'http://app.example/err',
      params: {
        NotificationName: 'Error', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000', CallState: 'InCall',
        Direction: 'Incoming', Timestamp: '1970-01-01T00:00:01.000Z', ErrorCode: 'call-failed', ErrorUrl: START, Detail: '+15550200: busy',
      },
    }]);
  });

  it('closing the engine cancels a call still ringing', async () => {
    h = harness({ directory: { '+15550100': { response: 'no-answer' } } });
    await h.inbound({}, '<Response><Call Url="http://app.example/c">+15550100</Call></Response>');
    await h.engine.close();
    expect(h.trace(['leg.state', 'error']).slice(-2)).toEqual(['0 in-1 Established→Released (normal)', '0 leg-1 Dialing→Released (cancelled)']);
  });
});

describe('CallSetup', () => {
  it('calls Caller first, then connects it to Callee showing Caller\'s number (an owned number)', async () => {
    h = harness({ ownedNumbers: ['101'], directory: { '101': { ringSeconds: 1, hangupAfterSeconds: 10 }, '102': { ringSeconds: 2 } } });
    await h.inbound({}, '<Response><CallSetup Caller="101" Callee="102"/><Speak>Set up.</Speak></Response>');
    await h.settle();
    expect(h.trace(['verb.finished', 'leg.created', 'leg.state', 'transfer.ended', 'bridge.started', 'bridge.ended', 'error']).filter((l) => !l.includes('in-1'))).toEqual([
      '0 leg-1 created Outbound 102→101',
      '0 leg-1 Idle→Dialing',
      '0 CallSetup → placed',
      '1 leg-1 Dialing→Established',
      '1 leg-2 created Outbound 101→102',
      '1 leg-2 Idle→Dialing',
      '1.3 Speak → completed',
      '3 leg-2 Dialing→Established',
      '3 leg-1 Established→Released (transferred)',
      '3 leg-2 Established→Released (transferred)',
      '3 bridge leg-1+leg-2',
      '3 leg-1 blind transfer completed',
      '11 unbridge leg-1+leg-2 (remote-hangup)',
    ]);
  });

  it('Callee sees a private number when Caller\'s is not one the platform owns', async () => {
    h = harness({ directory: { '101': { ringSeconds: 1, hangupAfterSeconds: 4 }, '102': { ringSeconds: 1 } } });
    await h.inbound({}, '<Response><CallSetup Caller="101" Callee="102"/></Response>');
    await h.settle();
    expect(h.of('leg.created').find((e) => e.legId === 'leg-2')).toMatchObject({ from: 'anonymous', to: '102' });
    expect(h.trace(['transfer.ended'])).toEqual(['2 leg-1 blind transfer completed']);
  });

  it('a failure is an error event and an Error notification; the first leg is hung up', async () => {
    h = harness({ directory: { '101': { ringSeconds: 1 }, '102': { response: 'busy' } }, routes: { 'http://app.example/err': '<Response/>' } });
    await h.inbound({}, start('<Response><CallSetup Caller="101" Callee="102" ErrorUrl="err"/><CallSetup Caller="103" Callee="102"/><Delay>2</Delay></Response>'));
    expect(h.trace(['error', 'notification.requested', 'leg.state']).filter((l) => !l.includes('in-1'))).toEqual([
      '0 leg-1 Idle→Dialing',
      '0 leg-2 Idle→Dialing',
      '0 leg-2 Dialing→Released (not-found)',
      '0 error call-setup-failed: CallSetup 103 → 102: 103: not-found',
      '1 leg-1 Dialing→Established',
      '1 leg-3 Idle→Dialing',
      '1 leg-3 Dialing→Released (busy)',
      '1 error call-setup-failed: CallSetup 101 → 102: 102: busy',
      '1 → Error http://app.example/err',
      '1 leg-1 Established→Released (normal)',
    ]);
    expect(h.source.deliveries[0]!.params).toMatchObject({ ErrorCode: 'call-setup-failed', ErrorUrl: START, Detail: '102: busy' });
  });
});

describe('Request', () => {
  const REQUEST = (extra = '') => `<Response>
    <Request DialedAddress="102" RingTime="20"${extra}>
      <OnSetup><Var ID="state">setup</Var></OnSetup>
      <OnRinging><Speak>Ringing.</Speak></OnRinging>
      <OnAnswered><Speak>Hello $state.</Speak></OnAnswered>
      <OnBusy><Speak>Busy.</Speak></OnBusy>
      <OnNoAnswer><Speak>No answer.</Speak></OnNoAnswer>
      <OnRejected><Speak>Rejected.</Speak></OnRejected>
      <OnError><Speak>Error.</Speak></OnError>
      <OnCompleted><Speak>Completed.</Speak></OnCompleted>
    </Request>
    <Beep/></Response>`;
  const spoken = () => h.of('media.started').filter((e) => e.media === 'speech').map((e) => `${e.legId}: ${e.source}`);

  it('answered: OnSetup, OnRinging, OnAnswered (spoken to the answered party), the call is released, then OnCompleted', async () => {
    h = harness({ directory: { '102': { ringSeconds: 3 } } });
    await h.inbound({}, REQUEST(' CallerPhoneNumber="555" CallerDisplayName="Desk"'));
    expect(h.trace(['verb.started', 'verb.finished', 'leg.state', 'leg.alerting', 'session.ended']).filter((l) => !l.includes('in-1'))).toEqual([
      '0 Request',
      '0 leg-1 Idle→Dialing',
      '0 Var', '0 Var → set',
      '0 leg-1 alerting',
      '0 Speak', '0.9 Speak → completed',
      '3 leg-1 Dialing→Established',
      '3 Speak', '4.3 Speak → completed',
      '4.3 leg-1 Established→Released (normal)',
      '4.3 Speak', '5.2 Speak → completed',
      '5.2 Request → completed',
      '5.2 Beep', '5.7 Beep → completed',
      '5.7 end normal',
    ]);
    expect(spoken()).toEqual(['in-1: Ringing.', 'leg-1: Hello setup.', 'in-1: Completed.']);
    expect(h.of('leg.created').find((e) => e.legId === 'leg-1')).toMatchObject({ from: '555', to: '102', displayName: 'Desk' });
  });

  it.each([
    // busy and not-found fail without ringing: OnRinging does not run.
    ['busy', { response: 'busy', ringSeconds: 1 }, ['in-1: Busy.'], '1.9'],
    // RingTime (20 s) runs out.
    ['no-answer', { response: 'no-answer' }, ['in-1: Ringing.', 'in-1: No answer.'], '21.3'],
    ['rejected', { response: 'reject', ringSeconds: 2 }, ['in-1: Ringing.', 'in-1: Rejected.'], '2.9'],
    // No OnNotFound block: OnError runs.
    ['not-found', { response: 'not-found' }, ['in-1: Error.'], '0.9'],
  ] as const)('%s runs its block (OnError when there is none)', async (result, behaviour, speech, at) => {
    h = harness({ directory: { '102': behaviour } });
    await h.inbound({}, REQUEST());
    expect(h.trace(['verb.finished']).filter((l) => l.includes('Request'))).toEqual([`${at} Request → ${result}`]);
    expect(spoken()).toEqual(speech);
  });

  it('a block that ends the script (Hangup) ends the Request and the call; the requested call is released', async () => {
    h = harness({ directory: { '102': { ringSeconds: 5 } } });
    const program = compile('<Response><Request DialedAddress="102"><OnRinging><Hangup/></OnRinging></Request><Beep/></Response>', 'api-extension', {
      rules: { 'unreachable-verb': 'off' },
    });
    await h.inbound({}, { program });
    expect(h.trace(['verb.finished', 'leg.state', 'session.ended'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established', '0 leg-1 Idle→Dialing', '0 Hangup → hangup',
      '0 leg-1 Dialing→Released (cancelled)', '0 Request → ringing', '0 in-1 Established→Released (normal)', '0 end normal',
    ]);
  });

  it('the answered party hanging up during OnAnswered ends that block, not the session', async () => {
    h = harness({ directory: { '102': { ringSeconds: 1, hangupAfterSeconds: 1 } } });
    await h.inbound({}, '<Response><Request DialedAddress="102"><OnAnswered><Speak>A long message for the answered party.</Speak><Speak>More.</Speak></OnAnswered><OnCompleted><Speak>Done.</Speak></OnCompleted></Request></Response>');
    expect(h.trace(['verb.started', 'verb.finished', 'leg.state', 'session.ended']).filter((l) => !l.includes('in-1'))).toEqual([
      '0 Request', '0 leg-1 Idle→Dialing', '1 leg-1 Dialing→Established',
      '1 Speak', '2 leg-1 Established→Released (remote-hangup)', '2 Speak → interrupted',
      '2 Speak', '2.9 Speak → completed', '2.9 Request → completed', '2.9 end normal',
    ]);
  });
});
