/** CallControl.connect (the third-party join): exact refusals, who the target is, and the parties of one two-party call. */
import { afterEach, describe, expect, test } from 'vitest';
import { HangupError, InvalidStateError } from '../../src/calls/errors.js';
import { expectNothingLeft, harness } from './harness.js';

afterEach(expectNothingLeft);

describe('connect', () => {
  test('refusals name the leg, the state and the reason', async () => {
    const h = harness({ directory: { '2000': { ringSeconds: 1 }, '3000': { ringSeconds: 1 } } });
    const a = h.inbound({ from: '+15550001111' });
    const idle = h.control.createChannel();
    await expect(h.control.connect(a, idle)).rejects.toMatchObject({ name: 'HangupError', legId: idle.id, message: `connect: leg ${idle.id} is Idle (no call)` });
    await expect(h.control.connect(a, a)).rejects.toMatchObject({
      name: 'InvalidStateError', message: 'connect is not possible while leg in-1 is Ringing: a leg cannot be connected to itself',
    });
    const b = h.inbound({ from: '+15550002222' });
    await expect(h.control.connect(a, b)).rejects.toMatchObject({
      legId: 'in-1', message: 'connect is not possible while leg in-1 is Ringing: only answered (Established or Held) legs can be connected',
    });
    await a.answer();
    await expect(h.control.connect(a, b)).rejects.toMatchObject({ legId: 'in-2', state: 'Ringing' });
    await b.answer();
    // a talks to 2000 in a two-party call: it cannot be joined to b while bridged there.
    const joined = await a.singleStepConference('2000');
    await expect(h.control.connect(a, b)).rejects.toMatchObject({
      name: 'InvalidStateError', legId: 'in-1', message: `connect is not possible while leg in-1 is Established: the leg is still bridged to ${joined.targetLegId}`,
    });
    await expect(h.control.connect(b, a)).rejects.toBeInstanceOf(InvalidStateError);
    await b.hangup();
    await expect(h.control.connect(a, b)).rejects.toBeInstanceOf(HangupError);
    await a.hangup();
    await h.control.channel(joined.targetLegId!)?.hangup();
  });

  test('the two parties of one two-party call can be connected and left; the target is named by its party', async () => {
    const h = harness({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 5 } } });
    const a = h.inbound({ from: '+15550001111' });
    await a.answer();
    const joined = await a.singleStepConference('2000');
    const callee = h.control.channel(joined.targetLegId!)!;
    const capabilityEvents = h.of('leg.capabilities').length;
    // Moving the caller to the dialled party: the target is the number that was dialled.
    expect(await h.control.connect(a, callee)).toEqual({ cause: 'completed', target: '2000', targetLegId: callee.id });
    expect([a.snapshot().releaseCause, callee.snapshot().releaseCause]).toEqual(['transferred', 'transferred']);
    expect(h.control.handedOffLegs()).toEqual([a.id, callee.id]);
    // The application's bridge is dissolved into the hand-off: full capabilities for an instant, no bridge.ended.
    expect(h.of('leg.capabilities').slice(capabilityEvents).map((e) => e.legId)).toEqual([a.id, callee.id]);
    expect(h.of('bridge.ended')).toEqual([]);
    await h.clock.sleep(6000);
    expect(h.of('bridge.ended').map((e) => e.cause)).toEqual(['remote-hangup']);
  });

  test('moving a dialled party to an inbound one: the target is the caller number of the inbound leg', async () => {
    const h = harness({ directory: { '2000': { ringSeconds: 1 } } });
    const a = h.inbound({ from: '+15550001111' });
    await a.answer();
    const placed = h.control.createChannel();
    expect(await placed.dial('2000')).toBe('answered');
    expect(await h.control.connect(placed, a)).toEqual({ cause: 'completed', target: '+15550001111', targetLegId: a.id });
    expect(h.of('transfer.started')).toEqual([{ type: 'transfer.started', time: 1000, legId: placed.id, kind: 'consult', target: '+15550001111', targetLegId: a.id }]);
    h.sim.hangup(a.id);
  });
});
