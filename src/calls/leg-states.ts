/**
 * Canonical leg states, call types and release causes, and how each vocabulary in the seeds names
 * a state (docs/calls.md).
 */

import type { LegState, OzekiCallState } from '../language/vocabulary/leg-states.js';

export { LEG_STATES, OZEKI_CALL_STATES, type LegState, type OzekiCallState } from '../language/vocabulary/leg-states.js';

/** Genesys call types (the Genesys two-step transfer). `Consult` legs carry `parentCallId`. */
export const CALL_TYPES = ['Inbound', 'Outbound', 'Internal', 'Consult'] as const;
export type CallType = (typeof CALL_TYPES)[number];

/** Who started the leg: the far end (`inbound`) or the platform (`outbound`). Decides the caller-ID policy. */
export type Direction = 'inbound' | 'outbound';

/**
 * Why a leg was released. The application may pass its own cause to `hangup()` (the engine uses
 * `limit-exceeded`, `application-error`, …); these are the ones the call layer itself produces.
 */
export const RELEASE_CAUSES = [
  'normal',
  'remote-hangup',
  'busy',
  'no-answer',
  'rejected',
  'not-found',
  'cancelled',
  'failed',
  'transferred',
] as const;
export type KnownReleaseCause = (typeof RELEASE_CAUSES)[number];
/** A known cause or one the application passed to `hangup()`. */
export type ReleaseCause = KnownReleaseCause | (string & {});

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
