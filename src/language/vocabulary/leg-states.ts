/** Leg states and the names the vendor APIs give them (docs/calls.md). */

/** Canonical leg states, in the order a leg usually passes through them. */
export const LEG_STATES = ['Idle', 'Dialing', 'Ringing', 'Established', 'Held', 'Transferred', 'Released'] as const;
export type LegState = (typeof LEG_STATES)[number];

/** Ozeki's `CallState` values (ListActiveCalls, CallStateChanged notifications). */
export const OZEKI_CALL_STATES = ['Ringing', 'InCall', 'Hold', 'Transferred', 'Busy', 'Cancelled', 'Error', 'Completed'] as const;
export type OzekiCallState = (typeof OZEKI_CALL_STATES)[number];
