/**
 * Holding a two-party call: two controlled legs whose audio the switch bridges (bridge kind
 * `call`). Ozeki's Hold puts both legs of a call on hold and its Unhold only works when a Hold held
 * both (the vendor's OzML reference), so the call layer holds and retrieves them as one call: both legs go
 * Held, the switch suspends the bridge and plays hold music to each party; retrieving either leg
 * resumes the bridge with both Established. The bridge itself stays (`bridgedTo`) while held.
 */
import { stateError } from './leg-ops.js';
import type { Leg } from './leg.js';

/** Established → Held for `leg` and the party it is bridged to. */
export async function holdCall(leg: Leg, music: string | undefined): Promise<void> {
  const peer = leg.bridgePeer;
  if (!peer || peer.state !== 'Established') {
    throw stateError(leg, 'hold', `the other party of the call is ${peer ? peer.state : 'gone'}`);
  }
  const table = leg.table;
  table.transition(leg, { type: 'HOLD' });
  table.transition(peer, { type: 'HOLD' });
  const request = music === undefined ? {} : { music };
  try {
    await Promise.all([table.sw.hold(leg.id, request), table.sw.hold(peer.id, request)]);
  } catch (error) {
    // All or nothing: a call held on one side only helps nobody.
    for (const held of [leg, peer]) {
      if (held.state !== 'Held') continue;
      table.transition(held, { type: 'RETRIEVE' });
      table.sw.retrieve(held.id).catch(() => {});
    }
    throw error;
  }
}

/** Held → Established for `leg` and the party it is bridged to: the conversation resumes. */
export async function retrieveCall(leg: Leg): Promise<void> {
  const table = leg.table;
  const peer = leg.bridgePeer;
  const legs = peer?.state === 'Held' ? [leg, peer] : [leg];
  for (const held of legs) table.transition(held, { type: 'RETRIEVE' });
  await Promise.all(legs.map((held) => table.sw.retrieve(held.id)));
}
