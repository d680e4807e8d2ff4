/**
 * The channel API under the transfer verbs: seed 000's usage example against a service the
 * interpreter runs (its state rules, transfer_cause, retrieval), and `CallControl.connect`, which
 * joins two existing calls for the third-party AttendedTransfer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CallControl } from '../../src/calls/call-control.js';
import { VirtualClock } from '../../src/calls/clock.js';
import { HangupError, InvalidOptionError, InvalidStateError } from '../../src/calls/errors.js';
import { SimSwitch } from '../../src/calls/sim/sim-switch.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.dispose();
});

describe("seed 000: transfer_to_inbound_service with the service's script run by the interpreter", () => {
  const SERVICES = { MyVoicemailRecorder: '<Response><Speak>Please leave a message.</Speak><Record Duration="2"/></Response>' };

  it("the usage example: transfer, check the state, read the cause; the channel is retrieved when the service's script ends", async () => {
    w = world({ services: SERVICES, simServices: [] });
    const channel = w.ring();
    await channel.answer();
    const otherCall = w.calls.createChannel();
    // state = channel.transfer_to_inbound_service(other_call, 'MyVoicemailRecorder')
    const state = await channel.transferToInboundService(otherCall, 'MyVoicemailRecorder');
    expect(state).toBe('Transferred');
    expect(channel.transferCause()).toBe('completed');
    expect(channel.snapshot()).toMatchObject({ state: 'Transferred', names: { ozeki: 'Transferred', aculab: 'TRANSFERRED' }, capabilities: ['Hangup', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'] });
    // Only hang up, retrieve or wait: the audio path belongs to the service.
    await expect(channel.play('x.wav')).rejects.toBeInstanceOf(InvalidStateError);
    expect(await channel.waitForTransferredCallRetrieval()).toBe('retrieved');
    // "Please leave a message." 2.1 s + the 2 s recording: the service's script ended at 4.1 s.
    expect(w.clock.now()).toBe(4100);
    expect([channel.state, channel.transferCause(), otherCall.snapshot().releaseCause]).toEqual(['Established', 'retrieved', 'remote-hangup']);
    await channel.hangup();
  });

  it('the failure branch: the state is not TRANSFERRED and transfer_cause() says why', async () => {
    w = world({ simServices: ['MyVoicemailRecorder'], directory: { 'service:MyVoicemailRecorder': { response: 'busy' } } });
    const channel = w.ring();
    await channel.answer();
    const state = await channel.transferToInboundService(w.calls.createChannel(), 'MyVoicemailRecorder');
    expect(state).not.toBe('Transferred');
    expect([state, channel.transferCause()]).toEqual(['Established', 'busy']);
    await channel.hangup();
  });

  it('state rules: the other channel must be Idle, this one Established; Hangup on IDLE, Error otherwise', async () => {
    w = world({ services: SERVICES });
    const idle = w.calls.createChannel();
    await expect(idle.transferToInboundService(w.calls.createChannel(), 'MyVoicemailRecorder')).rejects.toBeInstanceOf(HangupError);
    const ringing = w.ring();
    await expect(ringing.transferToInboundService(w.calls.createChannel(), 'MyVoicemailRecorder')).rejects.toBeInstanceOf(InvalidStateError);
    await ringing.answer();
    await expect(ringing.transferToInboundService(ringing, 'MyVoicemailRecorder')).rejects.toMatchObject({ name: 'InvalidStateError', legId: ringing.id });
    await expect(ringing.retrieveTransferredCall()).rejects.toBeInstanceOf(InvalidStateError);
    await expect(ringing.waitForTransferredCallRetrieval()).rejects.toBeInstanceOf(InvalidStateError);
    await ringing.hold();
    await expect(ringing.transferToInboundService(w.calls.createChannel(), 'MyVoicemailRecorder')).rejects.toBeInstanceOf(InvalidStateError);
    await ringing.hangup();
    await expect(ringing.transferToInboundService(w.calls.createChannel(), 'MyVoicemailRecorder')).rejects.toBeInstanceOf(HangupError);
    await expect(ringing.retrieveTransferredCall()).rejects.toBeInstanceOf(HangupError);
    expect(w.sim.liveLegs()).toEqual([]);
  });

  it('retrieveTransferredCall takes the call back: the service session hears a hangup and ends', async () => {
    w = world({ services: { MyVoicemailRecorder: '<Response><Delay Time="60"/></Response>' } });
    const channel = w.ring();
    await channel.answer();
    expect(await channel.transferToInboundService(w.calls.createChannel(), 'MyVoicemailRecorder')).toBe('Transferred');
    await w.clock.sleep(5000);
    await channel.retrieveTransferredCall();
    expect([channel.state, channel.transferCause()]).toEqual(['Established', 'retrieved']);
    await w.settle();
    expect(w.trace(['verb.finished', 'session.ended'])).toEqual(['5 [s1] Delay → interrupted', '5 [s1] end caller-hangup']);
    await channel.hangup();
  });
});

describe('CallControl.connect: joining two existing calls', () => {
  it('a held party and an answered one are connected and handed off; both channels Released (transferred)', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1, hangupAfterSeconds: 9 } } });
    const held = w.ring();
    await held.answer();
    await held.hold();
    const other = w.calls.createChannel();
    expect(await other.dial('2000')).toBe('answered');
    expect(await w.calls.connect(held, other)).toEqual({ cause: 'completed', target: '2000', targetLegId: other.id });
    expect([held.snapshot().releaseCause, other.snapshot().releaseCause]).toEqual(['transferred', 'transferred']);
    expect(w.sim.leg(held.id)).toMatchObject({ status: 'up', held: false, bridgedTo: other.id });
    expect(w.calls.handedOffLegs()).toEqual([held.id, other.id]);
    await w.settle();
    expect(w.trace(['transfer.started', 'transfer.ended', 'bridge.started', 'bridge.ended'])).toEqual([
      '1 in-1 consult transfer to 2000 (leg-1)', '1 bridge in-1+leg-1', '1 in-1 consult transfer completed', '10 unbridge in-1+leg-1 (remote-hangup)',
    ]);
  });

  it('refuses legs that are not answered, have a pending consult, belong elsewhere, or are the same leg', async () => {
    w = world({ directory: { '2000': { ringSeconds: 1 } } });
    const a = w.ring();
    const idle = w.calls.createChannel();
    await expect(w.calls.connect(a, idle)).rejects.toBeInstanceOf(HangupError);
    await expect(w.calls.connect(a, a)).rejects.toBeInstanceOf(InvalidStateError);
    const b = w.ring({ from: '+15550002' });
    await expect(w.calls.connect(a, b)).rejects.toMatchObject({ name: 'InvalidStateError', legId: a.id, state: 'Ringing' });
    await a.answer();
    await b.answer();
    const consult = await a.initiateTransfer('2000');
    await expect(w.calls.connect(a, b)).rejects.toMatchObject({ name: 'InvalidStateError', legId: a.id, message: expect.stringContaining('pending two-step transfer') });
    // A leg of another call control (its own switch and clock).
    const clock = new VirtualClock();
    const sim = new SimSwitch({ clock });
    const elsewhere = new CallControl(sim, { clock });
    const stranger = elsewhere.channel(sim.placeInboundCall({ from: '+15550003', to: '9000' }))!;
    await stranger.answer();
    await expect(w.calls.connect(b, stranger)).rejects.toBeInstanceOf(InvalidOptionError);
    await stranger.hangup();
    elsewhere.close();
    // Nothing changed.
    expect([a.state, b.state, consult.state]).toEqual(['Held', 'Established', 'Dialing']);
    for (const c of [consult, a, b]) await c.hangup();
  });
});
