/**
 * Two-step transfers and conferences (the Genesys two-step transfer): the caller is held, a Consult leg is dialled,
 * then the consult completes the transfer (both legs handed off and Released), completes a
 * conference (both legs bridged, still controlled), or the application swaps between them.
 */
import { retrieveCall } from './call-hold.js';
import { assertCan, dialOutcome, holdLeg, resolveTone, retrieveLeg, startBackgroundTone, startDial, stateError, waitForLegs } from './leg-ops.js';
import type { ConsultPair, Leg } from './leg.js';
import type { OperationOptions } from './media.js';
import { DEFAULT_RINGBACK, partyGoneAfterBridge, prepareForTransfer, reportEnd, reportStart, type TransferResult } from './transfer-common.js';
import { causeOfUnansweredTarget } from './transfer-causes.js';
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
  parent: Leg,
  target: string,
  options: InitiateTransferOptions,
  kind: ConsultPair['kind'],
): Promise<Leg> {
  const operation = kind === 'consult' ? 'initiateTransfer' : 'initiateConference';
  assertCan(parent, operation);
  checkTarget(target);
  const party = resolveCallerId(parent, options.callerId);
  const ringMs = ringTimeoutMs(options.timeoutSeconds, 30);
  options.signal?.throwIfAborted();
  const table = parent.table;
  const holdMusic = options.holdMusic ?? table.config.holdMusic;

  // A new consult replaces a pending one.
  if (parent.pair) table.release(parent.pair.consult, 'cancelled', 'local');
  if (parent.state === 'Established') await holdLeg(parent, holdMusic);
  if (parent.state !== 'Held') throw stateError(parent, operation, 'the call ended while it was put on hold');

  const consult = table.createLeg();
  const pair: ConsultPair = { parent, consult, active: 'consult', kind, target, holdMusic };
  table.relate([parent], () => {
    parent.pair = pair;
    consult.pair = pair;
  });
  reportStart(parent, kind, target, consult.id);
  startDial(consult, {
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
 * fails (then the caller is released as well).
 */
export async function completeTransfer(consult: Leg, options: CompleteTransferOptions = {}): Promise<TransferResult> {
  assertCan(consult, 'completeTransfer');
  const ringbackName = options.ringbackTone ?? DEFAULT_RINGBACK;
  const ringback = resolveTone(consult, 'ringbackTone', ringbackName);
  options.signal?.throwIfAborted();
  const pair = consult.pair!;
  const { parent } = pair;
  const table = consult.table;

  if (consult.state === 'Dialing') {
    unlink(pair);
    table.sw.retrieve(parent.id).catch(() => {});
    const stopRingback = startBackgroundTone(parent, ringbackName, ringback);
    const ringMs = consult.ringDeadline === undefined ? undefined : Math.max(0, consult.ringDeadline - table.clock.now());
    table.handOff(parent, consult, { ringMs, stopRingback });
  } else {
    const held = consult.state === 'Held' ? consult : parent;
    await table.sw.retrieve(held.id);
    await table.sw.bridge(parent.id, consult.id);
    if (parent.state === 'Released' || consult.state === 'Released') throw stateError(consult, 'completeTransfer', 'a party hung up');
    unlink(pair);
    table.handOff(parent, consult);
  }
  return reportEnd(parent, pair.kind, pair.target, 'completed', consult.id);
}

/** Joins the held caller and the consult's party in a conference the application keeps. */
export async function completeConference(consult: Leg, options: OperationOptions = {}): Promise<TransferResult> {
  assertCan(consult, 'completeConference');
  options.signal?.throwIfAborted();
  const pair = consult.pair!;
  const { parent } = pair;
  const table = consult.table;
  if (parent.state === 'Held') await retrieveLeg(parent);
  if (consult.state === 'Held') await retrieveLeg(consult);
  await table.sw.bridge(parent.id, consult.id);
  if (parent.state === 'Released' || consult.state === 'Released') throw stateError(consult, 'completeConference', 'a party hung up');
  table.relate([parent, consult], () => {
    unlink(pair);
    parent.bridgePeer = consult;
    consult.bridgePeer = parent;
  });
  table.emit(parent, { type: 'bridge.started', time: table.clock.now(), legId: parent.id, peerLegId: consult.id });
  return reportEnd(parent, pair.kind, pair.target, 'completed', consult.id);
}

/** Alternates between the caller and the consult's party: the one talked to is held, the other retrieved. */
export async function swapCalls(consult: Leg, options: OperationOptions = {}): Promise<void> {
  assertCan(consult, 'swapCalls');
  options.signal?.throwIfAborted();
  const pair = consult.pair!;
  const { parent } = pair;
  if (pair.active === 'consult') {
    if (consult.state === 'Established') await holdLeg(consult, pair.holdMusic);
    pair.active = 'parent';
    if (parent.state === 'Held') await retrieveLeg(parent);
  } else {
    if (parent.state === 'Established') await holdLeg(parent, pair.holdMusic);
    pair.active = 'consult';
    if (consult.state === 'Held') await retrieveLeg(consult);
  }
}

/**
 * Takes a held caller back; a pending consult is released first (the consultation is abandoned).
 * A held two-party call is retrieved as a whole.
 */
export async function retrieve(leg: Leg, options: OperationOptions = {}): Promise<void> {
  assertCan(leg, 'retrieve');
  options.signal?.throwIfAborted();
  if (leg.bridge === 'call') return retrieveCall(leg);
  const pair = leg.pair;
  if (pair) leg.table.release(pair.consult, 'cancelled', 'local');
  if (leg.state !== 'Held') throw stateError(leg, 'retrieve');
  await retrieveLeg(leg);
}

/** Dials `target` and, once it answers, bridges it to `leg`; the application keeps both legs. */
export async function singleStepConference(leg: Leg, target: string, options: ConferenceOptions = {}): Promise<TransferResult> {
  assertCan(leg, 'singleStepConference');
  checkTarget(target);
  const party = resolveCallerId(leg, options.callerId);
  const ringMs = ringTimeoutMs(options.timeoutSeconds, 30);
  options.signal?.throwIfAborted();
  const table = leg.table;
  await prepareForTransfer(leg, 'singleStepConference');
  const added = table.createLeg();
  reportStart(leg, 'conference', target, added.id);
  startDial(added, {
    to: target,
    ...party,
    displayName: options.callerDisplayName,
    diversions: [],
    callType: table.callTypeFor(target),
    ringTimeoutMs: ringMs,
  });
  let outcome: string;
  try {
    outcome = await waitForLegs([leg, added], () => (leg.state === 'Released' ? 'caller-hangup' : dialOutcome(added)), options.signal);
  } catch (error) {
    table.release(added, 'cancelled', 'local');
    reportEnd(leg, 'conference', target, 'cancelled', added.id);
    throw error;
  }
  if (outcome === 'caller-hangup') {
    table.release(added, 'cancelled', 'local');
    return reportEnd(leg, 'conference', target, 'caller-hangup', added.id);
  }
  if (outcome !== 'answered') return reportEnd(leg, 'conference', target, causeOfUnansweredTarget(outcome), added.id);
  await table.sw.bridge(leg.id, added.id);
  const gone = partyGoneAfterBridge(leg, added);
  if (gone) return reportEnd(leg, 'conference', target, gone, added.id);
  table.relate([leg, added], () => {
    leg.bridgePeer = added;
    added.bridgePeer = leg;
  });
  table.emit(leg, { type: 'bridge.started', time: table.clock.now(), legId: leg.id, peerLegId: added.id });
  return reportEnd(leg, 'conference', target, 'completed', added.id);
}

/** Forgets a pair without reporting anything (the caller reports how it ended). */
function unlink(pair: ConsultPair): void {
  pair.parent.pair = undefined;
  pair.consult.pair = undefined;
}
