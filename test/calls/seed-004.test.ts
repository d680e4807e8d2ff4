/**
 * Seed 004 (Genesys two-step transfer), sample 2 replayed through the channel API: the same
 * states, call types, parent link and capability sets, notification by notification.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { capabilitiesOf, type Capability } from '../../src/calls/capabilities.js';
import type { LegStateEvent } from '../../src/calls/events.js';
import { expectNothingLeft, harness } from './harness.js';

afterEach(expectNothingLeft);

/** The `call` objects of sample 2's CometD notifications, in order (original call …005, consult …006). */
const SAMPLE_2 = [
  {
    call: 'original',
    state: 'Ringing',
    callType: 'Internal',
    capabilities: ['UpdateUserData', 'DeleteUserData', 'AttachUserData', 'DeleteUserDataPair', 'Answer'],
  },
  {
    call: 'original',
    state: 'Established',
    callType: 'Internal',
    capabilities: [
      'UpdateUserData',
      'SingleStepConference',
      'DeleteUserData',
      'Hangup',
      'SendDtmf',
      'Hold',
      'AttachUserData',
      'SingleStepTransfer',
      'InitiateConference',
      'DeleteUserDataPair',
      'InitiateTransfer',
    ],
  },
  {
    call: 'original',
    state: 'Held',
    callType: 'Internal',
    capabilities: [
      'UpdateUserData',
      'SingleStepConference',
      'DeleteUserData',
      'Hangup',
      'Retrieve',
      'AttachUserData',
      'SingleStepTransfer',
      'InitiateConference',
      'DeleteUserDataPair',
      'InitiateTransfer',
    ],
  },
  {
    call: 'consult',
    state: 'Dialing',
    callType: 'Consult',
    parent: 'original',
    capabilities: [
      'UpdateUserData',
      'DeleteUserData',
      'Hangup',
      'SwapCalls',
      'CompleteTransfer',
      'SendDtmf',
      'AttachUserData',
      'DeleteUserDataPair',
    ],
  },
  { call: 'original', state: 'Released', callType: 'Internal', capabilities: [] },
  { call: 'consult', state: 'Released', callType: 'Consult', parent: 'original', capabilities: [] },
] as const;

/** Sample 1's held call and consult (the same two-step transfer, other capability lists). */
const SAMPLE_1_HELD: readonly Capability[] = [
  'UpdateUserData',
  'SwapCalls',
  'InitiateConference',
  'SingleStepTransfer',
  'InitiateTransfer',
  'AttachUserData',
  'DeleteUserDataPair',
  'SingleStepConference',
  'DeleteUserData',
  'Hangup',
  'CompleteTransfer',
];
const SAMPLE_1_CONSULT_DIALING: readonly Capability[] = [
  'UpdateUserData',
  'SendDtmf',
  'SwapCalls',
  'AttachUserData',
  'DeleteUserDataPair',
  'DeleteUserData',
  'Hangup',
  'CompleteTransfer',
];

const sorted = (list: readonly string[]): string[] => [...list].sort();

describe('seed 004 sample 2', () => {
  test('Ringing → Answer → Established → InitiateTransfer → Held + consult Dialing → CompleteTransfer → both Released', async () => {
    const h = harness({ directory: { '5001': { response: 'answer', ringSeconds: 3 } } });
    const original = h.inbound({ from: '5000', to: '5005', internal: true });
    await original.answer();
    const consult = await original.initiateTransfer('5001');
    expect(consult.snapshot()).toMatchObject({ callType: 'Consult', parentCallId: original.id, caller: '5000', callee: '5001' });
    expect(original.snapshot()).toMatchObject({ consultCallId: consult.id, caller: '5000', callee: '5005' });
    const result = await consult.completeTransfer();
    expect(result).toEqual({ cause: 'completed', target: '5001', targetLegId: consult.id });

    const names = new Map([
      [original.id, 'original'],
      [consult.id, 'consult'],
    ]);
    const replay = h.of('leg.state').map((e: LegStateEvent) => ({
      call: names.get(e.legId),
      state: e.state,
      callType: e.callType,
      ...(e.parentCallId === undefined ? {} : { parent: names.get(e.parentCallId) }),
      capabilities: sorted(e.capabilities),
    }));
    expect(replay).toEqual(SAMPLE_2.map((n) => ({ ...n, capabilities: sorted(n.capabilities) })));
    expect(h.of('leg.state').filter((e) => e.state === 'Released').map((e) => e.cause)).toEqual(['transferred', 'transferred']);

    // The call itself goes on: the caller hears ringback until 5001 answers, then they are connected.
    await h.clock.sleep(3000);
    expect(h.sim.leg(original.id)?.bridgedTo).toBe(consult.id);
    expect(h.of('bridge.started')).toEqual([{ type: 'bridge.started', time: 3000, legId: original.id, peerLegId: consult.id }]);
    h.sim.hangup(original.id);
    expect(h.of('bridge.ended')).toEqual([
      { type: 'bridge.ended', time: 3000, legId: original.id, peerLegId: consult.id, cause: 'remote-hangup' },
    ]);
  });

  test('sample 1 lists SwapCalls and CompleteTransfer on the held call and omits Retrieve; ozml follows sample 2', () => {
    const held = capabilitiesOf({ state: 'Held', role: 'parent', bridge: 'none' });
    const onlyInSample1 = SAMPLE_1_HELD.filter((c) => !held.includes(c));
    const onlyInOzml = held.filter((c) => !SAMPLE_1_HELD.includes(c));
    expect(sorted(onlyInSample1)).toEqual(['CompleteTransfer', 'SwapCalls']);
    expect(onlyInOzml).toEqual(['Retrieve']);
    // Both samples agree on the consult leg while it dials.
    expect(sorted(capabilitiesOf({ state: 'Dialing', role: 'consult', bridge: 'none' }))).toEqual(sorted(SAMPLE_1_CONSULT_DIALING));
  });
});
