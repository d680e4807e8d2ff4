/**
 * Leg states, call types and release causes (declared in src/language/vocabulary, re-exported
 * here under the call layer's names), and how each vendor vocabulary names a state (docs/calls.md).
 */

import type { LegState, OzekiCallState } from '../language/vocabulary/leg-states.js';

export { LEG_STATES, OZEKI_CALL_STATES, type LegState, type OzekiCallState } from '../language/vocabulary/leg-states.js';
export { CALL_TYPES, type CallType } from '../language/vocabulary/call-types.js';
export { RELEASE_CAUSES, type KnownReleaseCause, type ReleaseCause } from '../language/vocabulary/release-causes.js';

/** Who started the leg: the far end (`inbound`) or the platform (`outbound`). Decides the caller-ID policy. */
export type Direction = 'inbound' | 'outbound';

/** A state's name in each vocabulary; absent where that vocabulary has no such state. */
export interface StateNames {
  genesys?: string;
  ozeki?: OzekiCallState;
  aculab?: string;
}

const NAMES: Record<Exclude<LegState, 'Released'>, StateNames> = {
  Idle: { aculab: 'IDLE' },
  Dialing: { genesys: 'Dialing', ozeki: 'Ringing', aculab: 'RING_OUTGOING' },
  Ringing: { genesys: 'Ringing', ozeki: 'Ringing' },
  Established: { genesys: 'Established', ozeki: 'InCall', aculab: 'ANSWERED' },
  Held: { genesys: 'Held', ozeki: 'Hold' },
  Transferred: { ozeki: 'Transferred', aculab: 'TRANSFERRED' },
};

/** Ozeki's CallState for a released leg depends on why it ended (docs/calls.md has the table). */
function ozekiReleased(cause: string | undefined): OzekiCallState {
  switch (cause) {
    case 'busy':
      return 'Busy';
    case 'no-answer':
    case 'cancelled':
    case 'rejected':
      return 'Cancelled';
    case 'not-found':
    case 'failed':
    case 'application-error':
    case 'limit-exceeded':
      return 'Error';
    default:
      return 'Completed';
  }
}

/** The names of `state` in the Genesys, Ozeki and Aculab vocabularies. */
export function stateNames(state: LegState, releaseCause?: string): StateNames {
  if (state === 'Released') return { genesys: 'Released', ozeki: ozekiReleased(releaseCause), aculab: 'IDLE' };
  return { ...NAMES[state] };
}
