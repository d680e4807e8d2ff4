/** BlindTransfer on the sim: every outcome, caller-ID policy, diversion, whisper, recording, abort. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { InvalidOptionError, InvalidStateError } from '../../src/calls/errors.js';
import { mp3DurationMs } from '../../src/calls/sim/media-durations.js';
import { expectNothingLeft, harness, type HarnessOptions } from './harness.js';

afterEach(expectNothingLeft);
const recordingsDir = mkdtempSync(join(tmpdir(), 'ozml-blind-'));
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));

const TARGET = '+15557770001';
const CALLER = '+15550001111';
const DIALLED = '+15559990000';

async function answeredCall(options: HarnessOptions = {}, behaviour = {}) {
  const h = harness({ recordingsDir, ...options });
  const caller = h.inbound({ from: CALLER, to: DIALLED, behaviour });
  await caller.answer();
  return { h, caller };
}

describe('outcomes', () => {
  test('answered: caller and target are connected and the interpreter leaves', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 4 } } });
    const result = await caller.blindTransfer(TARGET);
    const targetLegId = result.targetLegId!;
    expect(result).toEqual({ cause: 'completed', target: TARGET, targetLegId });
    expect(h.clock.now()).toBe(4000);
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'transferred', transferCause: 'completed', talkSeconds: 4 });
    expect(h.sim.leg(caller.id)).toMatchObject({ status: 'up', bridgedTo: targetLegId });
    expect(h.sim.leg(targetLegId)).toMatchObject({ status: 'up', bridgedTo: caller.id, from: CALLER, privacy: false });
    expect(h.states(targetLegId)).toEqual(['Dialing', 'Established', 'Released']);
    expect(h.events.filter((e) => e.time > 0 || e.type.startsWith('transfer') || e.type.startsWith('bridge')).map((e) => [e.type, e.legId, e.time])).toEqual([
      ['transfer.started', caller.id, 0],
      ['leg.state', targetLegId, 4000],
      ['media.ended', caller.id, 4000],
      ['leg.state', caller.id, 4000],
      ['leg.state', targetLegId, 4000],
      ['bridge.started', caller.id, 4000],
      ['transfer.ended', caller.id, 4000],
    ]);
    expect(h.control.handedOffLegs()).toEqual([caller.id, targetLegId]);
    await h.clock.sleep(60_000);
    h.sim.hangup(targetLegId);
    expect(h.sim.leg(caller.id)?.status).toBe('ended');
    expect(h.of('bridge.ended')).toEqual([
      { type: 'bridge.ended', time: 64_000, legId: caller.id, peerLegId: targetLegId, cause: 'remote-hangup' },
    ]);
  });

  test.each([
    ['busy', { response: 'busy', ringSeconds: 1 }, 1000],
    ['rejected', { response: 'reject', ringSeconds: 5 }, 5000],
    ['no-answer', { response: 'no-answer' }, 30_000],
  ] as const)('%s: the caller stays Established and the result carries the cause', async (cause, behaviour, at) => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: behaviour } });
    const result = await caller.blindTransfer(TARGET);
    expect(result).toEqual({ cause, target: TARGET, targetLegId: result.targetLegId });
    expect(h.clock.now()).toBe(at);
    expect(caller.state).toBe('Established');
    expect(caller.transferCause()).toBe(cause);
    expect(h.states(result.targetLegId!)).toEqual(['Dialing', 'Released']);
    expect(h.of('leg.state', result.targetLegId).at(-1)?.cause).toBe(cause);
    expect(h.of('media.ended', caller.id)).toEqual([
      { type: 'media.ended', time: at, legId: caller.id, media: 'tone', source: 'ringback-us', endedBy: 'interrupted' },
    ]);
    expect(h.of('transfer.ended', caller.id)).toEqual([
      { type: 'transfer.ended', time: at, legId: caller.id, kind: 'blind', target: TARGET, cause, targetLegId: result.targetLegId },
    ]);
    await caller.hangup();
  });

  test('no-answer after the given ring timeout', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { response: 'no-answer' } } });
    expect((await caller.blindTransfer(TARGET, { timeoutSeconds: 12 })).cause).toBe('no-answer');
    expect(h.clock.now()).toBe(12_000);
    await caller.hangup();
  });

  test('not-found: a number the directory does not know', async () => {
    const { h, caller } = await answeredCall();
    const result = await caller.blindTransfer('+15550000000');
    expect(result.cause).toBe('not-found');
    expect(h.clock.now()).toBe(0);
    await caller.hangup();
  });

  test('the caller hangs up while the target rings', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { response: 'no-answer' } } }, { hangupAtSeconds: 3 });
    const result = await caller.blindTransfer(TARGET);
    expect(result.cause).toBe('caller-hangup');
    expect(h.clock.now()).toBe(3000);
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'remote-hangup' });
    expect(h.of('leg.state', result.targetLegId).at(-1)).toMatchObject({ state: 'Released', cause: 'cancelled' });
    expect(h.sim.leg(result.targetLegId!)?.status).toBe('ended');
  });

  test('the target hangs up during the whisper', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 2, hangupAfterSeconds: 1 } } });
    const result = await caller.blindTransfer(TARGET, { whisper: { text: 'You have a call from the support line, press nothing.' } });
    expect(result.cause).toBe('target-hangup');
    expect(h.clock.now()).toBe(3000);
    expect(caller.state).toBe('Established');
    expect(h.of('media.ended', result.targetLegId)).toEqual([
      { type: 'media.ended', time: 3000, legId: result.targetLegId, media: 'speech', source: 'You have a call from the support line, press nothing.', endedBy: 'hangup' },
    ]);
    await caller.hangup();
  });

  test('aborting stops at once: the target is cancelled, the caller stays, no timer is left', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { response: 'no-answer' } } });
    const controller = new AbortController();
    h.clock.setTimer(5000, () => controller.abort());
    await expect(caller.blindTransfer(TARGET, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.clock.now()).toBe(5000);
    expect(h.clock.pendingTimers()).toEqual([]);
    expect(caller.state).toBe('Established');
    expect(caller.transferCause()).toBe('cancelled');
    expect(h.sim.liveLegs()).toEqual([caller.id]);
    await caller.hangup();
  });

  test('from a held call with a pending consult: the consult is cancelled and the caller retrieved first', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1 }, '5001': { response: 'no-answer' } } });
    const consult = await caller.initiateTransfer('5001');
    const result = await caller.blindTransfer(TARGET);
    expect(result.cause).toBe('completed');
    expect(consult.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'cancelled' });
    expect(h.states(caller.id)).toEqual(['Ringing', 'Established', 'Held', 'Established', 'Released']);
    expect(h.of('transfer.ended', caller.id).map((e) => [e.kind, e.cause])).toEqual([
      ['consult', 'cancelled'],
      ['blind', 'completed'],
    ]);
    h.sim.hangup(caller.id);
  });
});

describe('caller ID policy (refused before dialling)', () => {
  async function outboundCall(options: HarnessOptions = {}) {
    const h = harness({ directory: { '+15552220000': { ringSeconds: 1 }, [TARGET]: { ringSeconds: 1 } }, ...options });
    const call = h.control.createChannel();
    expect(await call.dial('+15552220000', { from: '+15550008888' })).toBe('answered');
    return { h, call };
  }

  test('on a call the platform placed, "caller" and numbers it does not own are refused', async () => {
    const { h, call } = await outboundCall({ ownedNumbers: ['+1 555 000-8888'] });
    const created = h.of('leg.created').length;
    const keep = await call.blindTransfer(TARGET, { callerId: 'caller' }).catch((e: unknown) => e);
    expect(keep).toBeInstanceOf(InvalidOptionError);
    expect(keep).toMatchObject({
      option: 'callerId',
      value: 'caller',
      message: `CallerId "caller" is only possible on calls that came in; leg ${call.id} was placed by the platform, so use "private" or an owned number`,
    });
    const foreign = await call.blindTransfer(TARGET, { callerId: '+15550009999' }).catch((e: unknown) => e);
    expect(foreign).toMatchObject({
      name: 'InvalidOptionError',
      option: 'callerId',
      value: '+15550009999',
      message: `CallerId "+15550009999" is not allowed on leg ${call.id}: use "private" or a number in ownedNumbers`,
    });
    expect(h.of('leg.created')).toHaveLength(created);
    expect(call.state).toBe('Established');

    const owned = await call.blindTransfer(TARGET, { callerId: '+15550008888' });
    expect(owned.cause).toBe('completed');
    expect(h.sim.leg(owned.targetLegId!)).toMatchObject({ from: '+15550008888', privacy: false });
    h.sim.hangup(owned.targetLegId!);
  });

  test.each([
    ['0044 20 7946 0000', '+442079460000'],
    ['+44 (20) 7946-0000', '+442079460000'],
    ['+44 (0)20 7946 0000', '+442079460000'],
    ['+44.20.7946.0000', '+442079460000'],
    ['+442079460000', '+442079460000'],
  ])('an owned number written %s is recognised and presented as %s (E.164)', async (written, presented) => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { response: 'busy' } }, ownedNumbers: ['+44 20 7946 0000', '2000'] });
    const result = await caller.blindTransfer(TARGET, { callerId: written });
    expect(result.cause).toBe('busy');
    expect(h.of('leg.created', result.targetLegId)[0]).toMatchObject({ from: presented });
    expect(h.sim.leg(result.targetLegId!)).toMatchObject({ from: presented, privacy: false });
    await caller.hangup();
  });

  test('an owned extension stays digits; a number that cannot be normalised is refused with the reason', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { response: 'busy' } }, ownedNumbers: ['20-00'] });
    const result = await caller.blindTransfer(TARGET, { callerId: '2000' });
    expect(h.sim.leg(result.targetLegId!)?.from).toBe('2000');
    const use = 'use "private", "caller" or a number in ownedNumbers';
    for (const [callerId, reason] of [
      ['+44 20 CALL ME', '"+44 20 CALL ME" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)'],
      ['00 0 123', '"00 0 123" has no country code after the international prefix'],
      ['+1234567890123456', '"+1234567890123456" has 16 digits; E.164 allows at most 15'],
      ['+', '"+" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)'],
    ] as const) {
      await expect(caller.blindTransfer(TARGET, { callerId })).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'callerId', value: callerId, message: `CallerId ${reason}; ${use}` });
    }
    expect(h.of('leg.created')).toHaveLength(2);
    await caller.hangup();
  });

  test('an owned number in the options that cannot be normalised is refused when the call control is made', () => {
    expect(() => harness({ ownedNumbers: ['+15550001111', 'sales'] })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'ownedNumbers', value: 'sales', message: 'ownedNumbers: "sales" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)' }),
    );
  });

  test('private hides the number; it is the default on calls the platform placed', async () => {
    const { h, call } = await outboundCall();
    const result = await call.blindTransfer(TARGET);
    expect(h.sim.leg(result.targetLegId!)).toMatchObject({ from: 'anonymous', privacy: true });
    expect(h.of('leg.created', result.targetLegId)[0]).toMatchObject({ from: 'anonymous', to: TARGET });
    h.sim.hangup(result.targetLegId!);
  });

  test('on a call that came in: the caller number by default, an owned number, or private; others refused', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { response: 'busy' } }, ownedNumbers: ['+15550008888'] });
    await caller.blindTransfer(TARGET, { callerDisplayName: 'Support' });
    await caller.blindTransfer(TARGET, { callerId: '+15550008888' });
    await caller.blindTransfer(TARGET, { callerId: 'PRIVATE' });
    expect(h.of('leg.created').slice(1).map((e) => [e.from, e.displayName])).toEqual([
      [CALLER, 'Support'],
      ['+15550008888', undefined],
      ['anonymous', undefined],
    ]);
    await expect(caller.blindTransfer(TARGET, { callerId: '+15550007777' })).rejects.toBeInstanceOf(InvalidOptionError);
    await caller.hangup();
  });

  test('ring timeout outside 1–300 and an empty target are refused', async () => {
    const { caller } = await answeredCall();
    await expect(caller.blindTransfer(TARGET, { timeoutSeconds: 0 })).rejects.toMatchObject({ option: 'timeoutSeconds' });
    await expect(caller.blindTransfer(TARGET, { timeoutSeconds: 301 })).rejects.toMatchObject({ option: 'timeoutSeconds' });
    await expect(caller.blindTransfer(' ')).rejects.toMatchObject({ option: 'target' });
    await expect(caller.blindTransfer(TARGET, { ringbackTone: 'ringback-mars' })).rejects.toMatchObject({ option: 'ringbackTone' });
    await caller.hangup();
  });

  test('a ringing call cannot be transferred', async () => {
    const h = harness();
    const caller = h.inbound();
    await expect(caller.blindTransfer(TARGET)).rejects.toBeInstanceOf(InvalidStateError);
    await caller.reject('busy');
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'busy' });
  });
});

describe('diversion', () => {
  const incoming = [{ number: '+15550004444', reason: 'no-answer' as const }];

  async function divertedCall() {
    const h = harness({ directory: { [TARGET]: { response: 'busy' } } });
    const caller = h.inbound({ from: CALLER, to: DIALLED, diversions: incoming });
    await caller.answer();
    return { h, caller };
  }

  test('none (default), propagate and stack; the new leg carries them', async () => {
    const { h, caller } = await divertedCall();
    const none = await caller.blindTransfer(TARGET);
    const propagated = await caller.blindTransfer(TARGET, { diversionTreatment: 'propagate', diversionReason: 'away' });
    const stacked = await caller.blindTransfer(TARGET, { diversionTreatment: 'stack', diversionReason: 'do-not-disturb' });
    const stackedDefault = await caller.blindTransfer(TARGET, { diversionTreatment: 'stack' });
    expect(h.sim.leg(none.targetLegId!)?.diversions).toEqual([]);
    expect(h.sim.leg(propagated.targetLegId!)?.diversions).toEqual(incoming);
    const top = { number: DIALLED, reason: 'do-not-disturb' };
    expect(h.sim.leg(stacked.targetLegId!)?.diversions).toEqual([top, ...incoming]);
    expect(h.of('leg.created', stacked.targetLegId)[0]?.diversions).toEqual([top, ...incoming]);
    expect(h.control.channel(caller.id)?.snapshot().diversions).toEqual(incoming);
    expect(h.sim.leg(stackedDefault.targetLegId!)?.diversions).toEqual([{ number: DIALLED, reason: 'unknown' }, ...incoming]);
    await caller.hangup();
  });

  test('stack on a call the platform placed, and unknown values, are refused', async () => {
    const { h, caller } = await divertedCall();
    await expect(caller.blindTransfer(TARGET, { diversionTreatment: 'stack', diversionReason: 'bored' as never })).rejects.toMatchObject({
      option: 'diversionReason',
    });
    await expect(caller.blindTransfer(TARGET, { diversionTreatment: 'copy' as never })).rejects.toMatchObject({ option: 'diversionTreatment' });
    const h2 = harness({ directory: { '+15552220000': {}, [TARGET]: {} } });
    const call = h2.control.createChannel();
    await call.dial('+15552220000');
    await expect(call.blindTransfer(TARGET, { diversionTreatment: 'stack' })).rejects.toMatchObject({
      name: 'InvalidOptionError',
      option: 'diversionTreatment',
    });
    expect(h.of('leg.created')).toHaveLength(1);
    await caller.hangup();
    await call.hangup();
  });
});

describe('whisper and recording', () => {
  test('the whisper plays to the target after it answers and before the caller is connected', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 2 } } });
    const text = 'You have an incoming call.';
    const result = await caller.blindTransfer(TARGET, { whisper: { text, voice: 'julie', gender: 'female', locale: 'en_US' } });
    const target = result.targetLegId!;
    expect(result.cause).toBe('completed');
    // 5 words at 150 wpm (2000 ms) + one sentence end (500 ms).
    expect(h.events.filter((e) => e.type === 'media.started' || e.type === 'media.ended' || e.type === 'bridge.started').map((e) => [e.type, e.legId, e.time])).toEqual([
      ['media.started', caller.id, 0],
      ['media.started', target, 2000],
      ['media.ended', target, 4500],
      ['media.ended', caller.id, 4500],
      ['bridge.started', caller.id, 4500],
    ]);
    h.sim.hangup(caller.id);
  });

  test('an audio whisper lasts as long as the file (default when it is not local)', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1 } }, defaultAudioSeconds: 3 });
    await caller.blindTransfer(TARGET, { whisper: { audio: 'https://example.test/whisper.mp3' }, ringbackTone: 'none' });
    expect(h.of('bridge.started')[0]?.time).toBe(4000);
    expect(h.of('media.started', caller.id)).toEqual([]);
    h.sim.hangup(caller.id);
  });

  test('record: the transferred call is recorded until it ends', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1, hangupAfterSeconds: 10 } } });
    const result = await caller.blindTransfer(TARGET, { record: true, recordFormat: 'mp3' });
    await h.clock.sleep(12_000);
    const [ended] = h.of('recording.ended');
    // The transfer's result carries the recording: the same file and URL as the event.
    const { type: _type, time: _time, legId: _legId, ...file } = ended!;
    expect(await result.recording).toEqual(file);
    expect(ended).toMatchObject({ legId: caller.id, durationSeconds: 10, endedBy: 'hangup', time: 11_000 });
    expect(ended?.file.endsWith('.mp3')).toBe(true);
    expect(statSync(ended!.file).size).toBe(Math.ceil(10_000 / 36) * 144);
    expect(mp3DurationMs(ended!.file)).toBe(Math.ceil(10_000 / 36) * 36);
    expect(h.of('recording.started')).toEqual([{ type: 'recording.started', time: 1000, legId: caller.id, format: 'mp3' }]);
  });
});
