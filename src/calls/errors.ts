/** Typed errors of the channel API (the Aculab channel API: Hangup on an idle channel, Error in any other wrong state). */
import type { LegState } from './leg-states.js';

/** The operation ran on a leg that is Idle or Released, or the leg was released while it ran. */
export class HangupError extends Error {
  override readonly name = 'HangupError';
  constructor(
    readonly legId: string,
    readonly operation: string,
    readonly state: LegState,
    /** Why the leg was released, when it was. */
    readonly releaseCause?: string,
  ) {
    super(
      state === 'Idle'
        ? `${operation}: leg ${legId} is Idle (no call)`
        : `${operation}: leg ${legId} has hung up${releaseCause ? ` (${releaseCause})` : ''}`,
    );
  }
}

/** The operation does not work in the leg's current state (or stopped working while it ran). */
export class InvalidStateError extends Error {
  override readonly name = 'InvalidStateError';
  constructor(
    readonly legId: string,
    readonly operation: string,
    readonly state: LegState,
    detail?: string,
  ) {
    super(`${operation} is not possible while leg ${legId} is ${state}${detail ? `: ${detail}` : ''}`);
  }
}

/** An option was refused before anything was done (caller-ID policy, diversion on an outbound leg, ranges, …). */
export class InvalidOptionError extends Error {
  override readonly name = 'InvalidOptionError';
  constructor(
    readonly option: string,
    readonly value: unknown,
    message: string,
  ) {
    super(message);
  }
}
