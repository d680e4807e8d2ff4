/** Pieces every transfer shares: the result shape, getting the leg ready, reporting start and end. */
import type { TransferKind } from './events.js';
import { retrieveLeg, stateError } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { Operation } from './capabilities.js';
import type { TransferCause } from './transfer-causes.js';

export interface TransferResult {
  cause: TransferCause;
  target: string;
  /** The leg dialled for the target, when one was. */
  targetLegId?: string;
}

/** Default ringback played to a caller while a transfer target rings (the Aculab channel API: RINGBACK). */
export const DEFAULT_RINGBACK = 'ringback-us';

/**
 * A transfer started from a Held leg (or one with a pending consult) first drops the consult
 * (cancelled) and takes the caller off hold, so the caller hears what follows.
 */
export async function prepareForTransfer(leg: Leg, operation: Operation): Promise<void> {
  const pair = leg.pair;
  if (pair && pair.parent === leg) leg.table.release(pair.consult, 'cancelled', 'local');
  if (leg.state === 'Held') await retrieveLeg(leg);
  if (leg.state !== 'Established') throw stateError(leg, operation, 'the call ended while the transfer started');
}

export function reportStart(leg: Leg, kind: TransferKind, target: string, targetLegId: string | undefined): void {
  leg.table.emit(leg, {
    type: 'transfer.started',
    time: leg.table.clock.now(),
    legId: leg.id,
    kind,
    target,
    ...(targetLegId === undefined ? {} : { targetLegId }),
  });
}

/** Records the cause on the leg (`transferCause()`), emits `transfer.ended`, returns the result. */
export function reportEnd(
  leg: Leg,
  kind: TransferKind,
  target: string,
  cause: TransferCause,
  targetLegId: string | undefined,
): TransferResult {
  leg.transferCause = cause;
  leg.table.emit(leg, {
    type: 'transfer.ended',
    time: leg.table.clock.now(),
    legId: leg.id,
    kind,
    target,
    cause,
    ...(targetLegId === undefined ? {} : { targetLegId }),
  });
  return { cause, target, ...(targetLegId === undefined ? {} : { targetLegId }) };
}

/**
 * Checked once a transfer's bridge is set up: a party that hung up meanwhile fails the transfer
 * (the target leg is released when the caller went). Synchronous on purpose: an extra `await`
 * around the bridge would move the events that follow it behind the far end's.
 */
export function partyGoneAfterBridge(caller: Leg, target: Leg): 'caller-hangup' | 'target-hangup' | undefined {
  if (caller.state === 'Released') {
    caller.table.release(target, 'normal', 'local');
    return 'caller-hangup';
  }
  // Re-read: the far end may have hung up while the bridge was being set up.
  if (target.state === 'Released') return 'target-hangup';
  return undefined;
}
