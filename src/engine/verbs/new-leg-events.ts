/**
 * BlindTransfer's CallbackUrl (Bandwidth's call-update API: "the call events for the new call"): the leg dialled for
 * the target is followed from the moment the transfer starts, and each of its state changes goes to
 * the URL as a CallChanged notification (reply ignored) describing that leg. A leg handed off by a
 * completed transfer is still a call on the switch, so its end is reported when that call ends.
 */
import type { CallChannel } from '../../calls/channel.js';
import type { CallEvent, LegCreatedEvent } from '../../calls/events.js';
import { stateNames } from '../../calls/leg-states.js';
import type { VerbScope } from '../runtime.js';

/** RFC 5806 style, top-most first: `+15550100;reason=user-busy, +15550200;reason=unknown`. */
function diversionParam(created: LegCreatedEvent): Record<string, string> {
  const list = created.diversions ?? [];
  return list.length === 0 ? {} : { Diversion: list.map((d) => `${d.number};reason=${d.reason}`).join(', ') };
}

/**
 * Starts following the leg the next transfer from `transferor` dials; it stops by itself when that
 * leg (or, once handed off, its call) ends. `stop()` ends it early (a transfer that dialled nothing).
 */
export function followNewLeg(scope: VerbScope, url: string, transferor: CallChannel): { stop(): void } {
  const { session } = scope;
  let legId: string | undefined;
  let created: LegCreatedEvent | undefined;
  const notify = (callState: string, cause?: string): void => {
    if (!created) return;
    session.send('CallChanged', url, {
      baseUrl: scope.documentUrl,
      params: {
        CallId: created.legId, Caller: created.from, Callee: created.to, CallState: callState, Direction: 'Outgoing',
        ParentCallId: transferor.id, ...diversionParam(created), ...(cause ? { Cause: cause } : {}),
      },
    });
  };
  const onEvent = (event: CallEvent): void => {
    if (legId === undefined) {
      if (event.type === 'transfer.started' && event.legId === transferor.id) legId = event.targetLegId;
      return;
    }
    if (event.type === 'leg.created' && event.legId === legId) {
      created = event;
    } else if (event.type === 'leg.state' && event.legId === legId) {
      // A leg handed away by the completed transfer is still up on the switch: not its end yet.
      if (event.state === 'Released' && event.cause === 'transferred') return;
      notify(stateNames(event.state, event.cause).ozeki ?? event.state, event.cause);
      if (event.state === 'Released') stop();
    } else if (event.type === 'bridge.ended' && (event.legId === legId || event.peerLegId === legId)) {
      notify('Completed', event.cause);
      stop();
    }
  };
  const unsubscribe = session.services.calls.subscribe(onEvent);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
  };
  return { stop };
}
