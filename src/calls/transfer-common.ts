/** Pieces every transfer shares: the result shape, getting the leg ready, reporting start and end. */
import type { Operation } from './capabilities.js';
import type { CallContext } from './context.js';
import type { TransferKind } from './events.js';
import { retrieveLeg, stateError } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { SwitchRecording } from './switch.js';
import type { TransferCause } from './transfer-causes.js';

export interface TransferResult {
  cause: TransferCause;
  target: string;
  /** The leg dialled for the target, when one was. */
  targetLegId?: string;
  /**
   * A recording of the transferred call (BlindTransfer with `record`): resolves with the file once
   * the call ends (also as a `recording.ended` event), or rejects with the `SwitchError`.
   */
  recording?: Promise<SwitchRecording>;
}

/** Default ringback played to a caller while a transfer target rings (the Aculab channel API: RINGBACK). */
export const DEFAULT_RINGBACK = 'ringback-us';

/**
 * A transfer started from a Held leg (or one with a pending consult) first drops the consult
 * (cancelled) and takes the caller off hold, so the caller hears what follows.
 */
export async function prepareForTransfer(ctx: CallContext, leg: Leg, operation: Operation): Promise<void> {
  const pair = leg.pair;
  if (pair && pair.parent === leg) ctx.release(pair.consult, 'cancelled', 'local');
  if (leg.state === 'Held') await retrieveLeg(ctx, leg);
  if (leg.state !== 'Established') throw stateError(leg, operation, 'the call ended while the transfer started');
}

export function reportStart(ctx: CallContext, leg: Leg, kind: TransferKind, target: string, targetLegId: string | undefined): void {
  ctx.emit(leg, {
    type: 'transfer.started',
    time: ctx.clock.now(),
    legId: leg.id,
    kind,
    target,
    ...(targetLegId === undefined ? {} : { targetLegId }),
  });
}

/** Records the cause on the leg (`transferCause()`), emits `transfer.ended`, returns the result. */
export function reportEnd(
  ctx: CallContext,
  leg: Leg,
  kind: TransferKind,
  target: string,
  cause: TransferCause,
  targetLegId: string | undefined,
): TransferResult {
  leg.transferCause = cause;
  ctx.emit(leg, {
    type: 'transfer.ended',
    time: ctx.clock.now(),
    legId: leg.id,
    kind,
    target,
    cause,
    ...(targetLegId === undefined ? {} : { targetLegId }),
  });
  return { cause, target, ...(targetLegId === undefined ? {} : { targetLegId }) };
}
