/**
 * The third-party AttendedTransfer (Ozeki's AttendedTransfer example, the vendor's OzML reference): the transferor has a call with
 * the party to transfer (TransferredCallId, usually held) and a second call with the target
 * (TargetCallId). The transferor leaves both calls and the two remaining parties are connected.
 *
 * Which legs are whose (docs/transfers.md): `TransferorParty` (default `callee`) names the
 * transferor's side of the transferred call; the other side is the party that moves. In the
 * target call the transferor is the side whose party has the transferor's number, else the side
 * that placed the call (Ozeki's AttendedTransfer example: "the transferor must call the target party"); the other side is
 * the target. A call with a single leg is one the platform itself is a party of: that leg is the
 * party, the platform the other side.
 */
import type { CallChannel } from '../../calls/channel.js';
import type { TransferCause } from '../../calls/transfer-causes.js';
import type { TRANSFEROR_PARTIES } from '../../language/index.js';
import type { VerbScope } from '../runtime.js';
import { legsOfCall, TargetError } from './party.js';

/** The party at the far end of a leg: the caller of a leg that came in, the callee of one the platform placed. */
function partyOf(leg: CallChannel): string {
  const snap = leg.snapshot();
  return snap.direction === 'inbound' ? snap.caller : snap.callee;
}

export interface JoinPlan {
  /** Leave these (hung up with cause `transferred`). */
  transferors: CallChannel[];
  moved: CallChannel;
  target: CallChannel;
}

/** A failure found before anything changed: the cause and what to tell the script. */
export interface JoinRefusal {
  cause: TransferCause;
  message: string;
}

const CONNECTABLE = new Set(['Established', 'Held']);

/** Works out who leaves, who moves and who is the target; refuses calls that cannot be joined. */
export function planJoin(
  scope: VerbScope,
  transferorParty: (typeof TRANSFEROR_PARTIES)[number] | undefined,
  transferredCallId: string,
  targetCallId: string,
): JoinPlan | JoinRefusal {
  let first: ReturnType<typeof legsOfCall>;
  let second: ReturnType<typeof legsOfCall>;
  try {
    first = legsOfCall(scope, transferredCallId);
    second = legsOfCall(scope, targetCallId);
  } catch (error) {
    if (error instanceof TargetError) return { cause: 'not-found', message: `AttendedTransfer: ${error.message}` };
    throw error;
  }
  const transferorSide = transferorParty === 'caller' ? 'caller' : 'callee';
  const transferor1 = transferorSide === 'caller' ? first.caller : first.callee;
  const moved = transferorSide === 'caller' ? first.callee : first.caller;
  if (!moved) return { cause: 'invalid-state', message: `AttendedTransfer: call ${transferredCallId} has no ${transferorSide === 'caller' ? 'callee' : 'caller'} to transfer` };

  const number = transferor1 ? partyOf(transferor1) : undefined;
  const legs2 = second.callee ? [second.caller, second.callee] : [second.caller];
  const transferor2 = legs2.length === 1 ? undefined : (legs2.find((leg) => partyOf(leg) === number) ?? second.caller);
  const target = legs2.find((leg) => leg !== transferor2)!;
  if (number !== undefined && transferor2 === undefined && partyOf(target) === number) {
    // The target's side of the call is gone; what is left is the transferor talking to the platform.
    return { cause: 'target-hangup', message: `AttendedTransfer: the only party left in call ${targetCallId} is the transferor` };
  }

  const all = [moved, target, ...(transferor1 ? [transferor1] : []), ...(transferor2 ? [transferor2] : [])];
  if (new Set(all.map((leg) => leg.id)).size !== all.length) {
    return { cause: 'invalid-state', message: `AttendedTransfer: ${transferredCallId} and ${targetCallId} are the same call` };
  }
  for (const leg of [moved, target]) {
    if (!CONNECTABLE.has(leg.state) || leg.snapshot().consultCallId !== undefined) {
      return { cause: 'invalid-state', message: `AttendedTransfer: leg ${leg.id} is ${leg.state}${leg.snapshot().consultCallId ? ' with a pending consult' : ''}; it must be answered (InCall or Hold)` };
    }
  }
  return { transferors: [transferor1, transferor2].filter((leg): leg is CallChannel => leg !== undefined), moved, target };
}

/**
 * Carries out a plan: the transferors leave, the moved party and the target are connected. Parties
 * left alone by a failure (their transferor is gone) are hung up.
 */
export async function join(scope: VerbScope, plan: JoinPlan): Promise<TransferCause> {
  for (const leg of plan.transferors) if (leg.can('hangup')) await leg.hangup('transferred', { signal: scope.signal });
  const { calls } = scope.session.services;
  let cause: TransferCause;
  try {
    cause = (await calls.connect(plan.moved, plan.target, { signal: scope.signal })).cause;
  } catch (error) {
    if (scope.signal.aborted) throw error;
    // A party hung up between the plan and the join.
    cause = plan.moved.state === 'Released' ? 'caller-hangup' : plan.target.state === 'Released' ? 'target-hangup' : 'failed';
  }
  if (cause !== 'completed') {
    for (const leg of [plan.moved, plan.target]) if (leg.can('hangup')) await leg.hangup('normal');
  }
  return cause;
}
