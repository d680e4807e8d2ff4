/**
 * Seed 000 (Aculab retrievable transfer to an inbound service) through the channel API: the usage
 * example, the Hangup/Error rules, retrieval when the service side ends, and the timeout.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CallChannel } from '../../src/calls/channel.js';
import { HangupError, InvalidStateError } from '../../src/calls/errors.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { expectNothingLeft, harness, type Harness } from './harness.js';

afterEach(expectNothingLeft);

const VOICEMAIL = 'service:MyVoicemailRecorder';

async function answered(directory: Record<string, PartyBehaviour>): Promise<{ h: Harness; channel: CallChannel }> {
  const h = harness({ directory });
  const channel = h.inbound({ from: '+15550001111', to: '+15559990000' });
  await channel.answer();
  return { h, channel };
}

describe('transferToInboundService', () => {
  test("the seed's usage example: transfer, check the state, read transfer_cause after a failure", async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { response: 'busy' } });
    const otherCall = h.control.createChannel();
    const state = await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder');
    expect(state).toBe('Established');
    expect(state).not.toBe('Transferred');
    expect(channel.transferCause()).toBe('busy');
    expect(otherCall.state).toBe('Released');
    expect(otherCall.snapshot()).toMatchObject({ callType: 'Internal', callee: VOICEMAIL, caller: '+15550001111', releaseCause: 'busy' });
    await channel.hangup();
  });

  test('success: this channel is TRANSFERRED, can only hang up or retrieve, and is retrieved when the service hangs up', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { ringSeconds: 4, hangupAfterSeconds: 30 } });
    const otherCall = h.control.createChannel();
    const state = await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder', { callFrom: '+15551230000' });
    expect(state).toBe('Transferred');
    expect(h.clock.now()).toBe(4000);
    expect(channel.snapshot().names).toEqual({ ozeki: 'Transferred', aculab: 'TRANSFERRED' });
    expect(channel.snapshot().operations).toEqual([
      'hangup',
      'retrieveTransferredCall',
      'waitForTransferredCallRetrieval',
      'attachUserData',
      'updateUserData',
      'deleteUserData',
      'deleteUserDataPair',
    ]);
    expect(otherCall.snapshot()).toMatchObject({ state: 'Established', caller: '+15551230000', bridgedTo: channel.id });
    expect(h.sim.leg(channel.id)?.bridgedTo).toBe(otherCall.id);
    // The audio path is gone: no media on a transferred channel.
    await expect(channel.speak('hello')).rejects.toBeInstanceOf(InvalidStateError);
    // Ringback played while the service leg rang.
    expect(h.of('media.started', channel.id)).toEqual([
      { type: 'media.started', time: 0, legId: channel.id, media: 'tone', source: 'ringback-us' },
    ]);
    expect(h.of('media.ended', channel.id)).toEqual([
      { type: 'media.ended', time: 4000, legId: channel.id, media: 'tone', source: 'ringback-us', endedBy: 'interrupted' },
    ]);

    const cause = await channel.waitForTransferredCallRetrieval();
    expect(cause).toBe('retrieved');
    expect(h.clock.now()).toBe(34_000);
    expect(channel.state).toBe('Established');
    expect(channel.transferCause()).toBe('retrieved');
    expect(otherCall.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'remote-hangup' });
    expect(h.states(channel.id)).toEqual(['Ringing', 'Established', 'Transferred', 'Established']);
    expect(h.of('transfer.ended', channel.id)).toEqual([
      {
        type: 'transfer.ended',
        time: 34_000,
        legId: channel.id,
        kind: 'service',
        target: 'MyVoicemailRecorder',
        cause: 'retrieved',
        targetLegId: otherCall.id,
      },
    ]);
    await channel.hangup();
  });

  test('HangupError when this channel is IDLE or released; the other call must be IDLE', async () => {
    const h = harness({ directory: { [VOICEMAIL]: {} } });
    const idle = h.control.createChannel();
    const other = h.control.createChannel();
    const idleError = await idle.transferToInboundService(other, 'MyVoicemailRecorder').catch((e: unknown) => e);
    expect(idleError).toBeInstanceOf(HangupError);
    expect(idleError).toMatchObject({ name: 'HangupError', legId: idle.id, state: 'Idle', operation: 'transferToInboundService' });

    const channel = h.inbound();
    const ringing = await channel.transferToInboundService(other, 'MyVoicemailRecorder').catch((e: unknown) => e);
    expect(ringing).toBeInstanceOf(InvalidStateError);
    expect(ringing).toMatchObject({ name: 'InvalidStateError', state: 'Ringing', operation: 'transferToInboundService' });

    await channel.answer();
    const busyOther = h.inbound({ from: '+15550002222' });
    const notIdle = await channel.transferToInboundService(busyOther, 'MyVoicemailRecorder').catch((e: unknown) => e);
    expect(notIdle).toBeInstanceOf(InvalidStateError);
    expect(notIdle).toMatchObject({ legId: busyOther.id, state: 'Ringing' });
    expect(channel.state).toBe('Established');

    await channel.hangup();
    await expect(channel.transferToInboundService(other, 'MyVoicemailRecorder')).rejects.toMatchObject({
      name: 'HangupError',
      state: 'Released',
      releaseCause: 'normal',
    });
    await busyOther.reject();
  });

  test('timeout: the service does not answer within seconds_timeout', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { response: 'no-answer' } });
    const otherCall = h.control.createChannel();
    const state = await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder', { timeoutSeconds: 20 });
    expect(state).toBe('Established');
    expect(channel.transferCause()).toBe('timeout');
    expect(h.clock.now()).toBe(20_000);
    expect(otherCall.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'cancelled' });
    await channel.hangup();
  });

  test('the default timeout is 120 s; 0 and null mean none', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { response: 'no-answer' } });
    await channel.transferToInboundService(h.control.createChannel(), 'MyVoicemailRecorder');
    expect(h.clock.now()).toBe(120_000);
    expect(channel.transferCause()).toBe('timeout');

    for (const timeoutSeconds of [0, null]) {
      const other = h.control.createChannel();
      const controller = new AbortController();
      const started = h.clock.now();
      h.clock.setTimer(3_600_000, () => controller.abort());
      const error = await channel
        .transferToInboundService(other, 'MyVoicemailRecorder', { timeoutSeconds, signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(h.clock.now() - started).toBe(3_600_000);
      expect(channel.transferCause()).toBe('cancelled');
      expect(other.snapshot().releaseCause).toBe('cancelled');
    }
    await channel.hangup();
  });

  test('retrieveTransferredCall takes the call back and ends the service leg', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { ringSeconds: 1 } });
    const otherCall = h.control.createChannel();
    await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder');
    await h.clock.sleep(10_000);
    await channel.retrieveTransferredCall();
    expect(channel.state).toBe('Established');
    expect(channel.transferCause()).toBe('retrieved');
    expect(otherCall.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'normal' });
    expect(h.sim.leg(otherCall.id)?.status).toBe('ended');
    expect(h.sim.leg(channel.id)?.bridgedTo).toBeUndefined();
    await expect(channel.retrieveTransferredCall()).rejects.toBeInstanceOf(InvalidStateError);
    await channel.hangup();
  });

  test('a service that transfers the call back retrieves it', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { ringSeconds: 1, transferBackAfterSeconds: 7 } });
    const otherCall = h.control.createChannel();
    await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder');
    expect(await channel.waitForTransferredCallRetrieval()).toBe('retrieved');
    expect(h.clock.now()).toBe(8000);
    expect(otherCall.snapshot().releaseCause).toBe('normal');
    await channel.hangup();
  });

  test('the caller hangs up while transferred: the service leg is released too', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { ringSeconds: 1 } });
    const otherCall = h.control.createChannel();
    await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder');
    const waiting = channel.waitForTransferredCallRetrieval();
    h.clock.setTimer(5000, () => h.sim.hangup(channel.id));
    expect(await waiting).toBe('caller-hangup');
    expect(channel.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'remote-hangup', transferCause: 'caller-hangup' });
    expect(otherCall.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'normal' });
  });

  test('the caller hangs up while the service rings', async () => {
    const h = harness({ directory: { [VOICEMAIL]: { ringSeconds: 10 } } });
    const channel = h.inbound({ behaviour: { hangupAtSeconds: 3 } });
    await channel.answer();
    const otherCall = h.control.createChannel();
    expect(await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder')).toBe('Released');
    expect(channel.transferCause()).toBe('caller-hangup');
    expect(otherCall.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'cancelled' });
  });

  test('an unknown service is not-found without dialling', async () => {
    const h = harness({ services: { Voicemail: 'service:Voicemail' } });
    const channel = h.inbound();
    await channel.answer();
    const otherCall = h.control.createChannel();
    expect(await channel.transferToInboundService(otherCall, 'Nope')).toBe('Established');
    expect(channel.transferCause()).toBe('not-found');
    expect(otherCall.state).toBe('Idle');
    await channel.hangup();
  });

  test('waiting for retrieval can be aborted; the call stays transferred', async () => {
    const { h, channel } = await answered({ [VOICEMAIL]: { ringSeconds: 1 } });
    await channel.transferToInboundService(h.control.createChannel(), 'MyVoicemailRecorder');
    const controller = new AbortController();
    h.clock.setTimer(2000, () => controller.abort());
    await expect(channel.waitForTransferredCallRetrieval({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(channel.state).toBe('Transferred');
    await channel.hangup();
    expect(channel.transferCause()).toBe('cancelled');
  });
});
