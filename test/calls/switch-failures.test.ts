/**
 * What the call layer does when the switch fails (docs/calls.md, "When the switch fails"): awaited
 * operations reject with a `SwitchError` after undoing their state change, transfers end `failed`
 * with a `switch.error` event, and steps nobody awaits are reported as `switch.error` events.
 * Faults are injected into the real simulated switch by replacing one of its methods.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CallEvent } from '../../src/calls/events.js';
import { SwitchError, toSwitchError } from '../../src/calls/switch-error.js';
import type { Switch } from '../../src/calls/switch.js';
import { expectNothingLeft, harness, type Harness, type HarnessOptions } from './harness.js';

afterEach(expectNothingLeft);

const TARGET = '+15557770001';
const CALLER = '+15550001111';

type Faulty = 'bridge' | 'hold' | 'retrieve' | 'answer' | 'release' | 'originate' | 'playSpeech' | 'playTone' | 'sendDtmf' | 'unbridge' | 'record';

/** Makes `operation` of the sim reject (every call, or only for `legId`) with `error`. */
function breakSwitch(h: Harness, operation: Faulty, error: unknown = new Error('488 Not Acceptable Here'), legId?: string): void {
  const sw: Switch = h.sim;
  const original = sw[operation].bind(sw) as (...args: unknown[]) => Promise<unknown>;
  Object.defineProperty(h.sim, operation, {
    configurable: true,
    value: (...args: unknown[]) => (legId === undefined || args[0] === legId ? Promise.reject(error) : original(...args)),
  });
}

async function answeredCall(options: HarnessOptions = {}) {
  const h = harness({ directory: { [TARGET]: { ringSeconds: 2 } }, ...options });
  const caller = h.inbound({ from: CALLER, to: '5005' });
  await caller.answer();
  return { h, caller };
}

const switchErrors = (h: Harness): Extract<CallEvent, { type: 'switch.error' }>[] => h.of('switch.error');

describe('SwitchError', () => {
  test('names the operation, the leg and the kind; keeps the cause; a switch’s own SwitchError keeps its kind', () => {
    const cause = new Error('socket closed');
    const error = toSwitchError('bridge', 'in-1', cause);
    expect(error).toBeInstanceOf(SwitchError);
    expect(error).toMatchObject({ name: 'SwitchError', operation: 'bridge', legId: 'in-1', kind: 'failed', cause, message: 'switch bridge on leg in-1 failed: socket closed' });
    expect(toSwitchError('hold', 'in-2', 'plain text').message).toBe('switch hold on leg in-2 failed: plain text');
    const own = new SwitchError('hold', 'in-1', 'refused', 're-INVITE refused');
    expect(toSwitchError('bridge', 'leg-9', own)).toBe(own);
  });
});

describe('a bridge the switch refuses ends every transfer failed', () => {
  test('blind transfer: the target is released failed, the caller stays Established, a switch.error says why', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'bridge', new SwitchError('bridge', 'in-1', 'refused', 'no media path'));
    const result = await caller.blindTransfer(TARGET);
    expect(result).toEqual({ cause: 'failed', target: TARGET, targetLegId: 'leg-1' });
    expect(caller.state).toBe('Established');
    expect(caller.transferCause()).toBe('failed');
    expect(h.states('leg-1')).toEqual(['Dialing', 'Established', 'Released']);
    expect(h.of('leg.state', 'leg-1').at(-1)).toMatchObject({ cause: 'failed', time: 2000 });
    expect(switchErrors(h)).toEqual([{ type: 'switch.error', time: 2000, legId: 'in-1', operation: 'bridge', kind: 'refused', message: 'no media path' }]);
    expect(h.of('transfer.ended')).toEqual([{ type: 'transfer.ended', time: 2000, legId: 'in-1', kind: 'blind', target: TARGET, cause: 'failed', targetLegId: 'leg-1' }]);
    expect(h.sim.leg('leg-1')?.status).toBe('ended');
    await caller.hangup();
  });

  test('single-step conference: failed instead of a raw rejection; the added leg is released', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'bridge');
    const result = await caller.singleStepConference(TARGET);
    expect(result).toEqual({ cause: 'failed', target: TARGET, targetLegId: 'leg-1' });
    expect(caller.snapshot()).toMatchObject({ state: 'Established', transferCause: 'failed' });
    expect(caller.snapshot().bridgedTo).toBeUndefined();
    expect(h.of('leg.state', 'leg-1').at(-1)).toMatchObject({ state: 'Released', cause: 'failed' });
    expect(switchErrors(h).map((e) => [e.operation, e.legId, e.kind, e.message])).toEqual([
      ['bridge', 'in-1', 'failed', 'switch bridge on leg in-1 failed: 488 Not Acceptable Here'],
    ]);
    expect(h.of('bridge.started')).toEqual([]);
    await caller.hangup();
  });

  test('transfer to an inbound service: the caller stays Established with cause failed', async () => {
    const { h, caller } = await answeredCall({ directory: { 'service:desk': { ringSeconds: 1 } } });
    breakSwitch(h, 'bridge');
    const state = await caller.transferToInboundService(h.control.createChannel(), 'desk');
    expect(state).toBe('Established');
    expect(caller.transferCause()).toBe('failed');
    expect(h.of('leg.state', 'leg-1').at(-1)).toMatchObject({ state: 'Released', cause: 'failed', time: 1000 });
    expect(h.of('transfer.ended').map((e) => [e.kind, e.cause])).toEqual([['service', 'failed']]);
    expect(switchErrors(h).map((e) => e.operation)).toEqual(['bridge']);
    await caller.hangup();
  });

  test('completeTransfer: the consult is released failed, the consultation ends failed, the caller is held again on the switch', async () => {
    const { h, caller } = await answeredCall();
    const consult = await caller.initiateTransfer(TARGET, { holdMusic: 'jazz.mp3' });
    expect(await consult.waitForAnswer()).toBe('answered');
    breakSwitch(h, 'bridge');
    const result = await consult.completeTransfer();
    expect(result).toEqual({ cause: 'failed', target: TARGET, targetLegId: consult.id });
    expect(consult.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'failed' });
    expect(caller.snapshot()).toMatchObject({ state: 'Held', transferCause: 'failed' });
    expect(h.sim.leg(caller.id)).toMatchObject({ held: true, holdMusic: 'jazz.mp3' });
    expect(h.of('transfer.ended').map((e) => [e.kind, e.cause, e.targetLegId])).toEqual([['consult', 'failed', consult.id]]);
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['bridge', caller.id]]);
    expect(h.control.handedOffLegs()).toEqual([]);
    await caller.retrieve();
    expect(caller.state).toBe('Established');
    await caller.hangup();
  });

  test('completeTransfer: a retrieve the switch refuses fails the same way', async () => {
    const { h, caller } = await answeredCall();
    const consult = await caller.initiateTransfer(TARGET);
    await consult.waitForAnswer();
    breakSwitch(h, 'retrieve');
    expect(await consult.completeTransfer()).toEqual({ cause: 'failed', target: TARGET, targetLegId: consult.id });
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['retrieve', caller.id]]);
    expect(caller.state).toBe('Held');
    await caller.hangup();
  });

  test('completeConference: the consult is released failed, the caller is Established and not bridged', async () => {
    const { h, caller } = await answeredCall();
    const consult = await caller.initiateConference(TARGET);
    await consult.waitForAnswer();
    breakSwitch(h, 'bridge');
    expect(await consult.completeConference()).toEqual({ cause: 'failed', target: TARGET, targetLegId: consult.id });
    expect(consult.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'failed' });
    expect(caller.snapshot()).toMatchObject({ state: 'Established', transferCause: 'failed' });
    expect(caller.snapshot().bridgedTo).toBeUndefined();
    expect(h.of('transfer.ended').map((e) => [e.kind, e.cause])).toEqual([['conference', 'failed']]);
    await caller.hangup();
  });

  test('connect (third-party join): failed, both legs stay with the application as they were', async () => {
    const { h, caller } = await answeredCall();
    const other = h.inbound({ from: '+15550002222', to: '5006' });
    await other.answer();
    breakSwitch(h, 'bridge');
    const result = await h.control.connect(caller, other);
    expect(result).toEqual({ cause: 'failed', target: '+15550002222', targetLegId: other.id });
    expect([caller.state, other.state]).toEqual(['Established', 'Established']);
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['bridge', caller.id]]);
    await caller.hangup();
    await other.hangup();
  });

  test('connect: a held party the switch cannot take off hold fails before any bridge', async () => {
    const { h, caller } = await answeredCall();
    const other = h.inbound({ from: '+15550002222', to: '5006' });
    await other.answer();
    await other.hold();
    breakSwitch(h, 'retrieve');
    expect((await h.control.connect(caller, other)).cause).toBe('failed');
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['retrieve', other.id]]);
    expect(other.state).toBe('Held');
    expect(h.sim.leg(caller.id)?.bridgedTo).toBeUndefined();
    await caller.hangup();
    await other.hangup();
  });
});

describe('a bridge that fails because a party left meanwhile reports that party, not a switch error', () => {
  /** The sim's bridge ends `leg` from the far side, then rejects (as a switch does for a leg that is gone). */
  function bridgeLoses(h: Harness, which: 0 | 1): void {
    Object.defineProperty(h.sim, 'bridge', {
      configurable: true,
      value: async (a: string, b: string) => {
        h.sim.hangup(which === 0 ? a : b);
        throw new SwitchError('bridge', a, 'unknown-leg', 'no such leg');
      },
    });
  }

  test('blind transfer: the target hung up → target-hangup', async () => {
    const { h, caller } = await answeredCall();
    bridgeLoses(h, 1);
    expect((await caller.blindTransfer(TARGET)).cause).toBe('target-hangup');
    expect(h.of('leg.state', 'leg-1').at(-1)).toMatchObject({ state: 'Released', cause: 'remote-hangup' });
    expect(switchErrors(h)).toEqual([]);
    expect(caller.state).toBe('Established');
    await caller.hangup();
  });

  test('blind transfer: the caller hung up → caller-hangup, the target is released normal', async () => {
    const { h, caller } = await answeredCall();
    bridgeLoses(h, 0);
    expect((await caller.blindTransfer(TARGET)).cause).toBe('caller-hangup');
    expect(h.of('leg.state', 'leg-1').at(-1)).toMatchObject({ state: 'Released', cause: 'normal' });
    expect(switchErrors(h)).toEqual([]);
  });

  test('connect: the target hung up → target-hangup; the moved leg stays', async () => {
    const { h, caller } = await answeredCall();
    const other = h.inbound({ from: '+15550002222', to: '5006' });
    await other.answer();
    bridgeLoses(h, 1);
    expect((await h.control.connect(caller, other)).cause).toBe('target-hangup');
    expect(caller.state).toBe('Established');
    expect(switchErrors(h)).toEqual([]);
    await caller.hangup();
  });

  test('completeTransfer: a party gone during the bridge rejects with the typed error, nothing reported as a switch failure', async () => {
    const { h, caller } = await answeredCall();
    const consult = await caller.initiateTransfer(TARGET);
    await consult.waitForAnswer();
    bridgeLoses(h, 1);
    await expect(consult.completeTransfer()).rejects.toMatchObject({ name: 'HangupError', legId: consult.id, operation: 'completeTransfer' });
    expect(switchErrors(h)).toEqual([]);
    expect(caller.transferCause()).toBe('target-hangup');
    await caller.hangup();
  });
});

describe('a party that hangs up while a bridge the switch accepted is set up', () => {
  /** The sim's bridge succeeds, but one party hangs up before the call layer sees it. */
  function bridgeThenLose(h: Harness, which: 0 | 1): void {
    const original = h.sim.bridge.bind(h.sim);
    Object.defineProperty(h.sim, 'bridge', {
      configurable: true,
      value: async (a: string, b: string) => {
        await original(a, b);
        h.sim.hangup(which === 0 ? a : b);
      },
    });
  }

  test('blind transfer: target-hangup, the caller stays', async () => {
    const { h, caller } = await answeredCall();
    bridgeThenLose(h, 1);
    expect((await caller.blindTransfer(TARGET)).cause).toBe('target-hangup');
    expect(caller.state).toBe('Established');
    expect(h.control.handedOffLegs()).toEqual([]);
    await caller.hangup();
  });

  test('blind transfer: caller-hangup, the target is released normal', async () => {
    const { h, caller } = await answeredCall();
    bridgeThenLose(h, 0);
    expect((await caller.blindTransfer(TARGET)).cause).toBe('caller-hangup');
    expect(h.of('leg.state', 'leg-1').at(-1)).toMatchObject({ state: 'Released', cause: 'normal' });
    expect(h.control.handedOffLegs()).toEqual([]);
  });

  test('connect: caller-hangup, nothing handed off', async () => {
    const { h, caller } = await answeredCall();
    const other = h.inbound({ from: '+15550002222', to: '5006' });
    await other.answer();
    bridgeThenLose(h, 0);
    expect((await h.control.connect(caller, other)).cause).toBe('caller-hangup');
    expect(other.state).toBe('Established');
    expect(h.control.handedOffLegs()).toEqual([]);
    await other.hangup();
  });
});

describe('awaited operations reject with SwitchError after undoing their change', () => {
  test('hold: back to Established', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'hold');
    const error = await caller.hold().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchError);
    expect(error).toMatchObject({ operation: 'hold', legId: caller.id, kind: 'failed' });
    expect(h.states(caller.id)).toEqual(['Ringing', 'Established', 'Held', 'Established']);
    await caller.hangup();
  });

  test('retrieve: stays Held', async () => {
    const { h, caller } = await answeredCall();
    await caller.hold();
    breakSwitch(h, 'retrieve');
    await expect(caller.retrieve()).rejects.toMatchObject({ name: 'SwitchError', operation: 'retrieve', legId: caller.id });
    expect(h.states(caller.id)).toEqual(['Ringing', 'Established', 'Held', 'Established', 'Held']);
    await caller.hangup();
  });

  test('answer: the leg is released failed', async () => {
    const h = harness();
    breakSwitch(h, 'answer');
    const caller = h.inbound();
    await expect(caller.answer()).rejects.toMatchObject({ name: 'SwitchError', operation: 'answer', legId: caller.id });
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'failed' });
  });

  test('speak: rejects with SwitchError, the prompt ends interrupted', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'playSpeech');
    await expect(caller.speak('Hello.')).rejects.toMatchObject({ name: 'SwitchError', operation: 'playSpeech', legId: caller.id });
    expect(h.of('media.ended').map((e) => [e.media, e.endedBy])).toEqual([['speech', 'interrupted']]);
    expect(caller.state).toBe('Established');
    await caller.hangup();
  });

  test('sendDtmf: rejects with SwitchError, no dtmf.sent', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'sendDtmf');
    await expect(caller.sendDtmf('12')).rejects.toMatchObject({ name: 'SwitchError', operation: 'sendDtmf' });
    expect(h.of('dtmf.sent')).toEqual([]);
    await caller.hangup();
  });

  test('record: rejects with SwitchError after recording.started', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'record');
    await expect(caller.record({ maxSeconds: 5 })).rejects.toMatchObject({ name: 'SwitchError', operation: 'record' });
    await expect(caller.recordCall()).rejects.toMatchObject({ name: 'SwitchError', operation: 'record' });
    expect(h.of('recording.started')).toHaveLength(2);
    expect(h.of('recording.ended')).toEqual([]);
    await caller.hangup();
  });

  test('holding a two-party call: one side refused, both are retrieved and the hold rejects', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1 } } });
    const joined = await caller.singleStepConference(TARGET);
    breakSwitch(h, 'hold', new Error('busy here'), joined.targetLegId);
    await expect(caller.hold()).rejects.toMatchObject({ name: 'SwitchError', operation: 'hold', legId: joined.targetLegId });
    expect(h.states(caller.id).slice(-2)).toEqual(['Held', 'Established']);
    expect(h.states(joined.targetLegId!).slice(-2)).toEqual(['Held', 'Established']);
    expect(h.sim.leg(caller.id)?.held).toBe(false);
    expect(switchErrors(h)).toEqual([]);
    await caller.hangup();
    await h.control.channel(joined.targetLegId!)?.hangup();
  });

  test('holding a two-party call: the retrieve that undoes a refused hold is reported when it fails too', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1 } } });
    const joined = await caller.singleStepConference(TARGET);
    breakSwitch(h, 'hold', new Error('busy here'), joined.targetLegId);
    breakSwitch(h, 'retrieve');
    await expect(caller.hold()).rejects.toMatchObject({ name: 'SwitchError', operation: 'hold' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['retrieve', caller.id], ['retrieve', joined.targetLegId]]);
    await caller.hangup();
    await h.control.channel(joined.targetLegId!)?.hangup();
  });

  test('retrieving a held two-party call the switch refuses rejects with SwitchError', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1 } } });
    const joined = await caller.singleStepConference(TARGET);
    await caller.hold();
    breakSwitch(h, 'retrieve', new Error('no'), joined.targetLegId);
    await expect(caller.retrieve()).rejects.toMatchObject({ name: 'SwitchError', operation: 'retrieve', legId: joined.targetLegId });
    await caller.hangup();
    await h.control.channel(joined.targetLegId!)?.hangup();
  });
});

describe('steps nobody awaits are reported as switch.error events', () => {
  test('a BYE the switch refuses: the leg is Released for the application anyway', async () => {
    const { h, caller } = await answeredCall();
    breakSwitch(h, 'release');
    await caller.hangup();
    expect(caller.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'normal' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(switchErrors(h).map((e) => [e.operation, e.legId, e.kind])).toEqual([['release', caller.id, 'failed']]);
    // The sim still has the leg up (it refused the BYE): end it from the far side for the clean-up check.
    h.sim.hangup(caller.id);
  });

  test('an originate the switch refuses: the dialled leg ends failed', async () => {
    const h = harness({ directory: { [TARGET]: {} } });
    breakSwitch(h, 'originate');
    const channel = h.control.createChannel();
    expect(await channel.dial(TARGET)).toBe('failed');
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['originate', channel.id]]);
  });

  test('a failing unbridge when a service hands the call back: the caller is still retrieved', async () => {
    const { h, caller } = await answeredCall({ directory: { 'service:desk': { ringSeconds: 1, transferBackAfterSeconds: 3 } } });
    breakSwitch(h, 'unbridge');
    expect(await caller.transferToInboundService(h.control.createChannel(), 'desk')).toBe('Transferred');
    expect(await caller.waitForTransferredCallRetrieval()).toBe('retrieved');
    expect(caller.state).toBe('Established');
    await new Promise((resolve) => setImmediate(resolve));
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['unbridge', caller.id]]);
    await caller.hangup();
  });

  test('a ringback the switch cannot play ends interrupted; the transfer goes on', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 2, hangupAfterSeconds: 5 } } });
    breakSwitch(h, 'playTone');
    const result = await caller.blindTransfer(TARGET);
    expect(result.cause).toBe('completed');
    expect(h.of('media.ended', caller.id).map((e) => [e.source, e.endedBy, e.time])).toEqual([['ringback-us', 'interrupted', 0]]);
    expect(switchErrors(h).map((e) => [e.operation, e.legId, e.time])).toEqual([['playTone', caller.id, 0]]);
    await h.clock.sleep(6000);
  });

  test('a recording of a transferred call the switch refuses: switch.error, and result.recording rejects', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 1, hangupAfterSeconds: 5 } } });
    breakSwitch(h, 'record');
    const result = await caller.blindTransfer(TARGET, { record: true });
    expect(result.cause).toBe('completed');
    await expect(result.recording).rejects.toMatchObject({ name: 'SwitchError', operation: 'record', legId: caller.id });
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['record', caller.id]]);
    expect(h.of('recording.ended')).toEqual([]);
    await h.clock.sleep(6000);
  });

  test('a consult that answers after a swap and cannot be held stays Established, reported', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 3 } } });
    const consult = await caller.initiateTransfer(TARGET);
    await consult.swapCalls();
    expect(caller.state).toBe('Established');
    breakSwitch(h, 'hold', new Error('hold refused'), consult.id);
    expect(await consult.waitForAnswer()).toBe('answered');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.states(consult.id)).toEqual(['Dialing', 'Established', 'Held', 'Established']);
    expect(switchErrors(h).map((e) => [e.operation, e.legId, e.message])).toEqual([['hold', consult.id, 'switch hold on leg leg-1 failed: hold refused']]);
    await caller.hangup();
    await consult.hangup();
  });

  test('completing while the consult rings: a retrieve the switch refuses is reported, the hand-off goes on', async () => {
    const { h, caller } = await answeredCall({ directory: { [TARGET]: { ringSeconds: 2, hangupAfterSeconds: 4 } } });
    const consult = await caller.initiateTransfer(TARGET);
    breakSwitch(h, 'retrieve');
    expect((await consult.completeTransfer()).cause).toBe('completed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['retrieve', caller.id]]);
    expect(h.control.handedOffLegs()).toEqual([caller.id, consult.id]);
    await h.clock.sleep(7000);
    expect(h.of('bridge.ended').map((e) => e.cause)).toEqual(['remote-hangup']);
  });

  test('a hand-off whose bridge fails when the ringing target answers ends the handed-off call', async () => {
    const { h, caller } = await answeredCall();
    const consult = await caller.initiateTransfer(TARGET);
    expect((await consult.completeTransfer()).cause).toBe('completed');
    breakSwitch(h, 'bridge');
    await h.clock.sleep(3000);
    expect(switchErrors(h).map((e) => [e.operation, e.legId])).toEqual([['bridge', caller.id]]);
    expect(h.of('bridge.ended').map((e) => [e.legId, e.peerLegId, e.cause])).toEqual([[caller.id, consult.id, 'failed']]);
    expect(h.control.handedOffLegs()).toEqual([]);
  });
});
