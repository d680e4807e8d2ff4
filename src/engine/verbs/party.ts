/** Which legs a verb acts on: the session's own leg, or (third-party) the parties of a call by CallId. */
import type { CallChannel } from '../../calls/channel.js';
import type { PARTIES } from '../../language/index.js';
import type { VerbScope } from '../runtime.js';

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** The leg of `callId` and the leg it is bridged to, caller side first. */
export function legsOfCall(scope: VerbScope, callId: string): { caller: CallChannel; callee: CallChannel | undefined } {
  const calls = scope.session.services.calls;
  const leg = calls.channel(callId);
  if (!leg) throw new TargetError(`no call with CallId '${callId}'`);
  const peerId = leg.snapshot().bridgedTo;
  const peer = peerId ? calls.channel(peerId) : undefined;
  if (peer && peer.snapshot().direction === 'inbound' && leg.snapshot().direction !== 'inbound') return { caller: peer, callee: leg };
  return { caller: leg, callee: peer };
}

/** The call a third-party verb addresses: its CallId attribute, else the notified call (a run-time default). */
export function callIdOf(scope: VerbScope, callId: string | undefined): string {
  return callId ?? scope.session.identity.callId;
}

/** Who Speak/Play/SendDTMF address: the own leg, or (third-party) a party of a call. */
export type PartyTarget =
  | { readonly context: 'api-extension' | 'routing' }
  | { readonly context: 'third-party'; readonly values: { readonly Party: (typeof PARTIES)[number]; readonly CallId?: string | undefined } };

/** Legs for Speak/Play/SendDTMF: the own leg (api-extension) or the chosen party of a call (third-party). */
export function partyLegs(scope: VerbScope, target: PartyTarget): CallChannel[] {
  if (target.context !== 'third-party') {
    if (!scope.channel) throw new TargetError('this session has no call leg');
    return [scope.channel];
  }
  const { caller, callee } = legsOfCall(scope, callIdOf(scope, target.values.CallId));
  switch (target.values.Party) {
    case 'callee':
      if (!callee) throw new TargetError('the call has no callee leg');
      return [callee];
    case 'all':
      return callee ? [caller, callee] : [caller];
    default:
      return [caller];
  }
}

export function ownChannel(scope: VerbScope): CallChannel {
  if (!scope.channel) throw new TargetError('this session has no call leg');
  return scope.channel;
}
