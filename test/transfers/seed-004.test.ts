/**
 * Seed 004 (Genesys two-step transfer) replayed through the OzML verb: an internal call answered by
 * the interpreter runs `<AttendedTransfer>`, and its leg events are compared notification by
 * notification with the seed's samples — state, callType, parent link and capabilities.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LegStateEvent } from '../../src/calls/events.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.dispose();
});

/** Sample 2's `call` objects, in order (original call …005, consult …006). Capabilities as the seed lists them. */
const SAMPLE_2 = [
  { call: 'original', state: 'Ringing', callType: 'Internal', capabilities: ['UpdateUserData', 'DeleteUserData', 'AttachUserData', 'DeleteUserDataPair', 'Answer'] },
  {
    call: 'original', state: 'Established', callType: 'Internal',
    capabilities: ['UpdateUserData', 'SingleStepConference', 'DeleteUserData', 'Hangup', 'SendDtmf', 'Hold', 'AttachUserData', 'SingleStepTransfer', 'InitiateConference', 'DeleteUserDataPair', 'InitiateTransfer'],
  },
  {
    call: 'original', state: 'Held', callType: 'Internal',
    capabilities: ['UpdateUserData', 'SingleStepConference', 'DeleteUserData', 'Hangup', 'Retrieve', 'AttachUserData', 'SingleStepTransfer', 'InitiateConference', 'DeleteUserDataPair', 'InitiateTransfer'],
  },
  {
    call: 'consult', state: 'Dialing', callType: 'Consult', parent: 'original',
    capabilities: ['UpdateUserData', 'DeleteUserData', 'Hangup', 'SwapCalls', 'CompleteTransfer', 'SendDtmf', 'AttachUserData', 'DeleteUserDataPair'],
  },
  { call: 'original', state: 'Released', callType: 'Internal', capabilities: [] },
  { call: 'consult', state: 'Released', callType: 'Consult', parent: 'original', capabilities: [] },
];

/** Sample 1's consult notification (the same while dialling). */
const SAMPLE_1_CONSULT = {
  call: 'consult', state: 'Dialing', callType: 'Consult', parent: 'original',
  capabilities: ['UpdateUserData', 'SendDtmf', 'SwapCalls', 'AttachUserData', 'DeleteUserDataPair', 'DeleteUserData', 'Hangup', 'CompleteTransfer'],
};

const sorted = (list: readonly string[]): string[] => [...list].sort();
const normal = <T extends { capabilities: readonly string[] }>(n: T): T & { capabilities: string[] } => ({ ...n, capabilities: sorted(n.capabilities) });

describe('seed 004 through <AttendedTransfer>', () => {
  it('sample 2: Ringing, Established, Held + consult Dialing, then both Released — the verb adds only the consult answering before it completes', async () => {
    w = world({ directory: { '5001': { ringSeconds: 3, hangupAfterSeconds: 12 } } });
    const result = await w.inbound({ from: '5000', to: '5005', internal: true }, '<Response><AttendedTransfer Target="5001"/></Response>');
    expect(result.cause).toBe('transferred');
    const names = new Map([['in-1', 'original'], ['leg-1', 'consult']]);
    const replay = w.of('leg.state').map((e: LegStateEvent) => normal({
      call: names.get(e.legId),
      state: e.state,
      callType: e.callType,
      ...(e.parentCallId === undefined ? {} : { parent: names.get(e.parentCallId) }),
      capabilities: e.capabilities,
    }));
    // The seed's agent completes while the consult still dials; the interpreter completes once the
    // target has answered (so a failure can still retrieve the caller): one extra notification.
    const answered = normal({
      call: 'consult', state: 'Established', callType: 'Consult', parent: 'original',
      capabilities: ['Hangup', 'SendDtmf', 'CompleteTransfer', 'SwapCalls', 'CompleteConference', 'AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'],
    });
    expect(replay).toEqual([...SAMPLE_2.slice(0, 4).map(normal), answered, ...SAMPLE_2.slice(4).map(normal)]);
    expect(replay[3]).toEqual(normal(SAMPLE_1_CONSULT));
    // The parent link also sits in the consult's creation and snapshot; both legs released as transferred.
    expect(w.of('leg.created').map((e) => [e.legId, e.callType, e.parentCallId, e.from, e.to])).toEqual([
      ['in-1', 'Internal', undefined, '5000', '5005'], ['leg-1', 'Consult', 'in-1', '5000', '5001'],
    ]);
    expect(w.of('leg.state').filter((e) => e.state === 'Released').map((e) => [e.legId, e.cause])).toEqual([['in-1', 'transferred'], ['leg-1', 'transferred']]);
    // Capabilities never promise more than the situation allows: CompleteTransfer and SwapCalls only
    // on the consult while the consultation exists, Retrieve only while Held.
    for (const e of w.of('leg.state')) {
      expect(e.capabilities.includes('CompleteTransfer'), `${e.legId} ${e.state}`).toBe(e.legId === 'leg-1' && e.state !== 'Released');
      expect(e.capabilities.includes('Retrieve'), `${e.legId} ${e.state}`).toBe(e.state === 'Held');
    }
  });
});
