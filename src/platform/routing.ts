/**
 * The platform side of call routing: a caller dials, the app is asked where the call goes
 * (RoutingInterception), the platform rings that destination, and when it is busy, unanswered or
 * unknown asks again with `LastCallState` — "ring John 20 s, then Michael 30 s, then voicemail".
 * The engine runs each routing document and hands back its `Route` decision; this loop acts on it.
 */
import type { CallChannel } from '../calls/channel.js';
import type { TransferCause } from '../calls/transfer-causes.js';
import type { Engine } from '../engine/index.js';
import type { EndCause } from '../engine/index.js';
import type { PlatformEvent } from './events.js';

/** Asking more often than this means the app routes in a circle. */
export const MAX_ROUTING_ROUNDS = 10;

/** RoutingInterception's `LastCallState` for how the last attempt ended. */
export function lastCallState(cause: TransferCause | undefined): string {
  switch (cause) {
    case undefined:
      return 'Calling';
    case 'busy':
    case 'rejected':
      return 'Busy';
    case 'no-answer':
    case 'timeout':
      return 'NoAnswer';
    case 'not-found':
      return 'NotFound';
    default:
      return 'Error';
  }
}

/** The call being routed, as the app hears of it. */
export interface RoutedCall {
  from: string;
  to: string;
  displayName?: string;
  /** Where RoutingInterception goes. */
  url: string;
  /** Extra notification parameters. */
  params: Readonly<Record<string, string>>;
}

export interface RoutingContext {
  engine: Engine;
  caller: CallChannel;
  call: RoutedCall;
  emit: (event: PlatformEvent) => void;
  /** The platform clock's time (events carry it). */
  now: () => number;
  /** Reports the first routing session's end cause (the run's cause). */
  onFirstCause: (cause: EndCause) => void;
}

export async function routeCall({ engine, caller, call, emit, now, onFirstCause }: RoutingContext): Promise<void> {
  let last: { cause: TransferCause; destination: string; dialed: string } | undefined;
  for (let round = 1; round <= MAX_ROUTING_ROUNDS && caller.state !== 'Released'; round++) {
    const handle = engine.start({
      callId: caller.id,
      caller: call.from,
      callee: call.to,
      start: {
        url: call.url,
        notification: 'RoutingInterception',
        context: 'routing',
        params: {
          CallState: caller.snapshot().names.ozeki ?? 'Ringing',
          CallerID: call.displayName ?? call.from,
          OriginalDialedNumber: call.to,
          LastDialedNumber: last?.dialed ?? '',
          LastCalledExtension: last?.destination ?? '',
          LastCallState: lastCallState(last?.cause),
          CallerExtension: call.from,
          ...call.params,
        },
      },
    });
    const result = await handle.done;
    if (round === 1) onFirstCause(result.cause);
    if (result.cause === 'application-error' || result.cause === 'limit-exceeded' || result.cause === 'cancelled') break;
    // No Route at all: the dial plan routes the call to the number dialled (the vendor's OzML reference).
    const route = result.route ?? { destination: call.to, ringSeconds: 90 };
    emit({
      type: 'route.decided', time: now(), sessionId: result.sessionId, destination: route.destination, ringSeconds: route.ringSeconds,
      callerId: route.callerId ?? null, dialedNumber: route.dialedNumber ?? null,
    });
    if (route.destination === '') break; // Route Destination="": the call is rejected
    if (released(caller)) break; // the caller gave up while the app decided
    const target = route.dialedNumber ?? route.destination;
    // The platform connects the caller as a back-to-back call: answered, then joined to the destination.
    if (caller.can('answer')) await caller.answer();
    const transfer = await caller.blindTransfer(target, {
      timeoutSeconds: Math.min(Math.max(route.ringSeconds, 1), 300),
      callerId: 'caller',
      ...(route.callerId ? { callerDisplayName: route.callerId } : {}),
    });
    const over = transfer.cause === 'completed' || transfer.cause === 'caller-hangup';
    emit({ type: 'route.ended', time: now(), destination: route.destination, cause: transfer.cause, lastCallState: over ? null : lastCallState(transfer.cause) });
    if (over) return;
    last = { cause: transfer.cause, destination: route.destination, dialed: target };
  }
  if (caller.can('reject')) await caller.reject('rejected');
  else if (caller.can('hangup')) await caller.hangup('normal');
}

/** Read through a function: the state changed while the routing document ran (TypeScript narrowed it). */
const released = (leg: CallChannel): boolean => leg.state === 'Released';
