/**
 * What a leg can do, as a pure function of its situation. `allowedOperations` lists every channel
 * operation that works; `capabilitiesOf` projects that list onto the Genesys capability names of
 * the Genesys two-step transfer. The rule and its differences from the seed are documented in docs/calls.md.
 */
import type { LegState } from './leg-states.js';

/** Genesys capability names (the Genesys two-step transfer), in the order ozml lists them. */
export const CAPABILITIES = [
  'Answer',
  'Hangup',
  'Hold',
  'Retrieve',
  'SendDtmf',
  'InitiateTransfer',
  'CompleteTransfer',
  'SingleStepTransfer',
  'SwapCalls',
  'InitiateConference',
  'CompleteConference',
  'SingleStepConference',
  'AttachUserData',
  'UpdateUserData',
  'DeleteUserData',
  'DeleteUserDataPair',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Every state-dependent `CallChannel` method. */
export const OPERATIONS = [
  'dial',
  'answer',
  'reject',
  'hangup',
  'speak',
  'play',
  'playTone',
  'collectDigits',
  'record',
  'recordCall',
  'sendDtmf',
  'hold',
  'retrieve',
  'blindTransfer',
  'initiateTransfer',
  'completeTransfer',
  'swapCalls',
  'initiateConference',
  'completeConference',
  'singleStepConference',
  'transferToInboundService',
  'retrieveTransferredCall',
  'waitForTransferredCallRetrieval',
  'attachUserData',
  'updateUserData',
  'deleteUserData',
  'deleteUserDataPair',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The Genesys capability that names each operation (operations Genesys has no name for are absent). */
export const CAPABILITY_OF_OPERATION: Readonly<Partial<Record<Operation, Capability>>> = {
  answer: 'Answer',
  hangup: 'Hangup',
  hold: 'Hold',
  retrieve: 'Retrieve',
  sendDtmf: 'SendDtmf',
  initiateTransfer: 'InitiateTransfer',
  completeTransfer: 'CompleteTransfer',
  blindTransfer: 'SingleStepTransfer',
  swapCalls: 'SwapCalls',
  initiateConference: 'InitiateConference',
  completeConference: 'CompleteConference',
  singleStepConference: 'SingleStepConference',
  attachUserData: 'AttachUserData',
  updateUserData: 'UpdateUserData',
  deleteUserData: 'DeleteUserData',
  deleteUserDataPair: 'DeleteUserDataPair',
};

/** A leg's role in a pending two-step transfer or conference. */
export type ConsultRole = 'none' | 'parent' | 'consult';

/**
 * What the leg's audio is bridged to, among legs the application still controls: `call` — the
 * other party of a two-party call (a conference of two legs; held and retrieved as one call);
 * `service` — the two ends of a transfer to an inbound service.
 */
export type BridgeKind = 'none' | 'call' | 'service';

/** Everything capabilities depend on. */
export interface LegSituation {
  state: LegState;
  /** `parent`: this leg has a consult leg; `consult`: this leg is the consult of a pending two-step transfer. */
  role: ConsultRole;
  bridge: BridgeKind;
}

const USER_DATA: readonly Operation[] = ['attachUserData', 'updateUserData', 'deleteUserData', 'deleteUserDataPair'];
/** Prompts the B2BUA plays to the leg's party: they work on a bridged leg too (that party hears them). */
const PROMPTS: readonly Operation[] = ['speak', 'play', 'playTone'];
/** Everything that needs the leg's audio to itself: prompts, collecting digits, recording the party. */
const MEDIA: readonly Operation[] = [...PROMPTS, 'collectDigits', 'record'];
const START_TRANSFER: readonly Operation[] = [
  'blindTransfer',
  'initiateTransfer',
  'initiateConference',
  'singleStepConference',
];
const FINISH_CONSULT: readonly Operation[] = ['completeTransfer', 'swapCalls'];

function operationsFor({ state, role, bridge }: LegSituation): Operation[] {
  switch (state) {
    case 'Idle':
      return ['dial'];
    case 'Ringing':
      // A ringing call lists no Hangup (docs/calls.md, Genesys-style capabilities); refusing it is `reject`.
      return ['answer', 'reject', ...USER_DATA];
    case 'Dialing':
      return ['hangup', 'sendDtmf', ...USER_DATA, ...(role === 'consult' ? FINISH_CONSULT : [])];
    case 'Established':
      // A bridged leg's audio belongs to the conversation: prompts only, and the whole call is held.
      if (bridge === 'call') return ['hangup', 'hold', 'sendDtmf', ...PROMPTS, 'recordCall', ...USER_DATA];
      if (bridge === 'service') return ['hangup', 'sendDtmf', ...PROMPTS, 'recordCall', ...USER_DATA];
      if (role === 'consult') return ['hangup', 'sendDtmf', ...MEDIA, 'recordCall', ...USER_DATA, ...FINISH_CONSULT, 'completeConference'];
      if (role === 'parent') return ['hangup', 'sendDtmf', ...MEDIA, 'recordCall', ...USER_DATA, ...START_TRANSFER];
      return ['hangup', 'hold', 'sendDtmf', ...MEDIA, 'recordCall', ...USER_DATA, ...START_TRANSFER, 'transferToInboundService'];
    case 'Held':
      // A held two-party call comes back as a whole (retrieve) or not at all.
      if (bridge !== 'none') return ['hangup', 'retrieve', 'recordCall', ...USER_DATA];
      if (role === 'consult') return ['hangup', 'recordCall', ...USER_DATA, ...FINISH_CONSULT, 'completeConference'];
      return ['hangup', 'retrieve', 'recordCall', ...USER_DATA, ...START_TRANSFER];
    case 'Transferred':
      // A transferred call can only hang up, be retrieved or wait (a call recording
      // started before goes on, see docs/calls.md).
      return ['hangup', ...USER_DATA, 'retrieveTransferredCall', 'waitForTransferredCallRetrieval'];
    case 'Released':
      return [];
  }
}

interface Rule {
  readonly operations: ReadonlySet<Operation>;
  readonly capabilities: readonly Capability[];
}

/** Rules by state, role and bridge: nested maps, as building a string key cost every operation an allocation. */
const RULES = new Map<string, Map<string, Map<string, Rule>>>();

function rulesOf(situation: LegSituation): Map<string, Rule> {
  let byRole = RULES.get(situation.state);
  if (!byRole) RULES.set(situation.state, (byRole = new Map()));
  let byBridge = byRole.get(situation.role);
  if (!byBridge) byRole.set(situation.role, (byBridge = new Map()));
  return byBridge;
}

function ruleFor(situation: LegSituation): Rule {
  const rules = rulesOf(situation);
  const key = situation.bridge;
  let rule = rules.get(key);
  if (!rule) {
    const operations = new Set(operationsFor(situation));
    const named = new Set<Capability>();
    for (const op of operations) {
      const capability = CAPABILITY_OF_OPERATION[op];
      if (capability) named.add(capability);
    }
    rule = { operations, capabilities: Object.freeze(CAPABILITIES.filter((c) => named.has(c))) };
    rules.set(key, rule);
  }
  return rule;
}

/** True when `operation` works in `situation`. */
export function isAllowed(situation: LegSituation, operation: Operation): boolean {
  return ruleFor(situation).operations.has(operation);
}

/** Every operation that works in `situation`, in `OPERATIONS` order. */
export function allowedOperations(situation: LegSituation): Operation[] {
  const { operations } = ruleFor(situation);
  return OPERATIONS.filter((op) => operations.has(op));
}

/** The Genesys capabilities of `situation` (a frozen array shared between calls). */
export function capabilitiesOf(situation: LegSituation): readonly Capability[] {
  return ruleFor(situation).capabilities;
}
