/** The leg machine, the vocabularies and the capability rule, checked exhaustively. */
import { transition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { describe, expect, test } from 'vitest';
import {
  allowedOperations,
  capabilitiesOf,
  CAPABILITIES,
  CAPABILITY_OF_OPERATION,
  type BridgeKind,
  type ConsultRole,
  type LegSituation,
} from '../../src/calls/capabilities.js';
import { LEG_MACHINE_EVENT_TYPES, legMachine, nextLegState, type LegMachineEvent } from '../../src/calls/leg-machine.js';
import { LEG_STATES, stateNames } from '../../src/calls/leg-states.js';

const probe = (type: LegMachineEvent['type']): LegMachineEvent => (type === 'RELEASE' ? { type, cause: 'normal' } : { type });
const START = ['blindTransfer', 'initiateTransfer', 'initiateConference', 'singleStepConference'] as const;
const ROLES: ConsultRole[] = ['none', 'parent', 'consult'];
const BRIDGES: BridgeKind[] = ['none', 'call', 'service'];
const situations: LegSituation[] = LEG_STATES.flatMap((state) => ROLES.flatMap((role) => BRIDGES.map((bridge) => ({ state, role, bridge }))));

describe('leg machine', () => {
  test('the transition table is the machine', () => {
    for (const state of LEG_STATES) {
      const snapshot = legMachine.resolveState({ value: state, context: undefined });
      for (const type of LEG_MACHINE_EVENT_TYPES) {
        const [next] = transition(legMachine, snapshot, probe(type));
        expect(nextLegState(state, type), `${state} --${type}-->`).toBe(next === snapshot ? undefined : next.value);
      }
    }
  });

  test('every canonical state is reachable, and only those', () => {
    const paths = getShortestPaths(legMachine, { events: LEG_MACHINE_EVENT_TYPES.map(probe) });
    expect(paths.map((p) => p.state.value).sort()).toEqual([...LEG_STATES].sort());
    const released = paths.find((p) => p.state.value === 'Released');
    expect(released?.state.status).toBe('done');
  });

  test('the documented transitions', () => {
    const edges = LEG_STATES.flatMap((s) => LEG_MACHINE_EVENT_TYPES.flatMap((e) => (nextLegState(s, e) ? [`${s} ${e} ${nextLegState(s, e)}`] : [])));
    expect(edges).toEqual([
      'Idle DIAL Dialing',
      'Idle INCOMING Ringing',
      'Dialing ANSWERED Established',
      'Dialing RELEASE Released',
      'Ringing ANSWER Established',
      'Ringing RELEASE Released',
      'Established HOLD Held',
      'Established TRANSFER Transferred',
      'Established RELEASE Released',
      'Held RETRIEVE Established',
      'Held RELEASE Released',
      'Transferred RETRIEVE Established',
      'Transferred RELEASE Released',
    ]);
  });
});

test('state names in every vocabulary (design.md §5)', () => {
  expect(LEG_STATES.map((s) => [s, stateNames(s, 'normal')])).toEqual([
    ['Idle', { aculab: 'IDLE' }],
    ['Dialing', { genesys: 'Dialing', ozeki: 'Ringing', aculab: 'RING_OUTGOING' }],
    ['Ringing', { genesys: 'Ringing', ozeki: 'Ringing' }],
    ['Established', { genesys: 'Established', ozeki: 'InCall', aculab: 'ANSWERED' }],
    ['Held', { genesys: 'Held', ozeki: 'Hold' }],
    ['Transferred', { ozeki: 'Transferred', aculab: 'TRANSFERRED' }],
    ['Released', { genesys: 'Released', ozeki: 'Completed', aculab: 'IDLE' }],
  ]);
  expect(['busy', 'no-answer', 'cancelled', 'rejected', 'not-found', 'failed', 'remote-hangup', 'transferred'].map((c) => stateNames('Released', c).ozeki)).toEqual([
    'Busy',
    'Cancelled',
    'Cancelled',
    'Cancelled',
    'Error',
    'Error',
    'Completed',
    'Completed',
  ]);
});

describe('capability rule', () => {
  test('capabilities are exactly the Genesys names of the allowed operations, in catalogue order', () => {
    for (const situation of situations) {
      const named = allowedOperations(situation).flatMap((op) => CAPABILITY_OF_OPERATION[op] ?? []);
      expect(capabilitiesOf(situation)).toEqual(CAPABILITIES.filter((c) => named.includes(c)));
    }
  });

  test('invariants over every situation', () => {
    for (const situation of situations) {
      const ops = allowedOperations(situation);
      const caps = capabilitiesOf(situation);
      const where = JSON.stringify(situation);
      if (caps.includes('CompleteTransfer') || caps.includes('SwapCalls')) expect(situation.role, where).toBe('consult');
      if (caps.includes('Retrieve')) expect(situation.state, where).toBe('Held');
      if (caps.includes('Answer')) expect(situation.state, where).toBe('Ringing');
      if (situation.state === 'Released') expect(ops, where).toEqual([]);
      if (situation.state === 'Idle') expect(ops, where).toEqual(['dial']);
      if (situation.state !== 'Established') {
        for (const media of ['speak', 'play', 'playTone', 'collectDigits', 'record'] as const) expect(ops, where).not.toContain(media);
      }
      // A call recording starts only on a leg whose party is there to be recorded (answered, not handed to a service).
      if (ops.includes('recordCall')) expect(['Established', 'Held'], where).toContain(situation.state);
      // A bridged leg's audio is the conversation's: prompts to its party work, collecting digits and recording the party do not.
      if (situation.bridge !== 'none') {
        for (const own of ['collectDigits', 'record', ...START] as const) expect(ops, where).not.toContain(own);
        if (situation.state === 'Established') expect(ops, where).toEqual(expect.arrayContaining(['speak', 'play', 'playTone', 'sendDtmf', 'recordCall']));
      }
      // Only a two-party call (or a leg of its own) is held and retrieved; a service bridge is not.
      if (situation.bridge === 'service') expect(ops, where).not.toContain('hold');
    }
  });

  test('the lists for each reachable situation', () => {
    const list = (state: LegSituation['state'], role: ConsultRole = 'none', bridge: BridgeKind = 'none') => allowedOperations({ state, role, bridge });
    const userData = ['attachUserData', 'updateUserData', 'deleteUserData', 'deleteUserDataPair'];
    const media = ['speak', 'play', 'playTone', 'collectDigits', 'record', 'recordCall'];
    const prompts = ['speak', 'play', 'playTone'];
    expect(list('Ringing')).toEqual(['answer', 'reject', ...userData]);
    expect(list('Dialing')).toEqual(['hangup', 'sendDtmf', ...userData]);
    expect(list('Dialing', 'consult')).toEqual(['hangup', 'sendDtmf', 'completeTransfer', 'swapCalls', ...userData]);
    expect(list('Established')).toEqual(['hangup', ...media, 'sendDtmf', 'hold', ...START, 'transferToInboundService', ...userData]);
    expect(list('Established', 'parent')).toEqual(['hangup', ...media, 'sendDtmf', ...START, ...userData]);
    expect(list('Established', 'consult')).toEqual(['hangup', ...media, 'sendDtmf', 'completeTransfer', 'swapCalls', 'completeConference', ...userData]);
    // A two-party call: prompts to this party, a recording of the call, and hold of the whole call.
    expect(list('Established', 'none', 'call')).toEqual(['hangup', ...prompts, 'recordCall', 'sendDtmf', 'hold', ...userData]);
    expect(list('Held', 'none', 'call')).toEqual(['hangup', 'recordCall', 'retrieve', ...userData]);
    // The service's side of a transfer to an inbound service.
    expect(list('Established', 'none', 'service')).toEqual(['hangup', ...prompts, 'recordCall', 'sendDtmf', ...userData]);
    expect(list('Held')).toEqual(['hangup', 'recordCall', 'retrieve', ...START, ...userData]);
    expect(list('Held', 'parent')).toEqual(list('Held'));
    expect(list('Held', 'consult')).toEqual(['hangup', 'recordCall', 'completeTransfer', 'swapCalls', 'completeConference', ...userData]);
    expect(list('Transferred')).toEqual(['hangup', 'retrieveTransferredCall', 'waitForTransferredCallRetrieval', ...userData]);
    expect(list('Transferred', 'none', 'service')).toEqual(list('Transferred'));
  });

  test('capabilities of a two-party call: Hold while talking, Retrieve while held', () => {
    const userData = ['AttachUserData', 'UpdateUserData', 'DeleteUserData', 'DeleteUserDataPair'];
    expect(capabilitiesOf({ state: 'Established', role: 'none', bridge: 'call' })).toEqual(['Hangup', 'Hold', 'SendDtmf', ...userData]);
    expect(capabilitiesOf({ state: 'Held', role: 'none', bridge: 'call' })).toEqual(['Hangup', 'Retrieve', ...userData]);
    expect(capabilitiesOf({ state: 'Established', role: 'none', bridge: 'service' })).toEqual(['Hangup', 'SendDtmf', ...userData]);
  });
});
