/**
 * Two-step transfers and conferences (the Genesys two-step transfer): the caller is held, a Consult leg is dialled,
 * then the consult completes the transfer (both legs handed off and Released), completes a
 * conference (both legs bridged, still controlled), or the application swaps between them.
 */
import { retrieveCall } from './call-hold.js';
import type { CallContext } from './context.js';
import { bridgeFailure, partyGone, TransferAttempt } from './dial-and-bridge.js';
import { assertCan, holdLeg, reportFailureOf, resolveTone, retrieveLeg, startBackgroundTone, startDial, stateError } from './leg-ops.js';
import type { ConsultPair, Leg } from './leg.js';
import type { OperationOptions } from './media.js';
import { toSwitchError } from './switch-error.js';
import { DEFAULT_RINGBACK, prepareForTransfer, reportEnd, reportStart, type TransferResult } from './transfer-common.js';
import { checkTarget, resolveCallerId, ringTimeoutMs } from './transfer-options.js';

export interface InitiateTransferOptions extends OperationOptions {
  /** `private`, `caller` (legs that came in only) or an owned number. */
  callerId?: string;
  callerDisplayName?: string;
  /** Ring timeout of the consult leg in seconds, 1–300, default 30 (then released with `no-answer`). */
  timeoutSeconds?: number;
  /** Music the held caller hears; the call control's default when absent. */
  holdMusic?: string;
}

export interface CompleteTransferOptions extends OperationOptions {
  /** Heard by the caller when the transfer completes while the consult still rings. Default `ringback-us`. */
  ringbackTone?: string;
}

export interface ConferenceOptions extends OperationOptions {
  callerId?: string;
  callerDisplayName?: string;
  /** Ring timeout in seconds, 1–300, default 30. */
  timeoutSeconds?: number;
}

/** Holds `parent` (unless already held) and dials a Consult leg; returns it while it is Dialing. */
export async function initiateConsult(
  ctx: CallContext,
  parent: Leg,
  target: string,
  options: InitiateTransferOptions,
  kind: ConsultPair['kind'],
): Promise<Leg> {
  const operation = kind === 'consult' ? 'initiateTransfer' : 'initiateConference';
  assertCan(parent, operation);
  checkTarget(target);
  const party = resolveCallerId(ctx.config, parent, options.callerId);
  const ringMs = ringTimeoutMs(options.timeoutSeconds, 30);
  options.signal?.throwIfAborted();
  const holdMusic = options.holdMusic ?? ctx.config.holdMusic;

  // A new consult replaces a pending one.
  if (parent.pair) ctx.release(parent.pair.consult, 'cancelled', 'local');
  if (parent.state === 'Established') await holdLeg(ctx, parent, holdMusic);
  if (parent.state !== 'Held') throw stateError(parent, operation, 'the call ended while it was put on hold');

  const consult = ctx.createLeg();
  const pair: ConsultPair = { parent, consult, active: 'consult', kind, target, holdMusic };
  ctx.relate([parent], () => {
    parent.pair = pair;
    consult.pair = pair;
  });
  reportStart(ctx, parent, kind, target, consult.id);
  startDial(ctx, consult, {
    to: target,
    ...party,
    displayName: options.callerDisplayName,
    diversions: [],
    callType: 'Consult',
    parentCallId: parent.id,
    ringTimeoutMs: ringMs,
  });
  return consult;
}

/**
 * Hands the caller to the consult's party and leaves: both legs Released (`transferred`). While
 * the consult still rings, the caller hears ringback until it answers (then they are connected) or
 * fails (then the caller is released as well). When the switch cannot take the held party off hold
 * or bridge the two, the consult is released (`failed`), which ends the consultation `failed`; the
 * caller stays Held (back on hold on the switch) for the application to retrieve.
 */
export async function completeTransfer(ctx: CallContext, consult: Leg, options: CompleteTransferOptions = {}): Promise<TransferResult> {
  assertCan(consult, 'completeTransfer');
  const ringbackName = options.ringbackTone ?? DEFAULT_RINGBACK;
  const ringback = resolveTone(ctx, 'ringbackTone', ringbackName);
  options.signal?.throwIfAborted();
  const pair = consult.pair!;
  const { parent } = pair;

  if (consult.state === 'Dialing') {
    unlink(pair);
    ctx.sw.retrieve(parent.id).catch(reportFailureOf(ctx, 'retrieve', parent.id));
    const stopRingback = startBackgroundTone(ctx, parent, ringbackName, ringback);
    const ringMs = consult.ringDeadline === undefined ? undefined : Math.max(0, consult.ringDeadline - ctx.clock.now());
    ctx.handOff(parent, consult, { ringMs, stopRingback });
    return reportEnd(ctx, parent, pair.kind, pair.target, 'completed', consult.id);
  }
  const held = consult.state === 'Held' ? consult : parent;
  try {
    await ctx.sw.retrieve(held.id);
  } catch (error) {
    ctx.reportSwitchError(toSwitchError('retrieve', held.id, error));
    return failConsult(ctx, pair, held);
  }
  try {
    await ctx.sw.bridge(parent.id, consult.id);
  } catch (error) {
    if (bridgeFailure(ctx, parent, consult, error) === 'failed') return failConsult(ctx, pair, held);
  }
  if (partyGone(parent, consult)) throw stateError(consult, 'completeTransfer', 'a party hung up');
  unlink(pair);
  ctx.handOff(parent, consult);
  return reportEnd(ctx, parent, pair.kind, pair.target, 'completed', consult.id);
}

/**
 * The switch could not connect the parties of a pair: the consult is released (`failed`, which
 * reports `transfer.ended … failed`) and the held party goes back on hold on the switch.
 */
function failConsult(ctx: CallContext, pair: ConsultPair, held: Leg): TransferResult {
  const { parent, consult } = pair;
  ctx.release(consult, 'failed', 'local');
  if (held === parent && parent.state === 'Held') {
    ctx.sw.hold(parent.id, pair.holdMusic === undefined ? {} : { music: pair.holdMusic }).catch(reportFailureOf(ctx, 'hold', parent.id));
  }
  return { cause: 'failed', target: pair.target, targetLegId: consult.id };
}

/**
 * Joins the held caller and the consult's party in a conference the application keeps. A bridge
 * the switch refuses releases the consult (`failed`); the caller stays Established.
 */
export async function completeConference(ctx: CallContext, consult: Leg, options: OperationOptions = {}): Promise<TransferResult> {
  assertCan(consult, 'completeConference');
  options.signal?.throwIfAborted();
  const pair = consult.pair!;
  const { parent } = pair;
  if (parent.state === 'Held') await retrieveLeg(ctx, parent);
  if (consult.state === 'Held') await retrieveLeg(ctx, consult);
  try {
    await ctx.sw.bridge(parent.id, consult.id);
  } catch (error) {
    if (bridgeFailure(ctx, parent, consult, error) === 'failed') {
      ctx.release(consult, 'failed', 'local');
      return { cause: 'failed', target: pair.target, targetLegId: consult.id };
    }
  }
  if (partyGone(parent, consult)) throw stateError(consult, 'completeConference', 'a party hung up');
  ctx.relate([parent, consult], () => {
    unlink(pair);
    parent.bridgePeer = consult;
    consult.bridgePeer = parent;
  });
  ctx.emit(parent, { type: 'bridge.started', time: ctx.clock.now(), legId: parent.id, peerLegId: consult.id });
  return reportEnd(ctx, parent, pair.kind, pair.target, 'completed', consult.id);
}

/** Alternates between the caller and the consult's party: the one talked to is held, the other retrieved. */
export async function swapCalls(ctx: CallContext, consult: Leg, options: OperationOptions = {}): Promise<void> {
  assertCan(consult, 'swapCalls');
  options.signal?.throwIfAborted();
  const pair = consult.pair!;
  const { parent } = pair;
  if (pair.active === 'consult') {
    if (consult.state === 'Established') await holdLeg(ctx, consult, pair.holdMusic);
    pair.active = 'parent';
    if (parent.state === 'Held') await retrieveLeg(ctx, parent);
  } else {
    if (parent.state === 'Established') await holdLeg(ctx, parent, pair.holdMusic);
    pair.active = 'consult';
    if (consult.state === 'Held') await retrieveLeg(ctx, consult);
  }
}

/**
 * Takes a held caller back; a pending consult is released first (the consultation is abandoned).
 * A held two-party call is retrieved as a whole.
 */
export async function retrieve(ctx: CallContext, leg: Leg, options: OperationOptions = {}): Promise<void> {
  assertCan(leg, 'retrieve');
  options.signal?.throwIfAborted();
  if (leg.bridge === 'call') return retrieveCall(ctx, leg);
  const pair = leg.pair;
  if (pair) ctx.release(pair.consult, 'cancelled', 'local');
  if (leg.state !== 'Held') throw stateError(leg, 'retrieve');
  await retrieveLeg(ctx, leg);
}

/** Dials `target` and, once it answers, bridges it to `leg`; the application keeps both legs. */
export async function singleStepConference(ctx: CallContext, leg: Leg, target: string, options: ConferenceOptions = {}): Promise<TransferResult> {
  assertCan(leg, 'singleStepConference');
  checkTarget(target);
  const party = resolveCallerId(ctx.config, leg, options.callerId);
  const ringMs = ringTimeoutMs(options.timeoutSeconds, 30);
  options.signal?.throwIfAborted();
  await prepareForTransfer(ctx, leg, 'singleStepConference');
  const added = ctx.createLeg();
  const attempt = new TransferAttempt(ctx, leg, 'conference', target, added);
  attempt.start();
  let outcome: string;
  try {
    outcome = await attempt.dial(
      { to: target, ...party, displayName: options.callerDisplayName, diversions: [], callType: ctx.callTypeFor(target), ringTimeoutMs: ringMs },
      { signal: options.signal },
    );
  } catch (error) {
    attempt.aborted();
    throw error;
  }
  const ended = attempt.dialled(outcome);
  if (ended) return ended;
  try {
    await attempt.bridge();
  } catch (error) {
    return attempt.bridgeRefused(error);
  }
  const gone = attempt.bridged();
  if (gone) return gone;
  ctx.relate([leg, added], () => {
    leg.bridgePeer = added;
    added.bridgePeer = leg;
  });
  ctx.emit(leg, { type: 'bridge.started', time: ctx.clock.now(), legId: leg.id, peerLegId: added.id });
  return attempt.end('completed');
}

/** Forgets a pair without reporting anything (the caller reports how it ended). */
function unlink(pair: ConsultPair): void {
  pair.parent.pair = undefined;
  pair.consult.pair = undefined;
}
