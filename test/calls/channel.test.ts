/** The channel API's own operations on the sim: media, digits, recording, DTMF, hold, user data, dialling, errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { OPERATIONS } from '../../src/calls/capabilities.js';
import type { CallChannel } from '../../src/calls/channel.js';
import { HangupError, InvalidOptionError, InvalidStateError } from '../../src/calls/errors.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { wavDurationMs } from '../../src/calls/sim/media-durations.js';
import { silentWav } from '../../src/calls/sim/recording-files.js';
import { expectNothingLeft, harness, type Harness, type HarnessOptions } from './harness.js';

afterEach(expectNothingLeft);
const dir = mkdtempSync(join(tmpdir(), 'ozml-channel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'prompt.wav'), silentWav(1500));

async function answered(behaviour: PartyBehaviour = {}, options: HarnessOptions = {}): Promise<{ h: Harness; call: CallChannel }> {
  const h = harness({ recordingsDir: dir, mediaRoot: dir, ...options });
  const call = h.inbound({ behaviour });
  await call.answer();
  return { h, call };
}

const abortAt = (h: Harness, ms: number): AbortSignal => {
  const controller = new AbortController();
  h.clock.setTimer(ms, () => controller.abort());
  return controller.signal;
};

describe('typed errors', () => {
  test('every operation on an Idle channel raises HangupError, except dial', async () => {
    const h = harness();
    const idle = h.control.createChannel();
    expect(idle.state).toBe('Idle');
    expect(idle.snapshot().operations).toEqual(['dial']);
    await expect(idle.answer()).rejects.toMatchObject({ name: 'HangupError', state: 'Idle', operation: 'answer' });
    await expect(idle.hangup()).rejects.toBeInstanceOf(HangupError);
    await expect(idle.speak('hi')).rejects.toBeInstanceOf(HangupError);
    await expect(idle.attachUserData({ a: 1 })).rejects.toBeInstanceOf(HangupError);
    await expect(idle.waitForAnswer()).rejects.toBeInstanceOf(HangupError);
  });

  test('a ringing call can be answered or rejected, not hung up or spoken to', async () => {
    const h = harness();
    const call = h.inbound();
    expect(call.capabilities).toEqual(['Answer', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair']);
    const error = await call.hangup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error).toMatchObject({ name: 'InvalidStateError', legId: call.id, state: 'Ringing', operation: 'hangup' });
    expect((error as Error).message).toBe(`hangup is not possible while leg ${call.id} is Ringing`);
    await expect(call.speak('hi')).rejects.toBeInstanceOf(InvalidStateError);
    await expect(call.dial('123')).rejects.toBeInstanceOf(InvalidStateError);
    await call.reject();
    expect(call.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'rejected', names: { ozeki: 'Cancelled' } });
  });

  test('after release every operation raises HangupError with the release cause', async () => {
    const { call } = await answered();
    await call.hangup('limit-exceeded');
    for (const run of [() => call.hangup(), () => call.speak('x'), () => call.hold(), () => call.dial('1'), () => call.deleteUserData()]) {
      await expect(run()).rejects.toMatchObject({ name: 'HangupError', state: 'Released', releaseCause: 'limit-exceeded' });
    }
    expect(call.capabilities).toEqual([]);
    expect(call.snapshot().operations).toEqual([]);
    expect(call.snapshot().names).toEqual({ genesys: 'Released', ozeki: 'Error', aculab: 'IDLE' });
  });

  test('can() agrees with the operations of the snapshot', async () => {
    const { call } = await answered();
    for (const op of OPERATIONS) expect(call.can(op)).toBe(call.snapshot().operations.includes(op));
    await call.hangup();
  });
});

describe('speech, audio and tones', () => {
  test('speech lasts as the model says and is reported', async () => {
    const { h, call } = await answered();
    // 5 words (2000 ms) + 1 comma (250 ms) + 2 sentence ends (1000 ms).
    await call.speak('Hello, world. How are you?', { voice: 'Susan', language: 'en-US' });
    expect(h.clock.now()).toBe(3250);
    expect(h.of('media.started', call.id)).toEqual([
      { type: 'media.started', time: 0, legId: call.id, media: 'speech', source: 'Hello, world. How are you?' },
    ]);
    expect(h.of('media.ended', call.id)).toEqual([
      { type: 'media.ended', time: 3250, legId: call.id, media: 'speech', source: 'Hello, world. How are you?', endedBy: 'completed' },
    ]);
    await call.hangup();
  });

  test('a remote hangup during speech raises HangupError at once', async () => {
    const { h, call } = await answered({ hangupAfterSeconds: 1 });
    const error = await call.speak('one two three four five six seven eight nine ten').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HangupError);
    expect(error).toMatchObject({ state: 'Released', releaseCause: 'remote-hangup', operation: 'speak' });
    expect(h.clock.now()).toBe(1000);
    expect(h.of('media.ended', call.id).map((e) => e.endedBy)).toEqual(['hangup']);
  });

  test('aborting speech stops it at once and cancels its timer', async () => {
    const { h, call } = await answered();
    await expect(call.speak('one two three four five', { signal: abortAt(h, 700) })).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.clock.now()).toBe(700);
    expect(h.clock.pendingTimers()).toEqual([]);
    expect(h.of('media.ended', call.id).map((e) => [e.endedBy, e.time])).toEqual([['interrupted', 700]]);
    await call.hangup();
  });

  test('putting the call on hold stops the running media with InvalidStateError', async () => {
    const { h, call } = await answered();
    const speaking = call.speak('one two three four five').catch((e: unknown) => e);
    h.clock.setTimer(1000, () => void call.hold());
    const error = await speaking;
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error).toMatchObject({ state: 'Held', operation: 'speak' });
    expect(h.of('media.ended', call.id).map((e) => e.endedBy)).toEqual(['state-change']);
    await call.hangup();
  });

  test('play: local WAV durations, repeat, timeout, and the default for remote audio', async () => {
    const { h, call } = await answered({}, { defaultAudioSeconds: 2 });
    expect(await call.play('prompt.wav', { repeat: 3 })).toEqual({ endedBy: 'completed', plays: 3 });
    expect(h.clock.now()).toBe(4500);
    expect(await call.play(pathToFileURL(join(dir, 'prompt.wav')).href, { repeat: Infinity, timeoutSeconds: 4 })).toEqual({
      endedBy: 'timeout',
      plays: 2,
    });
    expect(h.clock.now()).toBe(8500);
    expect(h.of('media.ended', call.id).at(-1)?.endedBy).toBe('timeout');
    await call.play('https://media.example.test/hold.mp3');
    expect(h.clock.now()).toBe(10_500);
    await expect(call.play('x.wav', { repeat: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    await call.hangup();
  });

  test('tones last as their definition says; looping tones need a duration', async () => {
    const { h, call } = await answered({}, { tones: { Chime: { frequencies: [800], cadence: [150, 100], repeat: 3 } } });
    await call.playTone('beep');
    expect(h.clock.now()).toBe(500);
    await call.playTone('busy');
    expect(h.clock.now()).toBe(4500);
    await call.playTone('ringback-uk', { durationSeconds: 7 });
    expect(h.clock.now()).toBe(11_500);
    await call.playTone('chime');
    expect(h.clock.now()).toBe(12_250);
    await call.playTone('none');
    expect(h.clock.now()).toBe(12_250);
    await expect(call.playTone('klaxon')).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'tone' });
    await call.hangup();
  });
});

describe('collectDigits', () => {
  test('digits pressed when prompted, exactly N', async () => {
    const { h, call } = await answered({ presses: [{ digits: '1234' }] });
    expect(await call.collectDigits({ exact: 4 })).toEqual({ digits: '1234', endedBy: 'complete', complete: true });
    // First digit 1 s after the prompt starts, then every 0.5 s.
    expect(h.clock.now()).toBe(2500);
    expect(h.of('digits.collected', call.id)).toEqual([
      { type: 'digits.collected', time: 2500, legId: call.id, digits: '1234', endedBy: 'complete' },
    ]);
    await call.hangup();
  });

  test('the terminator ends a range early and is not part of the digits', async () => {
    const { call } = await answered({ presses: [{ digits: '12#' }, { digits: '#' }] });
    expect(await call.collectDigits({ min: 1, max: 5 })).toEqual({ digits: '12', endedBy: 'terminator', complete: true });
    expect(await call.collectDigits({ min: 1, max: 5 })).toEqual({ digits: '', endedBy: 'terminator', complete: false });
    await call.hangup();
  });

  test('timeouts: first digit, then restarted by every digit', async () => {
    const { h, call } = await answered({ presses: [{ digits: '12', gapSeconds: 2 }] });
    expect(await call.collectDigits({ max: 4, firstDigitTimeoutSeconds: 3, interDigitTimeoutSeconds: 3 })).toEqual({
      digits: '12',
      endedBy: 'timeout',
      complete: true,
    });
    // Digits at 1 s and 3 s; the timeout restarts at 3 s and fires at 6 s.
    expect(h.clock.now()).toBe(6000);
    expect(await call.collectDigits({ max: 4, firstDigitTimeoutSeconds: 2 })).toEqual({ digits: '', endedBy: 'timeout', complete: false });
    expect(h.clock.now()).toBe(8000);
    await call.hangup();
  });

  test('barge-in: the first digit interrupts the prompts', async () => {
    const { h, call } = await answered({ presses: [{ digits: '9', afterPromptSeconds: 1.2 }] });
    const result = await call.collectDigits({
      exact: 2,
      firstDigitTimeoutSeconds: 4,
      interruptPrompts: async (signal) => {
        await call.speak('For sales press one, for support press two, for everything else stay on the line.', { signal });
        await call.play('prompt.wav', { signal });
      },
    });
    expect(result).toEqual({ digits: '9', endedBy: 'timeout', complete: false });
    // Interrupted at 1.2 s; the inter-digit timeout (= first-digit timeout, 4 s) ends it at 5.2 s.
    expect(h.of('media.ended', call.id).map((e) => [e.media, e.endedBy, e.time])).toEqual([['speech', 'interrupted', 1200]]);
    expect(h.clock.now()).toBe(5200);
    await call.hangup();
  });

  test('the first-digit timeout starts when the prompts end', async () => {
    const { h, call } = await answered();
    const result = await call.collectDigits({ firstDigitTimeoutSeconds: 2, interruptPrompts: (signal) => call.play('prompt.wav', { signal }) });
    expect(result.endedBy).toBe('timeout');
    expect(h.clock.now()).toBe(3500);
    await call.hangup();
  });

  test('digits pressed while nobody collects are reported but not kept', async () => {
    const { h, call } = await answered({ presses: [{ digits: '5', afterAnswerSeconds: 0.5 }] });
    await call.speak('one two three');
    expect(h.of('dtmf.received', call.id)).toEqual([{ type: 'dtmf.received', time: 500, legId: call.id, digit: '5' }]);
    expect((await call.collectDigits({ firstDigitTimeoutSeconds: 1 })).digits).toBe('');
    await call.hangup();
  });

  test('abort, hangup and a second collector', async () => {
    const { h, call } = await answered({ hangupAtSeconds: 10 });
    await expect(call.collectDigits({ firstDigitTimeoutSeconds: 5, signal: abortAt(h, 1000) })).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.clock.pendingTimers().map((t) => t.label)).toEqual([`sim ${call.id}`]);
    const first = call.collectDigits({ firstDigitTimeoutSeconds: 60 });
    await expect(call.collectDigits()).rejects.toMatchObject({ name: 'InvalidStateError', state: 'Established' });
    await expect(first).rejects.toMatchObject({ name: 'HangupError', releaseCause: 'remote-hangup' });
    expect(h.clock.now()).toBe(10_000);
  });

  test('bad options are refused', async () => {
    const { call } = await answered();
    await expect(call.collectDigits({ exact: 0 })).rejects.toMatchObject({ option: 'exact' });
    await expect(call.collectDigits({ min: 3, max: 2 })).rejects.toMatchObject({ option: 'max' });
    await expect(call.collectDigits({ terminator: '##' })).rejects.toMatchObject({ option: 'terminator' });
    await expect(call.collectDigits({ firstDigitTimeoutSeconds: 0 })).rejects.toMatchObject({ option: 'firstDigitTimeoutSeconds' });
    await call.hangup();
  });
});

describe('record', () => {
  test('max duration: a WAV of silence of the right length and a file URL', async () => {
    const { h, call } = await answered({ speaks: [{ seconds: 30 }] });
    const result = await call.record({ maxSeconds: 10, inactivitySeconds: 5 });
    expect(result).toEqual({
      file: join(dir, `${call.id}-1.wav`),
      url: pathToFileURL(join(dir, `${call.id}-1.wav`)).href,
      durationSeconds: 10,
      endedBy: 'max-duration',
    });
    expect(readFileSync(result.file).length).toBe(44 + 10 * 8000 * 2);
    expect(wavDurationMs(result.file)).toBe(10_000);
    expect(h.of('recording.ended', call.id)).toEqual([{ type: 'recording.ended', time: 10_000, legId: call.id, ...result }]);
    await call.hangup();
  });

  test('silence: ends once the caller has been quiet for the inactivity time', async () => {
    const { h, call } = await answered({ speaks: [{ seconds: 4 }, { afterSeconds: 5, seconds: 3 }] });
    const result = await call.record({ inactivitySeconds: 2, format: 'wav' });
    // Talks 0–4 s and 5–8 s (the 1 s gap is shorter than 2 s), silent from 8 s.
    expect(result).toMatchObject({ durationSeconds: 10, endedBy: 'silence' });
    expect(h.clock.now()).toBe(10_000);
    await call.hangup();
  });

  test('a finish digit, and a hangup, end the recording normally', async () => {
    const { h, call } = await answered({ presses: [{ digits: '#', afterAnswerSeconds: 5 }], hangupAfterSeconds: 12 }, {
      recordingsBaseUrl: 'https://rec.example.test/calls/',
    });
    const byDigit = await call.record({ finishDigits: '#*', maxSeconds: 60 });
    expect(byDigit).toMatchObject({ durationSeconds: 5, endedBy: 'digit', url: `https://rec.example.test/calls/${call.id}-1.wav` });
    const byHangup = await call.record({ format: 'mp3' });
    expect(byHangup).toMatchObject({ durationSeconds: 7, endedBy: 'hangup', url: `https://rec.example.test/calls/${call.id}-2.mp3` });
    expect(call.state).toBe('Released');
    expect(h.clock.now()).toBe(12_000);
  });

  test('a local hangup also ends it normally', async () => {
    const { h, call } = await answered();
    h.clock.setTimer(3000, () => void call.hangup());
    expect(await call.record({ maxSeconds: 30 })).toMatchObject({ durationSeconds: 3, endedBy: 'hangup' });
  });
});

describe('DTMF, hold, user data', () => {
  test('sendDtmf takes 200 ms per digit and the sim records it', async () => {
    const { h, call } = await answered();
    await call.sendDtmf('12#');
    expect(h.clock.now()).toBe(600);
    expect(h.sim.sentDtmf(call.id)).toBe('12#');
    expect(h.of('dtmf.sent', call.id)).toEqual([{ type: 'dtmf.sent', time: 600, legId: call.id, digits: '12#' }]);
    await expect(call.sendDtmf('12x')).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'digits' });
    await call.hangup();
    expect(h.sim.leg(call.id)?.status).toBe('ended');
    h.sim.forgetEnded();
    expect(h.sim.leg(call.id)).toBeUndefined();
    expect(h.sim.sentDtmf(call.id)).toBe('');
  });

  test('hold and retrieve, with the configured or given hold music', async () => {
    const { h, call } = await answered({}, { holdMusic: 'https://music.example.test/hold.mp3' });
    await call.hold();
    expect(h.sim.leg(call.id)).toMatchObject({ held: true, holdMusic: 'https://music.example.test/hold.mp3' });
    expect(call.snapshot().names).toEqual({ genesys: 'Held', ozeki: 'Hold' });
    await expect(call.hold()).rejects.toBeInstanceOf(InvalidStateError);
    await call.retrieve();
    await call.hold({ music: 'ringback-eu' });
    expect(h.sim.leg(call.id)?.holdMusic).toBe('ringback-eu');
    await call.retrieve();
    expect(h.sim.leg(call.id)?.held).toBe(false);
    expect(h.states(call.id)).toEqual(['Ringing', 'Established', 'Held', 'Established', 'Held', 'Established']);
    await call.hangup();
  });

  test('user data follows Genesys: attach duplicates, update overwrites, delete pair, delete all', async () => {
    const h = harness();
    const call = h.inbound();
    await call.attachUserData({ AccountNumber: '12345678', CustomerSegment: 'Gold' });
    await call.attachUserData({ CustomerSegment: 'Platinum', Score: 7 });
    expect(call.snapshot().userData).toEqual([
      { key: 'AccountNumber', value: '12345678' },
      { key: 'CustomerSegment', value: 'Gold' },
      { key: 'CustomerSegment', value: 'Platinum' },
      { key: 'Score', value: 7 },
    ]);
    await call.updateUserData({ CustomerSegment: 'Silver', CustomerName: 'James' });
    expect(call.snapshot().userData).toEqual([
      { key: 'AccountNumber', value: '12345678' },
      { key: 'CustomerSegment', value: 'Silver' },
      { key: 'Score', value: 7 },
      { key: 'CustomerName', value: 'James' },
    ]);
    await call.deleteUserDataPair('Score');
    expect(call.snapshot().userData.map((p) => p.key)).toEqual(['AccountNumber', 'CustomerSegment', 'CustomerName']);
    await call.deleteUserData();
    expect(call.snapshot().userData).toEqual([]);
    expect(h.of('leg.userdata', call.id).map((e) => e.userData.length)).toEqual([2, 4, 4, 3, 0]);
    await call.reject();
    await expect(call.attachUserData({ a: 1 })).rejects.toBeInstanceOf(HangupError);
  });
});

describe('dial and snapshot', () => {
  test('an answered outbound call: times, durations, call type and names', async () => {
    const h = harness({ directory: { '+15552220000': { ringSeconds: 6 }, '2001': { extension: true, ringSeconds: 1 } } });
    const call = h.control.createChannel();
    expect(await call.dial('+15552220000', { from: '+15550008888', displayName: 'ACME' })).toBe('answered');
    await h.clock.sleep(9000);
    expect(call.snapshot()).toMatchObject({
      state: 'Established',
      names: { genesys: 'Established', ozeki: 'InCall', aculab: 'ANSWERED' },
      callType: 'Outbound',
      direction: 'outbound',
      caller: '+15550008888',
      callee: '+15552220000',
      displayName: 'ACME',
      privacy: false,
      startedAt: 0,
      answeredAt: 6000,
      ringSeconds: 6,
      talkSeconds: 9,
    });
    await call.hangup();
    expect(call.snapshot()).toMatchObject({ endedAt: 15_000, talkSeconds: 9, releaseCause: 'normal', names: { ozeki: 'Completed' } });
    const internal = h.control.createChannel();
    await internal.dial('2001');
    expect(internal.callType).toBe('Internal');
    await internal.hangup();
  });

  test('unanswered outcomes, ring timeout and abort', async () => {
    const h = harness({ directory: { busy: { response: 'busy' }, ringing: { response: 'no-answer' }, nope: { response: 'reject' } } });
    expect(await h.control.createChannel().dial('busy')).toBe('busy');
    expect(await h.control.createChannel().dial('nope')).toBe('rejected');
    expect(await h.control.createChannel().dial('missing')).toBe('not-found');
    const ringing = h.control.createChannel();
    expect(await ringing.dial('ringing', { timeoutSeconds: 20 })).toBe('no-answer');
    expect(ringing.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'no-answer', ringSeconds: 20, talkSeconds: 0 });
    const aborted = h.control.createChannel();
    await expect(aborted.dial('ringing', { signal: abortAt(h, 5000) })).rejects.toMatchObject({ name: 'AbortError' });
    expect(aborted.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'cancelled', names: { ozeki: 'Cancelled' } });
    await expect(aborted.waitForAnswer()).resolves.toBe('cancelled');
    await expect(h.control.createChannel().dial('x', { timeoutSeconds: 601 })).rejects.toBeInstanceOf(InvalidOptionError);
  });

  test('hanging up while dialling cancels the call', async () => {
    const h = harness({ directory: { ringing: { response: 'no-answer' } } });
    const call = h.control.createChannel();
    const outcome = call.dial('ringing');
    await h.clock.sleep(3000);
    expect(call.capabilities).toEqual(['Hangup', 'SendDtmf', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair']);
    await call.hangup('cancelled');
    expect(await outcome).toBe('cancelled');
    expect(h.sim.leg(call.id)?.status).toBe('ended');
  });
});
