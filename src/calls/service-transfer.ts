/**
 * Retrievable transfer to an inbound service (the Aculab channel API). The other channel (Idle) dials the
 * service while this leg hears ringback; once the service answers this leg is Transferred, its
 * audio bridged to the service leg. When the service side ends (hangs up or hands the call back)
 * or `retrieveTransferredCall` is called, this leg is retrieved (Established, cause `retrieved`).
 */
import type { CallContext } from './context.js';
import { TransferAttempt } from './dial-and-bridge.js';
import { InvalidOptionError, InvalidStateError } from './errors.js';
import { assertCan, resolveTone, waitForLegs } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { LegState } from './leg-states.js';
import type { OperationOptions } from './media.js';
import { DEFAULT_RINGBACK } from './transfer-common.js';
import type { TransferCause } from './transfer-causes.js';

/** Address a service is dialled at unless `CallControlOptions.services` says otherwise. */
export function serviceAddress(name: string): string {
  return `service:${name}`;
}

/** The service name of a `service:<name>` address (how an answering side knows what was dialled). */
export function serviceNameOf(address: string): string | undefined {
  return address.startsWith('service:') && address.length > 'service:'.length ? address.slice('service:'.length) : undefined;
}

export interface InboundServiceOptions extends OperationOptions {
  /** Calling number shown to the service; empty or absent: the caller's number. */
  callFrom?: string;
  /** Tone heard while the service leg rings; null/absent: `ringback-us`, `none`: silence. */
  ringbackTone?: string | null;
  /** Seconds allowed until the service answers; default 120; `null` or 0: no limit. */
  timeoutSeconds?: number | null;
}

export async function transferToInboundService(
  ctx: CallContext,
  leg: Leg,
  other: Leg,
  serviceName: string,
  options: InboundServiceOptions = {},
): Promise<LegState> {
  const operation = 'transferToInboundService';
  assertCan(leg, operation);
  if (other.state !== 'Idle') throw new InvalidStateError(other.id, operation, other.state, 'the other call channel must be Idle');
  const seconds = options.timeoutSeconds === undefined ? 120 : options.timeoutSeconds;
  if (seconds !== null && !(seconds >= 0)) {
    throw new InvalidOptionError('timeoutSeconds', seconds, 'timeoutSeconds must be ≥ 0 (0 or null: no limit)');
  }
  const ringbackName = options.ringbackTone ?? DEFAULT_RINGBACK;
  const ringback = resolveTone(ctx, 'ringbackTone', ringbackName);
  options.signal?.throwIfAborted();

  const attempt = new TransferAttempt(ctx, leg, 'service', serviceName, other);
  attempt.start();
  const address = ctx.config.resolveService(serviceName);
  if (address === undefined) {
    attempt.end('not-found');
    return leg.state;
  }
  let outcome: string;
  try {
    outcome = await attempt.dial(
      { to: address, from: options.callFrom || leg.caller, privacy: false, diversions: [], callType: 'Internal' },
      {
        ringback: { name: ringbackName, tone: ringback },
        signal: options.signal,
        ...(seconds === null || seconds === 0 ? {} : { answerLimit: { ms: seconds * 1000, label: `service-transfer-timeout ${leg.id}` } }),
      },
    );
  } catch (error) {
    attempt.aborted();
    throw error;
  }
  if (attempt.dialled(outcome)) return leg.state;
  try {
    await attempt.bridge();
  } catch (error) {
    attempt.bridgeRefused(error);
    return leg.state;
  }
  if (attempt.bridged()) return leg.state;
  const link = { caller: leg, serviceLeg: other, name: serviceName };
  ctx.relate([other], () => {
    leg.bridgePeer = other;
    other.bridgePeer = leg;
    leg.service = link;
    other.service = link;
  });
  leg.transferCause = 'completed';
  ctx.transition(leg, { type: 'TRANSFER' });
  ctx.emit(leg, { type: 'bridge.started', time: ctx.clock.now(), legId: leg.id, peerLegId: other.id });
  return leg.state;
}

/** Ends the service side and takes the call back (Transferred → Established, cause `retrieved`). */
export async function retrieveTransferredCall(ctx: CallContext, leg: Leg, options: OperationOptions = {}): Promise<void> {
  assertCan(leg, 'retrieveTransferredCall');
  options.signal?.throwIfAborted();
  const link = leg.service;
  if (link) ctx.release(link.serviceLeg, 'normal', 'local');
}

/**
 * Waits until the transferred call is retrieved (`retrieved`: the service side ended) or ends
 * (`caller-hangup` when the caller hung up, `cancelled` when this side hung it up).
 */
export async function waitForTransferredCallRetrieval(leg: Leg, options: OperationOptions = {}): Promise<TransferCause> {
  assertCan(leg, 'waitForTransferredCallRetrieval');
  return waitForLegs(
    [leg],
    () => (leg.state !== 'Transferred' && leg.service === undefined ? (leg.transferCause ?? 'failed') : undefined),
    options.signal,
  );
}
