/**
 * Joining two existing calls (the third-party AttendedTransfer, Ozeki's AttendedTransfer example): the parties of two legs
 * that belong to different calls are connected on the switch and the application leaves both, as
 * after any completed transfer (both channels Released with cause `transferred`, the call tracked
 * as handed off until a party hangs up).
 */
import type { CallContext } from './context.js';
import { bridgeFailure, partyGone } from './dial-and-bridge.js';
import { HangupError, InvalidStateError } from './errors.js';
import type { Leg } from './leg.js';
import type { OperationOptions } from './media.js';
import { toSwitchError } from './switch-error.js';
import { reportEnd, reportStart, type TransferResult } from './transfer-common.js';

const OPERATION = 'connect';

/** Who the far end of a leg is: the caller of a leg that came in, the callee of one the platform placed. */
function partyNumber(leg: Leg): string {
  return leg.direction === 'inbound' ? leg.caller : leg.callee;
}

function check(leg: Leg, other: Leg): void {
  if (leg.state === 'Idle' || leg.state === 'Released') throw new HangupError(leg.id, OPERATION, leg.state, leg.releaseCause);
  if (leg.state !== 'Established' && leg.state !== 'Held') {
    throw new InvalidStateError(leg.id, OPERATION, leg.state, 'only answered (Established or Held) legs can be connected');
  }
  if (leg.pair) throw new InvalidStateError(leg.id, OPERATION, leg.state, 'the leg has a pending two-step transfer');
  if (leg.bridgePeer && leg.bridgePeer !== other) {
    throw new InvalidStateError(leg.id, OPERATION, leg.state, `the leg is still bridged to ${leg.bridgePeer.id}`);
  }
}

/** Takes a Held leg off hold on the switch only (its channel is handed away next); undefined when it worked. */
async function unholdOnSwitch(ctx: CallContext, leg: Leg): Promise<'failed' | undefined> {
  if (leg.state !== 'Held') return undefined;
  try {
    await ctx.sw.retrieve(leg.id);
    return undefined;
  } catch (error) {
    ctx.reportSwitchError(toSwitchError('retrieve', leg.id, error));
    return 'failed';
  }
}

/**
 * Connects the party of `moved` to the party of `target` and leaves both legs. Resolves `completed`;
 * `caller-hangup` / `target-hangup` when a party hung up while the switch connected them, `failed`
 * when the switch could not (a `switch.error` event says which operation; both legs stay with the
 * application as they were). Wrong states reject with `HangupError` / `InvalidStateError` before
 * anything happens.
 */
export async function connectLegs(ctx: CallContext, moved: Leg, target: Leg, options: OperationOptions = {}): Promise<TransferResult> {
  if (moved === target) throw new InvalidStateError(moved.id, OPERATION, moved.state, 'a leg cannot be connected to itself');
  check(moved, target);
  check(target, moved);
  options.signal?.throwIfAborted();
  const number = partyNumber(target);
  reportStart(ctx, moved, 'consult', number, target.id);
  const end = (cause: TransferResult['cause']): TransferResult => reportEnd(ctx, moved, 'consult', number, cause, target.id);
  const gone = (): TransferResult | undefined =>
    moved.state === 'Released' ? end('caller-hangup') : target.state === 'Released' ? end('target-hangup') : undefined;
  // Held parties are taken off hold on the switch only: the channels are handed away below.
  if ((await unholdOnSwitch(ctx, moved)) || (await unholdOnSwitch(ctx, target))) return gone() ?? end('failed');
  try {
    await ctx.sw.bridge(moved.id, target.id);
  } catch (error) {
    return end(bridgeFailure(ctx, moved, target, error));
  }
  const cause = partyGone(moved, target);
  if (cause) return end(cause);
  ctx.relate([moved, target], () => {
    moved.bridgePeer = undefined;
    target.bridgePeer = undefined;
  });
  ctx.handOff(moved, target);
  return end('completed');
}
