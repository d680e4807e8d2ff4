/** Third-party call control on any call by CallId: Hold, Unhold, SendDTMF, Forward. */
import type { CallChannel } from '../../calls/channel.js';
import { InvalidStateError } from '../../calls/errors.js';
import { outcome } from '../verb.js';
import type { VerbExecutor } from '../verb.js';
import type { VerbScope } from '../runtime.js';
import { onEveryParty } from './media.js';
import { callIdOf, legsOfCall, partyLegs } from './party.js';

/**
 * The leg Hold / Unhold act on: the caller's leg of the call. On a two-party call the call layer
 * holds and retrieves both legs at once, all or nothing (the vendor's OzML reference: Hold puts both legs
 * on hold; Unhold works only when a Hold held both).
 */
function callLeg(scope: VerbScope, callId: string | undefined, operation: 'hold' | 'retrieve'): CallChannel {
  const { caller } = legsOfCall(scope, callIdOf(scope, callId));
  if (!caller.can(operation)) {
    const detail = caller.state === 'Held' ? 'the call is on hold already' : operation === 'retrieve' && caller.state === 'Established' ? 'the call is not on hold' : undefined;
    throw new InvalidStateError(caller.id, operation, caller.state, detail);
  }
  return caller;
}

/** Hold puts both parties of the call on hold (hold music, the conversation suspended). */
export const hold: VerbExecutor<'Hold'> = async (_node, { values: a }, scope) => {
  await callLeg(scope, a.CallId, 'hold').hold({ signal: scope.signal });
  return outcome('held');
};

/** Unhold takes both parties off hold: the conversation resumes. */
export const unhold: VerbExecutor<'Unhold'> = async (_node, { values: a }, scope) => {
  await callLeg(scope, a.CallId, 'retrieve').retrieve({ signal: scope.signal });
  return outcome('retrieved');
};

export const sendDtmf: VerbExecutor<'SendDTMF'> = async (_node, attributes, scope) => {
  const keys = attributes.values.Keys;
  await onEveryParty(partyLegs(scope, attributes), (leg) => leg.sendDtmf(keys, { signal: scope.signal }));
  return outcome('sent');
};

/**
 * Forward a call that is still ringing. As a B2BUA the platform answers the ringing leg and
 * connects it to the destination (the caller hears the destination's ringback).
 */
export const forward: VerbExecutor<'Forward'> = async (_node, { values: a }, scope) => {
  const { caller } = legsOfCall(scope, callIdOf(scope, a.CallId));
  if (caller.state !== 'Ringing') {
    scope.session.emit({ type: 'error', code: 'invalid-state', message: `Forward: the call is ${caller.state}, not Ringing`, verb: 'Forward' });
    return outcome('invalid-state');
  }
  await caller.answer({ signal: scope.signal });
  const result = await caller.blindTransfer(a.Destination, { callerId: 'caller', signal: scope.signal });
  if (result.cause !== 'completed' && caller.can('hangup')) await caller.hangup('normal');
  return outcome(result.cause);
};
