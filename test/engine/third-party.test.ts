/**
 * Third-party context: scripts that act on calls by CallId (default: the notified call) and on
 * their parties by Party. A controlled two-party call is an inbound leg conferenced to a sim party.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallChannel } from '../../src/calls/channel.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const STEPS = ['session.started', 'verb.started', 'verb.finished', 'leg.state', 'notification.requested', 'error', 'session.ended'];

/** in-1 (+15550001) answered and bridged to leg-1 (+15550300): both legs stay controlled. */
async function twoPartyCall(behaviour: PartyBehaviour = {}): Promise<CallChannel> {
  const caller = h.ring({ from: '+15550001', to: '+15550300', behaviour });
  await caller.answer();
  const joined = await caller.singleStepConference('+15550300');
  expect(joined).toMatchObject({ cause: 'completed', targetLegId: 'leg-1' });
  return caller;
}

/** in-1 answered, no other party (media verbs work on it). */
async function oneLegCall(): Promise<CallChannel> {
  const caller = h.ring({ from: '+15550001', to: '9000' });
  await caller.answer();
  return caller;
}

const afterCallSetup = (lines: string[]) => lines.filter((l) => !/^0 (in-1|leg-1) |^1 leg-1 Dialing/.test(l));

describe('third-party: SendDTMF, Hangup', () => {
  it('SendDTMF sends keys to the caller, the callee or both', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    const result = await h.run(`<Response>
      <SendDTMF Party="caller" Keys="12"/><SendDTMF Party="callee" Keys="34#"/><SendDTMF Party="all" Keys="5"/></Response>`, 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('normal');
    // 200 ms per key.
    expect(h.trace(['verb.finished', 'dtmf.sent', 'session.ended'])).toEqual([
      '1.4 in-1 sent 12', '1.4 SendDTMF → sent',
      '2 leg-1 sent 34#', '2 SendDTMF → sent',
      '2.2 in-1 sent 5', '2.2 leg-1 sent 5', '2.2 SendDTMF → sent',
      '2.2 end normal',
    ]);
    expect([h.sim.sentDtmf('in-1'), h.sim.sentDtmf('leg-1')]).toEqual(['125', '34#5']);
    await h.run('<Response><Hangup/></Response>', 'third-party', { callId: 'in-1' });
  });

  it('the session describes the notified call', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.of('session.started')).toEqual([{
      time: 1000, sessionId: 's1', type: 'session.started', callId: 'in-1', caller: '+15550001', callee: '+15550300', direction: 'inbound', context: 'third-party',
    }]);
  });

  it('Hangup with a CallId hangs up that call and goes on; Hangup without one hangs up the notified call and ends', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await oneLegCall(); // in-2
    const program = compile('<Response><Hangup CallId="in-2"/><Delay>1</Delay><Hangup/><Delay>1</Delay></Response>', 'third-party', { rules: { 'unreachable-verb': 'off' } });
    const result = await h.engine.start({ callId: 'in-1', start: { program } }).done;
    expect(result.cause).toBe('normal');
    expect(afterCallSetup(h.trace(STEPS)).filter((l) => !l.includes('in-2 Idle') && !l.includes('in-2 Ringing'))).toEqual([
      '1 start third-party in-1',
      '1 Hangup', '1 in-2 Established→Released (normal)', '1 Hangup → hung up',
      '1 Delay', '2 Delay → completed',
      '2 Hangup', '2 in-1 Established→Released (normal)', '2 leg-1 Established→Released (normal)', '2 Hangup → hung up',
      '2 end normal',
    ]);
  });

  it('Hangup refuses a call that is still ringing', async () => {
    h = harness();
    h.ring({ from: '+15550001', to: '1000' });
    await h.run('<Response><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(['leg.state'])).toEqual(['0 in-1 Idle→Ringing', '0 in-1 Ringing→Released (rejected)']);
  });

  it('an unknown CallId is an error; the script goes on', async () => {
    h = harness();
    await h.run('<Response><SendDTMF CallId="nope" Party="caller" Keys="1"/><Delay>1</Delay></Response>', 'third-party', { callId: 'nope' });
    expect(h.trace(STEPS)).toEqual([
      '0 start third-party nope',
      '0 SendDTMF', "0 error TargetError: no call with CallId 'nope'", '0 SendDTMF → error',
      '0 Delay', '1 Delay → completed', '1 end normal',
    ]);
  });
});

describe('third-party: Speak, Play, Hold, Unhold, Record on a call with one leg', () => {
  it('Speak and Play reach the caller; Party="callee" needs a second party', async () => {
    h = harness();
    await oneLegCall();
    await h.run(`<Response><Speak Party="caller">Hello caller.</Speak><Play Party="all">http://media.example/a.wav</Play><Speak Party="callee">Nobody.</Speak><Hangup/></Response>`, 'third-party', { callId: 'in-1' });
    expect(h.trace(['verb.finished', 'media.started', 'error'])).toEqual([
      '0 in-1 speech Hello caller.', '1.3 Speak → completed',
      '1.3 in-1 audio http://media.example/a.wav', '6.3 Play → completed',
      '6.3 error TargetError: the call has no callee leg', '6.3 Speak → error',
      '6.3 Hangup → hung up',
    ]);
  });

  it('Hold puts the call on hold, Unhold takes it off; Unhold of a call not on hold is an error', async () => {
    h = harness();
    await oneLegCall();
    await h.run('<Response><Hold/><Delay>2</Delay><Unhold/><Unhold/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(['leg.state', 'verb.finished', 'error'])).toEqual([
      '0 in-1 Idle→Ringing', '0 in-1 Ringing→Established',
      '0 in-1 Established→Held', '0 Hold → held',
      '2 Delay → completed',
      '2 in-1 Held→Established', '2 Unhold → retrieved',
      '2 error InvalidStateError: retrieve is not possible while leg in-1 is Established: the call is not on hold', '2 Unhold → error',
      '2 in-1 Established→Released (normal)', '2 Hangup → hung up',
    ]);
    expect(h.sim.leg('in-1')).toMatchObject({ held: false });
  });

  it('Record starts a background recording; RecordCompleted goes to FinishedUrl when it ends, even after the script', async () => {
    h = harness({ sim: { recordingsBaseUrl: 'http://rec.example' }, routes: { 'http://app.example/rec': '<Response><Hangup/></Response>' } });
    const caller = await oneLegCall();
    const result = await h.run('<Response><Record Format="wav" FinishedUrl="http://app.example/rec"/><Speak Party="caller">Recording.</Speak></Response>', 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('normal');
    await caller.hangup();
    await vi.waitFor(() => expect(h.source.deliveries).toHaveLength(1));
    expect(h.trace(['verb.finished', 'recording.started', 'recording.ended', 'notification.requested', 'session.ended', 'leg.state']).slice(2)).toEqual([
      '0 in-1 recording wav', '0 Record → started',
      '0.9 Speak → completed', '0.9 end normal',
      '0.9 in-1 Established→Released (normal)',
      '0.9 in-1 recorded 0.9s hangup',
      '0.9 → RecordCompleted http://app.example/rec',
    ]);
    expect(h.source.deliveries.map((d) => [d.kind, d.name, d.params['RecordURL'], d.params['Duration']])).toEqual([
      ['send', 'RecordCompleted', 'http://rec.example/in-1-1.wav', '0.9'],
    ]);
  });
});

describe('third-party: Speak, Play, SendDTMF, Hold, Unhold, Record on a two-party (bridged) call', () => {
  // The call layer plays a prompt into one leg of the bridge (that party hears it instead of the
  // other party while it plays) and holds and retrieves the two legs as one call (docs/calls.md).
  const TALKING = ['Hangup', 'Hold', 'SendDtmf', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'];
  const HELD = ['Hangup', 'Retrieve', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'];
  const MEDIA = ['media.started', 'media.ended', 'verb.finished', 'error'];

  it('Speak Party="all" reaches both parties at once; the call stays as it was', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Speak Party="all">Hello both.</Speak><Var ID="x" Value="1"/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    // "Hello both." = 2 × 400 + 500 ms.
    expect(h.trace(MEDIA)).toEqual([
      '1 in-1 speech Hello both.', '1 leg-1 speech Hello both.',
      '2.3 in-1 speech ended completed', '2.3 leg-1 speech ended completed', '2.3 Speak → completed',
      '2.3 Var → set',
      '2.3 Hangup → hung up',
    ]);
    // Nothing changed state until the Hangup: the bridge stayed up while both heard the prompt.
    expect(afterCallSetup(h.trace(['leg.state', 'bridge.ended', 'verb.started']))).toEqual([
      '1 Speak', '2.3 Var', '2.3 Hangup',
      '2.3 in-1 Established→Released (normal)', '2.3 unbridge in-1+leg-1 (normal)', '2.3 leg-1 Established→Released (normal)',
    ]);
  });

  it('Speak Party="caller" and Party="callee" reach one party each', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run(`<Response>
      <Speak Party="caller">Please hold the line.</Speak>
      <Speak Party="callee">A customer about order 12.</Speak>
      <Hangup/></Response>`, 'third-party', { callId: 'in-1' });
    expect(h.trace(MEDIA)).toEqual([
      '1 in-1 speech Please hold the line.', '3.1 in-1 speech ended completed', '3.1 Speak → completed',
      '3.1 leg-1 speech A customer about order 12.', '5.6 leg-1 speech ended completed', '5.6 Speak → completed',
      '5.6 Hangup → hung up',
    ]);
  });

  it('Play Party="callee" reaches the callee', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Play Party="callee">http://media.example/a.wav</Play><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    // A remote file lasts the sim's default 5 s.
    expect(h.trace(['verb.finished'])).toEqual(['6 Play → completed', '6 Hangup → hung up']);
    expect(h.trace(['media.started'])).toEqual(['1 leg-1 audio http://media.example/a.wav']);
  });

  it('Play Party="all" Repeat="true" Timeout="12" loops to both parties until the timeout', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Play Party="all" Repeat="true" Timeout="12">http://media.example/music.wav</Play><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(MEDIA)).toEqual([
      '1 in-1 audio http://media.example/music.wav', '1 leg-1 audio http://media.example/music.wav',
      '6 in-1 audio ended completed', '6 in-1 audio http://media.example/music.wav',
      '6 leg-1 audio ended completed', '6 leg-1 audio http://media.example/music.wav',
      '11 in-1 audio ended completed', '11 in-1 audio http://media.example/music.wav',
      '11 leg-1 audio ended completed', '11 leg-1 audio http://media.example/music.wav',
      '13 in-1 audio ended timeout', '13 leg-1 audio ended timeout',
      '13 Play → timeout',
      '13 Hangup → hung up',
    ]);
  });

  it('a party hanging up during Speak Party="all": the other still hears it to the end, then the verb reports the hangup', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1, hangupAfterSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Speak Party="all">Hello both, this is a longer message.</Speak><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace([...MEDIA, 'leg.state']).slice(4)).toEqual([
      '1 in-1 speech Hello both, this is a longer message.', '1 leg-1 speech Hello both, this is a longer message.',
      '2 leg-1 Established→Released (remote-hangup)', '2 leg-1 speech ended hangup',
      // 7 words, a comma and a sentence end: 3.55 s.
      '4.55 in-1 speech ended completed',
      '4.55 error HangupError: speak: leg leg-1 has hung up (remote-hangup)', '4.55 Speak → error',
      '4.55 in-1 Established→Released (normal)', '4.55 Hangup → hung up',
    ]);
  });

  it('SendDTMF Party="all" sends to both parties of the bridge', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><SendDTMF Party="all" Keys="42"/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(['dtmf.sent', 'verb.finished'])).toEqual(['1.4 in-1 sent 42', '1.4 leg-1 sent 42', '1.4 SendDTMF → sent', '1.4 Hangup → hung up']);
  });

  it('Hold holds both parties and Unhold takes both off', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Hold/><Unhold/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(['verb.finished'])).toEqual(['1 Hold → held', '1 Unhold → retrieved', '1 Hangup → hung up']);
  });

  it('Hold, then Unhold: both legs Held with hold music and Retrieve, then both Established again', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    // What the switch says half-way through the Delay.
    let during: unknown;
    h.clock.setTimer(3000, () => { during = [h.sim.leg('in-1'), h.sim.leg('leg-1')].map((l) => [l?.held, l?.bridgedTo]); });
    await h.run('<Response><Hold/><Delay>5</Delay><Unhold/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(afterCallSetup(h.trace(STEPS))).toEqual([
      '1 start third-party in-1',
      '1 Hold', '1 in-1 Established→Held', '1 leg-1 Established→Held', '1 Hold → held',
      '1 Delay', '6 Delay → completed',
      '6 Unhold', '6 in-1 Held→Established', '6 leg-1 Held→Established', '6 Unhold → retrieved',
      '6 Hangup', '6 in-1 Established→Released (normal)', '6 leg-1 Established→Released (normal)', '6 Hangup → hung up',
      '6 end normal',
    ]);
    expect(during).toEqual([[true, 'leg-1'], [true, 'in-1']]);
    expect(h.of('leg.state').filter((e) => e.state === 'Held' || e.previousState === 'Held').map((e) => [e.time, e.legId, e.state, e.capabilities])).toEqual([
      [1000, 'in-1', 'Held', HELD], [1000, 'leg-1', 'Held', HELD],
      [6000, 'in-1', 'Established', TALKING], [6000, 'leg-1', 'Established', TALKING],
    ]);
  });

  it('Unhold of a call not on hold, and Hold of a held call, are errors; the script goes on', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Unhold/><Hold/><Hold/><Unhold/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(['verb.finished', 'error'])).toEqual([
      '1 error InvalidStateError: retrieve is not possible while leg in-1 is Established: the call is not on hold', '1 Unhold → error',
      '1 Hold → held',
      '1 error InvalidStateError: hold is not possible while leg in-1 is Held: the call is on hold already', '1 Hold → error',
      '1 Unhold → retrieved',
      '1 Hangup → hung up',
    ]);
  });

  it('while the call is held, prompts and DTMF are errors (the parties hear hold music); Hangup ends the held call', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Hold/><Speak Party="all">Hi.</Speak><SendDTMF Party="callee" Keys="1"/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    expect(afterCallSetup(h.trace(['verb.finished', 'error', 'leg.state', 'media.started']))).toEqual([
      '1 in-1 Established→Held', '1 leg-1 Established→Held', '1 Hold → held',
      '1 error InvalidStateError: speak is not possible while leg in-1 is Held', '1 Speak → error',
      '1 error InvalidStateError: sendDtmf is not possible while leg leg-1 is Held', '1 SendDTMF → error',
      '1 in-1 Held→Released (normal)', '1 leg-1 Held→Released (normal)', '1 Hangup → hung up',
    ]);
  });

  it('the caller hanging up while held: the callee is released and the call ends, nothing left', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    const result = await h.run('<Response><Hold/></Response>', 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('normal');
    await h.clock.sleep(9000);
    h.sim.hangup('in-1');
    expect(afterCallSetup(h.trace([...STEPS, 'bridge.ended']))).toEqual([
      '1 start third-party in-1',
      '1 Hold', '1 in-1 Established→Held', '1 leg-1 Established→Held', '1 Hold → held',
      '1 end normal',
      '10 in-1 Held→Released (remote-hangup)', '10 unbridge in-1+leg-1 (remote-hangup)', '10 leg-1 Held→Released (normal)',
    ]);
    expect([h.calls.liveChannels(), h.sim.liveLegs(), h.clock.pendingTimers()]).toEqual([[], [], []]);
  });

  it('a party hanging up while a script waits on the held call: the call is gone for the Unhold', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1, hangupAfterSeconds: 4 } } });
    await twoPartyCall();
    await h.run('<Response><Hold/><Delay>10</Delay><Unhold/></Response>', 'third-party', { callId: 'in-1' });
    expect(afterCallSetup(h.trace([...STEPS, 'bridge.ended']))).toEqual([
      '1 start third-party in-1',
      '1 Hold', '1 in-1 Established→Held', '1 leg-1 Established→Held', '1 Hold → held',
      '1 Delay',
      '5 leg-1 Held→Released (remote-hangup)', '5 unbridge leg-1+in-1 (remote-hangup)', '5 in-1 Held→Released (normal)',
      '11 Delay → completed',
      "11 Unhold", "11 error TargetError: no call with CallId 'in-1'", '11 Unhold → error',
      '11 end normal',
    ]);
  });

  it('BlindTransfer from a held call: the transferor leaves, the held party comes off hold and moves to the target', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 }, '1001': { ringSeconds: 2, hangupAfterSeconds: 10 } } });
    await twoPartyCall();
    const result = await h.run('<Response><Hold/><BlindTransfer TransferorParty="callee" RingbackTone="none">1001</BlindTransfer></Response>', 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('transferred');
    await h.settle();
    expect(afterCallSetup(h.trace(['verb.finished', 'leg.state', 'bridge.started', 'bridge.ended', 'session.ended']))).toEqual([
      '1 bridge in-1+leg-1',
      '1 in-1 Established→Held', '1 leg-1 Established→Held', '1 Hold → held',
      '1 leg-1 Held→Released (transferred)', '1 unbridge leg-1+in-1 (transferred)',
      '1 in-1 Held→Established',
      '1 leg-2 Idle→Dialing',
      '3 leg-2 Dialing→Established',
      '3 in-1 Established→Released (transferred)', '3 leg-2 Established→Released (transferred)', '3 bridge in-1+leg-2',
      '3 BlindTransfer → completed', '3 end transferred',
      '13 unbridge in-1+leg-2 (remote-hangup)',
    ]);
  });

  it('Record records the conversation in the background, through Hold and Unhold; RecordCompleted when the caller leaves', async () => {
    h = harness({
      directory: { '+15550300': { ringSeconds: 1, hangupAfterSeconds: 30 } },
      sim: { recordingsBaseUrl: 'http://rec.example' },
      routes: { 'http://app.example/rec': '<Response><Hangup/></Response>' },
    });
    await twoPartyCall({ hangupAtSeconds: 20 });
    const result = await h.run(`<Response>
      <Speak Party="all">This call is recorded.</Speak>
      <Record Format="wav" FinishedUrl="http://app.example/rec"/>
      <Hold/><Delay>3</Delay><Unhold/></Response>`, 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('normal');
    // The recording file is written with real I/O: wait for the notification, then for the callee.
    await vi.waitFor(() => expect(h.source.deliveries).toHaveLength(1));
    await vi.waitFor(() => expect(h.calls.liveChannels()).toEqual([]));
    expect(afterCallSetup(h.trace(['verb.finished', 'recording.started', 'recording.ended', 'leg.state', 'notification.requested', 'session.ended']))).toEqual([
      '3.1 Speak → completed',
      '3.1 in-1 recording wav', '3.1 Record → started',
      '3.1 in-1 Established→Held', '3.1 leg-1 Established→Held', '3.1 Hold → held',
      '6.1 Delay → completed',
      '6.1 in-1 Held→Established', '6.1 leg-1 Held→Established', '6.1 Unhold → retrieved',
      '6.1 end normal',
      '20 in-1 Established→Released (remote-hangup)',
      '20 in-1 recorded 16.9s hangup',
      '20 → RecordCompleted http://app.example/rec',
      // Not held when the caller left: the callee stays until it hangs up itself.
      '31 leg-1 Established→Released (remote-hangup)',
    ]);
    expect(h.source.deliveries.map((d) => [d.kind, d.name, d.params['CallId'], d.params['RecordURL'], d.params['Duration']])).toEqual([
      ['send', 'RecordCompleted', 'in-1', 'http://rec.example/in-1-1.wav', '16.9'],
    ]);
  });

  it('Record of a call that is on hold starts at once', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 } } });
    await twoPartyCall();
    await h.run('<Response><Hold/><Record/><Hangup/></Response>', 'third-party', { callId: 'in-1' });
    await vi.waitFor(() => expect(h.of('recording.ended')).toHaveLength(1));
    expect(afterCallSetup(h.trace(['verb.finished', 'recording.started', 'recording.ended', 'error']))).toEqual([
      '1 Hold → held', '1 in-1 recording mp3', '1 Record → started', '1 Hangup → hung up', '1 in-1 recorded 0s hangup',
    ]);
  });
});

describe('third-party: Forward, BlindTransfer (AttendedTransfer joins are tested in test/transfers)', () => {
  it('Forward answers a ringing call and connects it to the destination', async () => {
    h = harness({ directory: { '500': { ringSeconds: 2, hangupAfterSeconds: 10 } } });
    h.ring({ from: '+15550001', to: '1000' });
    const result = await h.run('<Response><ForwardCall Destination="500"/></Response>', 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('normal');
    await h.settle();
    expect(h.trace(['verb.finished', 'leg.created', 'leg.state', 'transfer.ended', 'bridge.started', 'bridge.ended', 'session.ended'])).toEqual([
      '0 in-1 created Inbound +15550001→1000',
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 leg-1 created Outbound +15550001→500',
      '0 leg-1 Idle→Dialing',
      '2 leg-1 Dialing→Established',
      '2 in-1 Established→Released (transferred)',
      '2 leg-1 Established→Released (transferred)',
      '2 bridge in-1+leg-1',
      '2 in-1 blind transfer completed',
      '2 Forward → completed',
      '2 end normal',
      '12 unbridge in-1+leg-1 (remote-hangup)',
    ]);
  });

  it('Forward of a call that is not ringing is an error; when the destination fails the caller is hung up', async () => {
    h = harness({ directory: { '500': { response: 'busy' } } });
    await oneLegCall();
    h.ring({ from: '+15550002', to: '1000' }); // in-2
    await h.run('<Response><Forward Destination="500"/><Forward CallId="in-2" Destination="500"/></Response>', 'third-party', { callId: 'in-1' });
    expect(h.trace(['verb.finished', 'error', 'leg.state']).filter((l) => !l.includes('in-1 Idle') && !l.includes('in-1 Ringing'))).toEqual([
      '0 in-2 Idle→Ringing',
      '0 error invalid-state: Forward: the call is Established, not Ringing', '0 Forward → invalid-state',
      '0 in-2 Ringing→Established', '0 leg-1 Idle→Dialing', '0 leg-1 Dialing→Released (busy)',
      '0 in-2 Established→Released (normal)', '0 Forward → busy',
    ]);
    await h.run('<Response><Hangup/></Response>', 'third-party', { callId: 'in-1' });
  });

  it('BlindTransfer: TransferorParty performs the transfer and leaves, the other party moves to the target', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 }, '1001': { ringSeconds: 2, hangupAfterSeconds: 10 } }, routes: { 'http://app.example/done': '<Response/>' } });
    await twoPartyCall();
    const result = await h.run('<Response><BlindTransfer TransferorParty="callee" FinishedUrl="http://app.example/done">1001</BlindTransfer></Response>', 'third-party', { callId: 'in-1' });
    expect(result.cause).toBe('transferred');
    await h.settle();
    expect(afterCallSetup(h.trace(['verb.finished', 'leg.created', 'leg.state', 'transfer.ended', 'bridge.started', 'bridge.ended', 'notification.requested', 'session.ended']))).toEqual([
      '1 bridge in-1+leg-1',
      '1 in-1 conference transfer completed',
      '1 leg-1 Established→Released (transferred)',
      '1 unbridge leg-1+in-1 (transferred)',
      '1 leg-2 created Outbound +15550001→1001',
      '1 leg-2 Idle→Dialing',
      '3 leg-2 Dialing→Established',
      '3 in-1 Established→Released (transferred)',
      '3 leg-2 Established→Released (transferred)',
      '3 bridge in-1+leg-2',
      '3 in-1 blind transfer completed',
      '3 BlindTransfer → completed',
      '3 end transferred',
      '13 unbridge in-1+leg-2 (remote-hangup)',
      '13 → TransferCompleted http://app.example/done',
    ]);
    // Sent when the transferred call ends: the call's ID, caller, callee and how long it lasted.
    expect(h.source.deliveries.map((d) => d.params)).toEqual([{
      NotificationName: 'TransferCompleted', CallId: 'in-1', Caller: '+15550001', Callee: '+15550300', ApiExtension: '9000',
      CallState: 'Completed', Direction: 'Incoming', Timestamp: '1970-01-01T00:00:13.000Z', TransferCause: 'completed', Target: '1001', Duration: '10',
    }]);
  });

  it('BlindTransfer failure: the moved party, left alone, is hung up; the script goes on with $TransferCause; FinishedUrl hears it (reply ignored)', async () => {
    h = harness({ directory: { '+15550300': { ringSeconds: 1 }, '1001': { response: 'busy' } }, routes: { 'http://app.example/done': '<Response><Hangup/></Response>' } });
    await twoPartyCall();
    await h.run('<Response><BlindTransfer TransferorParty="caller" FinishedUrl="http://app.example/done">1001</BlindTransfer><Var ID="c" Value="$TransferCause"/></Response>', 'third-party', { callId: 'in-1' });
    expect(afterCallSetup(h.trace(['verb.started', 'verb.finished', 'leg.state', 'notification.requested']))).toEqual([
      '1 BlindTransfer',
      '1 in-1 Established→Released (transferred)',
      '1 leg-2 Idle→Dialing', '1 leg-2 Dialing→Released (busy)',
      '1 leg-1 Established→Released (normal)',
      '1 → TransferCompleted http://app.example/done',
      '1 BlindTransfer → busy',
      '1 Var', '1 Var → set',
    ]);
    expect(h.of('verb.started')[1]!.attributes).toEqual({ ID: 'c', Value: 'busy' });
    expect(h.source.deliveries.map((d) => [d.kind, d.params['TransferCause'], d.params['Target'], d.params['Duration']])).toEqual([['send', 'busy', '1001', '0']]);
  });
});
