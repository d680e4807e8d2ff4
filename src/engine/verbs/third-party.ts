/** Third-party call control on any call by CallId: Hold, Unhold, SendDTMF, Forward. */
import type { CallChannel } from '../../calls/channel.js';
import { InvalidStateError } from '../../calls/errors.js';
import type { Attributes } from '../resolve.js';
import { outcome } from '../run.js';
import type { VerbExecutor } from '../run.js';
import type { VerbScope } from '../runtime.js';
import { callIdOf, legsOfCall, partyLegs } from './party.js';

/** The legs of a call, each of which must allow `operation` (all or nothing: a half-held call helps nobody). */
function legsAllowing(scope: VerbScope, a: Attributes, operation: 'hold' | 'retrieve'): CallChannel[] {
  const { caller, callee } = legsOfCall(scope, callIdOf(scope, a));
  const legs = callee ? [caller, callee] : [caller];
  const refused = legs.find((leg) => !leg.can(operation));
  if (refused) {
    throw new InvalidStateError(refused.id, operation, refused.state, refused.snapshot().bridgedTo ? 'it is bridged to another leg' : undefined);
  }
  return legs;
}

/** Hold puts both legs of the call on hold; Unhold takes both off (ozml-reference §3.14). */
export const hold: VerbExecutor = async (_node, a, scope) => {
  for (const leg of legsAllowing(scope, a, 'hold')) await leg.hold({ signal: scope.signal });
  return outcome('held');
};

export const unhold: VerbExecutor = async (_node, a, scope) => {
  for (const leg of legsAllowing(scope, a, 'retrieve')) await leg.retrieve({ signal: scope.signal });
  return outcome('retrieved');
};

export const sendDtmf: VerbExecutor = async (_node, a, scope) => {
  const keys = a.string('Keys') ?? '';
  await Promise.all(partyLegs(scope, a).map((leg) => leg.sendDtmf(keys, { signal: scope.signal })));
  return outcome('sent');
};

/**
 * Forward a call that is still ringing. As a B2BUA the platform answers the ringing leg and
 * connects it to the destination (the caller hears the destination's ringback).
 */
export const forward: VerbExecutor = async (_node, a, scope) => {
  const { caller } = legsOfCall(scope, callIdOf(scope, a));
  if (caller.state !== 'Ringing') {
    scope.session.emit({ type: 'error', code: 'invalid-state', message: `Forward: the call is ${caller.state}, not Ringing`, verb: 'Forward' });
    return outcome('invalid-state');
  }
  await caller.answer({ signal: scope.signal });
  const result = await caller.blindTransfer(a.string('Destination') ?? '', { callerId: 'caller', signal: scope.signal });
  if (result.cause !== 'completed' && caller.can('hangup')) await caller.hangup('normal');
  return outcome(result.cause);
};
