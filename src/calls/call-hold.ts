/**
 * Holding a two-party call: two controlled legs whose audio the switch bridges (bridge kind
 * `call`). Ozeki's Hold puts both legs of a call on hold and its Unhold only works when a Hold held
 * both (the vendor's OzML reference), so the call layer holds and retrieves them as one call: both legs go
 * Held, the switch suspends the bridge and plays hold music to each party; retrieving either leg
 * resumes the bridge with both Established. The bridge itself stays (`bridgedTo`) while held.
 */
import type { CallContext } from './context.js';
import { reportFailureOf, stateError } from './leg-ops.js';
import type { Leg } from './leg.js';
import { toSwitchError } from './switch-error.js';

/**
 * Established → Held for `leg` and the party it is bridged to. All or nothing: when the switch
 * refuses either leg, both are retrieved again (a failed retrieve there is a `switch.error`
 * event) and the hold rejects with the `SwitchError`.
 */
export async function holdCall(ctx: CallContext, leg: Leg, music: string | undefined): Promise<void> {
  const peer = leg.bridgePeer;
  if (!peer || peer.state !== 'Established') {
    throw stateError(leg, 'hold', `the other party of the call is ${peer ? peer.state : 'gone'}`);
  }
  ctx.transition(leg, { type: 'HOLD' });
  ctx.transition(peer, { type: 'HOLD' });
  const request = music === undefined ? {} : { music };
  const holding = [leg, peer].map((held) =>
    ctx.sw.hold(held.id, request).then(
      () => undefined,
      (error: unknown) => toSwitchError('hold', held.id, error),
    ),
  );
  const failure = (await Promise.all(holding)).find((error) => error !== undefined);
  if (!failure) return;
  // All or nothing: a call held on one side only helps nobody.
  for (const held of [leg, peer]) {
    if (held.state !== 'Held') continue;
    ctx.transition(held, { type: 'RETRIEVE' });
    ctx.sw.retrieve(held.id).catch(reportFailureOf(ctx, 'retrieve', held.id));
  }
  throw failure;
}

/** Held → Established for `leg` and the party it is bridged to: the conversation resumes. */
export async function retrieveCall(ctx: CallContext, leg: Leg): Promise<void> {
  const peer = leg.bridgePeer;
  const legs = peer?.state === 'Held' ? [leg, peer] : [leg];
  for (const held of legs) ctx.transition(held, { type: 'RETRIEVE' });
  await Promise.all(legs.map((held) => ctx.sw.retrieve(held.id).catch((error: unknown) => Promise.reject(toSwitchError('retrieve', held.id, error)))));
}
