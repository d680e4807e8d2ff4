/** Two-step transfers and conferences: consult lifecycle, swaps, every way the consult can end. */
import { afterEach, describe, expect, test } from 'vitest';
import type { CallChannel } from '../../src/calls/channel.js';
import { InvalidStateError } from '../../src/calls/errors.js';
import type { PartyBehaviour } from '../../src/calls/sim/directory.js';
import { expectNothingLeft, harness, type Harness } from './harness.js';

afterEach(expectNothingLeft);

const AGENT = '5001';

async function consulting(agent: PartyBehaviour, caller: PartyBehaviour = {}): Promise<{ h: Harness; caller: CallChannel; consult: CallChannel }> {
  const h = harness({ directory: { [AGENT]: agent } });
  const call = h.inbound({ from: '+15550001111', to: '5005', behaviour: caller });
  await call.answer();
  const consult = await call.initiateTransfer(AGENT, { holdMusic: 'https://music.example.test/jazz.mp3' });
  return { h, caller: call, consult };
}

describe('two-step transfer', () => {
  test('consult answers, the accept key is pressed, the transfer completes', async () => {
    const { h, caller, consult } = await consulting({ ringSeconds: 3, presses: [{ digits: '1' }] });
    expect(h.sim.leg(caller.id)).toMatchObject({ held: true, holdMusic: 'https://music.example.test/jazz.mp3' });
    expect(await consult.waitForAnswer()).toBe('answered');
    expect(h.clock.now()).toBe(3000);
    await consult.speak('Caller on hold.');
    const accept = await consult.collectDigits({ exact: 1, firstDigitTimeoutSeconds: 5 });
    expect(accept.digits).toBe('1');
    const result = await consult.completeTransfer();
    expect(result).toEqual({ cause: 'completed', target: AGENT, targetLegId: consult.id });
    expect(h.states(caller.id)).toEqual(['Ringing', 'Established', 'Held', 'Released']);
    expect(h.states(consult.id)).toEqual(['Dialing', 'Established', 'Released']);
    expect(h.sim.leg(caller.id)).toMatchObject({ held: false, bridgedTo: consult.id });
    expect(caller.transferCause()).toBe('completed');
    h.sim.hangup(consult.id);
    expect(h.sim.leg(caller.id)?.status).toBe('ended');
  });

  test('swapCalls alternates between the parties; capabilities follow', async () => {
    const { h, caller, consult } = await consulting({ ringSeconds: 1 });
    await consult.waitForAnswer();
    await consult.swapCalls();
    expect([caller.state, consult.state]).toEqual(['Established', 'Held']);
    expect(consult.capabilities).toEqual(['Hangup', 'CompleteTransfer', 'SwapCalls', 'CompleteConference', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair']);
    expect(caller.capabilities).toEqual([
      'Hangup', 'SendDtmf', 'InitiateTransfer', 'SingleStepTransfer', 'InitiateConference', 'SingleStepConference',
      'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair',
    ]);
    await caller.speak('Still there?');
    await expect(caller.swapCalls()).rejects.toBeInstanceOf(InvalidStateError);
    await consult.swapCalls();
    expect([caller.state, consult.state]).toEqual(['Held', 'Established']);
    // Complete from the swapped position as well.
    await consult.swapCalls();
    await consult.completeTransfer();
    expect(h.sim.leg(caller.id)).toMatchObject({ held: false, bridgedTo: consult.id });
    expect(h.sim.leg(consult.id)).toMatchObject({ held: false });
    h.sim.hangup(caller.id);
  });

  test('swapping while the consult rings: it is held as soon as it answers', async () => {
    const { h, caller, consult } = await consulting({ ringSeconds: 4 });
    await consult.swapCalls();
    expect([caller.state, consult.state]).toEqual(['Established', 'Dialing']);
    await h.clock.sleep(5000);
    expect(h.states(consult.id)).toEqual(['Dialing', 'Established', 'Held']);
    expect(h.sim.leg(consult.id)?.held).toBe(true);
    await consult.swapCalls();
    expect([caller.state, consult.state]).toEqual(['Held', 'Established']);
    await consult.hangup();
    await caller.retrieve();
    await caller.hangup();
  });

  test('retrieve on the held caller abandons the consultation', async () => {
    const { h, caller, consult } = await consulting({ response: 'no-answer' });
    await h.clock.sleep(2000);
    await caller.retrieve();
    expect(caller.state).toBe('Established');
    expect(consult.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'cancelled' });
    expect(caller.snapshot().consultCallId).toBeUndefined();
    expect(h.of('transfer.ended', caller.id)).toEqual([
      { type: 'transfer.ended', time: 2000, legId: caller.id, kind: 'consult', target: AGENT, cause: 'cancelled', targetLegId: consult.id },
    ]);
    await caller.hangup();
  });

  test.each([
    ['busy', { response: 'busy', ringSeconds: 2 }, 2000],
    ['rejected', { response: 'reject', ringSeconds: 3 }, 3000],
    ['not-found', { response: 'not-found' }, 0],
    ['no-answer', { response: 'no-answer' }, 30_000],
    ['target-hangup', { ringSeconds: 1, hangupAfterSeconds: 5 }, 6000],
  ] as const)('the consult ends with %s: the caller stays held for the application to retrieve', async (cause, agent, at) => {
    const { h, caller, consult } = await consulting(agent);
    const outcome = await consult.waitForAnswer();
    if (cause === 'target-hangup') {
      expect(outcome).toBe('answered');
      await expect(consult.speak('one two three four five six seven eight nine ten eleven twelve thirteen')).rejects.toMatchObject({
        name: 'HangupError',
      });
    } else {
      expect(outcome).toBe(cause);
    }
    expect(h.clock.now()).toBe(at);
    expect(caller.transferCause()).toBe(cause);
    expect(h.of('transfer.ended', caller.id).map((e) => [e.cause, e.time])).toEqual([[cause, at]]);
    expect(caller.state).toBe('Held');
    expect(caller.snapshot().consultCallId).toBeUndefined();
    await caller.retrieve();
    await caller.hangup();
  });

  test('the caller hangs up during the consultation: the consult becomes an ordinary call', async () => {
    const { h, caller, consult } = await consulting({ ringSeconds: 1 }, { hangupAtSeconds: 4 });
    await consult.waitForAnswer();
    await h.clock.sleep(5000);
    expect(caller.snapshot()).toMatchObject({ state: 'Released', transferCause: 'caller-hangup' });
    expect(h.of('leg.capabilities', consult.id)).toEqual([
      {
        type: 'leg.capabilities',
        time: 4000,
        legId: consult.id,
        state: 'Established',
        capabilities: [
          'Hangup', 'Hold', 'SendDtmf', 'InitiateTransfer', 'SingleStepTransfer', 'InitiateConference', 'SingleStepConference',
          'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair',
        ],
      },
    ]);
    await expect(consult.completeTransfer()).rejects.toBeInstanceOf(InvalidStateError);
    expect(consult.snapshot()).toMatchObject({ callType: 'Consult', parentCallId: caller.id });
    await consult.hangup();
  });

  test('hanging up the consult with a transfer cause reports it (e.g. not-accepted)', async () => {
    const { h, caller, consult } = await consulting({ ringSeconds: 1 });
    await consult.waitForAnswer();
    const answer = await consult.collectDigits({ exact: 1, firstDigitTimeoutSeconds: 5 });
    expect(answer.endedBy).toBe('timeout');
    await consult.hangup('not-accepted');
    expect(caller.transferCause()).toBe('not-accepted');
    expect(h.of('transfer.ended', caller.id)[0]?.cause).toBe('not-accepted');
    await caller.retrieve();
    await caller.hangup();
  });

  test('a second InitiateTransfer replaces the pending consult', async () => {
    const h = harness({ directory: { [AGENT]: { response: 'no-answer' }, '5002': { ringSeconds: 1 } } });
    const caller = h.inbound();
    await caller.answer();
    const first = await caller.initiateTransfer(AGENT);
    const second = await caller.initiateTransfer('5002', { timeoutSeconds: 10 });
    expect(first.snapshot()).toMatchObject({ state: 'Released', releaseCause: 'cancelled' });
    expect(second.snapshot()).toMatchObject({ state: 'Dialing', parentCallId: caller.id });
    expect(caller.snapshot().consultCallId).toBe(second.id);
    expect(h.states(caller.id)).toEqual(['Ringing', 'Established', 'Held']);
    await second.waitForAnswer();
    await second.completeTransfer();
    h.sim.hangup(caller.id);
  });

  test('completing while the consult rings, and the consult then fails: the caller is released', async () => {
    const { h, caller, consult } = await consulting({ response: 'busy', ringSeconds: 5 });
    await consult.completeTransfer();
    expect(h.control.handedOffLegs()).toEqual([caller.id, consult.id]);
    expect(h.sim.leg(caller.id)?.held).toBe(false);
    await h.clock.sleep(5000);
    expect(h.sim.leg(caller.id)?.status).toBe('ended');
    expect(h.of('bridge.ended')).toEqual([{ type: 'bridge.ended', time: 5000, legId: caller.id, peerLegId: consult.id, cause: 'busy' }]);
    expect(h.of('media.ended', caller.id)).toEqual([
      { type: 'media.ended', time: 5000, legId: caller.id, media: 'tone', source: 'ringback-us', endedBy: 'interrupted' },
    ]);
  });

  test('completing while the consult rings keeps its ring timeout', async () => {
    const h = harness({ directory: { [AGENT]: { response: 'no-answer' } } });
    const caller = h.inbound();
    await caller.answer();
    const consult = await caller.initiateTransfer(AGENT, { timeoutSeconds: 20 });
    await h.clock.sleep(8000);
    await consult.completeTransfer({ ringbackTone: 'ringback-uk' });
    await h.clock.sleep(20_000);
    expect(h.of('bridge.ended')).toEqual([{ type: 'bridge.ended', time: 20_000, legId: caller.id, peerLegId: consult.id, cause: 'no-answer' }]);
    expect(h.sim.liveLegs()).toEqual([]);
    expect(h.of('media.started', caller.id)[0]?.source).toBe('ringback-uk');
  });
});

describe('conferences', () => {
  test('singleStepConference bridges the new party; the application keeps both legs', async () => {
    const h = harness({ directory: { '+15553330000': { ringSeconds: 2, hangupAfterSeconds: 60 } } });
    const caller = h.inbound();
    await caller.answer();
    const result = await caller.singleStepConference('+15553330000');
    const added = h.control.channel(result.targetLegId!)!;
    expect(result.cause).toBe('completed');
    expect(caller.snapshot()).toMatchObject({ state: 'Established', bridgedTo: added.id });
    expect(caller.capabilities).toEqual(['Hangup', 'Hold', 'SendDtmf', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair']);
    expect(h.sim.leg(caller.id)?.bridgedTo).toBe(added.id);
    // Prompts reach one party of the bridge; what needs the leg's audio to itself does not work.
    await caller.speak('hello');
    await expect(caller.collectDigits({ max: 1 })).rejects.toBeInstanceOf(InvalidStateError);
    await expect(caller.record()).rejects.toBeInstanceOf(InvalidStateError);
    await expect(caller.blindTransfer('+15553330000')).rejects.toBeInstanceOf(InvalidStateError);
    await h.clock.sleep(60_000);
    // The added party left: the caller is back under full control.
    expect(added.state).toBe('Released');
    expect(caller.snapshot().bridgedTo).toBeUndefined();
    expect(h.of('leg.capabilities', caller.id).map((e) => [e.time, e.capabilities.includes('SingleStepTransfer')])).toEqual([
      [2000, false],
      [62_000, true],
    ]);
    await caller.speak('Your colleague left.');
    await caller.hangup();
  });

  test('initiateConference then completeConference', async () => {
    const { h, caller, consult } = await consulting({ ringSeconds: 1 });
    await consult.waitForAnswer();
    const result = await consult.completeConference();
    expect(result.cause).toBe('completed');
    expect([caller.state, consult.state]).toEqual(['Established', 'Established']);
    expect(caller.snapshot().bridgedTo).toBe(consult.id);
    expect(h.sim.leg(caller.id)).toMatchObject({ held: false, bridgedTo: consult.id });
    await caller.hangup();
    expect(consult.snapshot().bridgedTo).toBeUndefined();
    await consult.hangup();
  });

  test('a conference party that does not answer leaves the call as it was', async () => {
    const h = harness({ directory: { '+15553330000': { response: 'busy' } } });
    const caller = h.inbound();
    await caller.answer();
    const before = caller.snapshot();
    expect((await caller.singleStepConference('+15553330000')).cause).toBe('busy');
    // The same call, only now with the conference's cause (`transferCause()`).
    expect(caller.snapshot()).toEqual({ ...before, transferCause: 'busy' });
    await caller.hangup();
  });
});
