/**
 * Two-party calls: two controlled legs bridged by the call layer (a conference of two). Prompts
 * played into one leg reach that party only, the whole call is held and retrieved, a party hanging
 * up while held ends the call, and a call recording runs in the background through all of it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { CallChannel } from '../../src/calls/channel.js';
import { HangupError, InvalidOptionError, InvalidStateError } from '../../src/calls/errors.js';
import { expectNothingLeft, harness, type Harness, type HarnessOptions } from './harness.js';

afterEach(expectNothingLeft);
const dir = mkdtempSync(join(tmpdir(), 'ozml-two-party-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CALLEE = '+15553330000';
const USER_DATA = ['AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'];
const TALKING = ['Hangup', 'Hold', 'SendDtmf', ...USER_DATA];
const HELD = ['Hangup', 'Retrieve', ...USER_DATA];

/** in-1 answered at 0 and bridged to leg-1, which answers at 2 s. */
async function twoPartyCall(options: HarnessOptions = {}): Promise<{ h: Harness; caller: CallChannel; callee: CallChannel }> {
  const h = harness({ recordingsDir: dir, directory: { [CALLEE]: { ringSeconds: 2 } }, ...options });
  const caller = h.inbound();
  await caller.answer();
  const joined = await caller.singleStepConference(CALLEE);
  expect(joined).toMatchObject({ cause: 'completed', targetLegId: 'leg-1' });
  const callee = h.control.channel('leg-1')!;
  expect([caller.capabilities, callee.capabilities]).toEqual([TALKING, TALKING]);
  return { h, caller, callee };
}

/** Leg, bridge, media and recording events after the call was set up, as compact lines. */
function trace(h: Harness): string[] {
  const setUp = h.events.findIndex((e) => e.type === 'bridge.started');
  return h.events.slice(setUp + 1).flatMap((e) => {
    const t = e.time / 1000;
    if (e.type === 'leg.state') return [`${t} ${e.legId} ${e.previousState}→${e.state}${e.cause ? ` (${e.cause})` : ''} [${e.capabilities.join(',')}]`];
    if (e.type === 'leg.capabilities') return [`${t} ${e.legId} ${e.state} [${e.capabilities.join(',')}]`];
    if (e.type === 'bridge.started') return [`${t} bridge ${e.legId}+${e.peerLegId}`];
    if (e.type === 'bridge.ended') return [`${t} unbridge ${e.legId}+${e.peerLegId} (${e.cause})`];
    if (e.type === 'media.started') return [`${t} ${e.legId} ${e.media} ${e.source}`];
    if (e.type === 'media.ended') return [`${t} ${e.legId} ${e.media} ended ${e.endedBy}`];
    if (e.type === 'recording.started') return [`${t} ${e.legId} recording ${e.format}`];
    if (e.type === 'recording.ended') return [`${t} ${e.legId} recorded ${e.durationSeconds}s ${e.endedBy}`];
    return [];
  });
}

const caps = (list: readonly string[]): string => `[${list.join(',')}]`;

describe('prompts into one leg of a bridge', () => {
  test('speech, audio and tones reach that party only; the bridge and the other party stay as they were', async () => {
    const { h, caller, callee } = await twoPartyCall();
    // "Hello, you have reached ozml." = 2750 ms.
    await caller.speak('Hello, you have reached ozml.');
    expect(await callee.play('http://media.example/notice.wav', { repeat: Infinity, timeoutSeconds: 12 })).toEqual({ endedBy: 'timeout', plays: 2 });
    await Promise.all([caller.playTone('beep'), callee.speak('One two.')]);
    expect(trace(h)).toEqual([
      '2 in-1 speech Hello, you have reached ozml.',
      '4.75 in-1 speech ended completed',
      '4.75 leg-1 audio http://media.example/notice.wav',
      '9.75 leg-1 audio ended completed',
      '9.75 leg-1 audio http://media.example/notice.wav',
      '14.75 leg-1 audio ended completed',
      '14.75 leg-1 audio http://media.example/notice.wav',
      '16.75 leg-1 audio ended timeout',
      '16.75 in-1 tone beep',
      '16.75 leg-1 speech One two.',
      '17.25 in-1 tone ended completed',
      '18.05 leg-1 speech ended completed',
    ]);
    expect([caller.snapshot(), callee.snapshot()].map((s) => [s.state, s.bridgedTo])).toEqual([['Established', 'leg-1'], ['Established', 'in-1']]);
    expect([h.sim.leg('in-1')?.bridgedTo, h.sim.leg('leg-1')?.bridgedTo]).toEqual(['leg-1', 'in-1']);
    await caller.hangup();
    await callee.hangup();
  });

  test('collecting digits, recording the party and transfers need the leg to itself: refused while bridged', async () => {
    const { caller, callee } = await twoPartyCall();
    for (const run of [() => caller.collectDigits({ max: 1 }), () => callee.record({ maxSeconds: 1 }), () => caller.blindTransfer('2000'), () => callee.initiateTransfer('2000')]) {
      await expect(run()).rejects.toMatchObject({ name: 'InvalidStateError', state: 'Established' });
    }
    await caller.hangup();
    await callee.hangup();
  });
});

describe('holding a two-party call', () => {
  test('hold on either leg holds both (hold music to each party, the bridge kept); retrieve on either leg resumes the conversation', async () => {
    const { h, caller, callee } = await twoPartyCall({ holdMusic: 'http://music.example/hold.mp3' });
    await h.clock.sleep(1000);
    await callee.hold();
    expect([caller.state, callee.state]).toEqual(['Held', 'Held']);
    expect([caller.snapshot().bridgedTo, callee.snapshot().bridgedTo]).toEqual(['leg-1', 'in-1']);
    expect([h.sim.leg('in-1'), h.sim.leg('leg-1')]).toMatchObject([
      { held: true, holdMusic: 'http://music.example/hold.mp3', bridgedTo: 'leg-1' },
      { held: true, holdMusic: 'http://music.example/hold.mp3', bridgedTo: 'in-1' },
    ]);
    // Parked: no prompts, no DTMF, no second hold.
    await expect(caller.speak('Still there?')).rejects.toMatchObject({ name: 'InvalidStateError', state: 'Held', operation: 'speak' });
    await expect(callee.sendDtmf('1')).rejects.toBeInstanceOf(InvalidStateError);
    await expect(caller.hold()).rejects.toMatchObject({ name: 'InvalidStateError', state: 'Held', operation: 'hold' });
    await h.clock.sleep(5000);
    await caller.retrieve();
    expect([h.sim.leg('in-1'), h.sim.leg('leg-1')]).toMatchObject([{ held: false, bridgedTo: 'leg-1' }, { held: false, bridgedTo: 'in-1' }]);
    await caller.hold({ music: 'ringback-uk' });
    expect([h.sim.leg('in-1')?.holdMusic, h.sim.leg('leg-1')?.holdMusic]).toEqual(['ringback-uk', 'ringback-uk']);
    await callee.retrieve();
    expect(trace(h)).toEqual([
      `3 leg-1 Established→Held ${caps(HELD)}`,
      `3 in-1 Established→Held ${caps(HELD)}`,
      `8 in-1 Held→Established ${caps(TALKING)}`,
      `8 leg-1 Held→Established ${caps(TALKING)}`,
      `8 in-1 Established→Held ${caps(HELD)}`,
      `8 leg-1 Established→Held ${caps(HELD)}`,
      `8 leg-1 Held→Established ${caps(TALKING)}`,
      `8 in-1 Held→Established ${caps(TALKING)}`,
    ]);
    // The conversation goes on: prompts work again.
    await callee.speak('Thanks for holding.');
    await caller.hangup();
    await callee.hangup();
  });

  test('a prompt playing when the call is put on hold stops', async () => {
    const { h, caller, callee } = await twoPartyCall();
    const speaking = caller.speak('Please listen carefully to the following options.');
    await h.clock.sleep(1000);
    await callee.hold();
    await expect(speaking).rejects.toMatchObject({ name: 'InvalidStateError', operation: 'speak', state: 'Held' });
    expect(h.of('media.ended', 'in-1')).toMatchObject([{ time: 3000, endedBy: 'state-change' }]);
    await caller.hangup();
    await callee.hangup();
  });

  test('a party hanging up while held ends the call: the other party is released', async () => {
    const { h, caller, callee } = await twoPartyCall();
    await caller.hold();
    await h.clock.sleep(4000);
    h.sim.hangup(caller.id);
    expect(trace(h)).toEqual([
      `2 in-1 Established→Held ${caps(HELD)}`,
      `2 leg-1 Established→Held ${caps(HELD)}`,
      '6 in-1 Held→Released (remote-hangup) []',
      '6 unbridge in-1+leg-1 (remote-hangup)',
      '6 leg-1 Held→Released (normal) []',
    ]);
    expect(callee.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'normal', names: { ozeki: 'Completed' } });
    expect(h.sim.leg(callee.id)).toMatchObject({ status: 'ended', held: false });
  });

  test('the application hanging up one held party keeps the other, held and retrievable', async () => {
    const { h, caller, callee } = await twoPartyCall();
    await caller.hold();
    await callee.hangup();
    expect(caller.snapshot()).toMatchObject({ state: 'Held' });
    expect(caller.snapshot().bridgedTo).toBeUndefined();
    expect(h.sim.leg(caller.id)).toMatchObject({ held: true });
    expect(h.sim.leg(caller.id)?.bridgedTo).toBeUndefined();
    const held = ['Hangup', 'Retrieve', 'InitiateTransfer', 'SingleStepTransfer', 'InitiateConference', 'SingleStepConference', ...USER_DATA];
    expect(trace(h).slice(2)).toEqual([
      '2 leg-1 Held→Released (normal) []',
      `2 in-1 Held ${caps(held)}`,
      '2 unbridge leg-1+in-1 (normal)',
    ]);
    await caller.retrieve();
    await caller.speak('Your colleague left.');
    await caller.hangup();
  });
});

describe('recording a call', () => {
  test('recordCall records the conversation in the background, through hold and retrieval, until the party leaves', async () => {
    const { h, caller, callee } = await twoPartyCall({ recordingsBaseUrl: 'https://rec.example.test' });
    const recording = caller.recordCall({ format: 'mp3' });
    await h.clock.sleep(3000);
    await callee.hold();
    await h.clock.sleep(5000);
    await caller.retrieve();
    h.clock.setTimer(10_000, () => h.sim.hangup(caller.id));
    const result = await recording;
    expect(result).toEqual({ file: join(dir, 'in-1-1.mp3'), url: 'https://rec.example.test/in-1-1.mp3', durationSeconds: 18, endedBy: 'hangup' });
    expect(existsSync(result.file)).toBe(true);
    expect(trace(h).filter((l) => l.includes('record') || l.includes('Released'))).toEqual([
      '2 in-1 recording mp3',
      '20 in-1 Established→Released (remote-hangup) []',
      '20 in-1 recorded 18s hangup',
    ]);
    // Not held: the other party stays with the application.
    expect(callee.state).toBe('Established');
    await callee.hangup();
  });

  test('maxSeconds ends it; a call recording starts only on an answered leg, with valid options', async () => {
    const { h, caller, callee } = await twoPartyCall();
    expect(await callee.recordCall({ maxSeconds: 4 })).toMatchObject({ durationSeconds: 4, endedBy: 'max-duration' });
    expect(h.clock.now()).toBe(6000);
    await callee.hold();
    expect(await callee.recordCall({ maxSeconds: 1 })).toMatchObject({ durationSeconds: 1, endedBy: 'max-duration' });
    await expect(caller.recordCall({ format: 'ogg' as 'wav' })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(caller.recordCall({ maxSeconds: 0 })).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'maxSeconds' });
    await caller.hangup();
    await callee.hangup();
    await expect(caller.recordCall()).rejects.toBeInstanceOf(HangupError);
    const ringing = h.inbound();
    await expect(ringing.recordCall()).rejects.toMatchObject({ name: 'InvalidStateError', state: 'Ringing', operation: 'recordCall' });
    await expect(h.control.createChannel().recordCall()).rejects.toBeInstanceOf(HangupError);
    await ringing.reject();
  });

  test('a recording of a call the application hands off goes on until that call ends', async () => {
    const h = harness({ recordingsDir: dir, directory: { '2000': { ringSeconds: 2, hangupAfterSeconds: 10 } } });
    const caller = h.inbound();
    await caller.answer();
    const recording = caller.recordCall();
    expect(await caller.blindTransfer('2000', { ringbackTone: 'none' })).toMatchObject({ cause: 'completed' });
    expect(caller.state).toBe('Released');
    expect(await recording).toMatchObject({ durationSeconds: 12, endedBy: 'hangup' });
    expect(h.of('recording.ended', caller.id)).toMatchObject([{ time: 12_000, durationSeconds: 12 }]);
  });
});

describe('the service side of a transfer to an inbound service', () => {
  test('prompts reach the service party; that bridge is not a call to hold', async () => {
    const h = harness({ directory: { 'service:svc': { ringSeconds: 1 } } });
    const caller = h.inbound();
    await caller.answer();
    const service = h.control.createChannel();
    expect(await caller.transferToInboundService(service, 'svc')).toBe('Transferred');
    expect(service.capabilities).toEqual(['Hangup', 'SendDtmf', ...USER_DATA]);
    await service.speak('A caller for you.');
    await expect(service.hold()).rejects.toMatchObject({ name: 'InvalidStateError', operation: 'hold', state: 'Established' });
    await expect(caller.recordCall()).rejects.toMatchObject({ name: 'InvalidStateError', operation: 'recordCall', state: 'Transferred' });
    await caller.hangup();
  });
});
