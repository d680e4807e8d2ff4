/**
 * Retrievable transfer to an inbound service (the Aculab channel API). The other channel (Idle) dials the
 * service while this leg hears ringback; once the service answers this leg is Transferred, its
 * audio bridged to the service leg. When the service side ends (hangs up or hands the call back)
 * or `retrieveTransferredCall` is called, this leg is retrieved (Established, cause `retrieved`).
 */
import { InvalidOptionError, InvalidStateError } from './errors.js';
import { assertCan, dialOutcome, resolveTone, startBackgroundTone, startDial, waitForLegs } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { LegState } from './leg-states.js';
import type { OperationOptions } from './media.js';
import { DEFAULT_RINGBACK, partyGoneAfterBridge, reportEnd, reportStart } from './transfer-common.js';
import { causeOfUnansweredTarget, hungUpByCaller, type TransferCause } from './transfer-causes.js';

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
  leg: Leg,
  other: Leg,
  serviceName: string,
  options: InboundServiceOptions = {},
): Promise<LegState> {
  const operation = 'transferToInboundService';
  assertCan(leg, operation);
  if (other.table !== leg.table) throw new InvalidOptionError('otherCall', other.id, 'the other call channel belongs to another call control');
  if (other.state !== 'Idle') throw new InvalidStateError(other.id, operation, other.state, 'the other call channel must be Idle');
  const seconds = options.timeoutSeconds === undefined ? 120 : options.timeoutSeconds;
  if (seconds !== null && !(seconds >= 0)) {
    throw new InvalidOptionError('timeoutSeconds', seconds, 'timeoutSeconds must be ≥ 0 (0 or null: no limit)');
  }
  const ringbackName = options.ringbackTone ?? DEFAULT_RINGBACK;
  const ringback = resolveTone(leg, 'ringbackTone', ringbackName);
  options.signal?.throwIfAborted();
  const table = leg.table;
  const clock = table.clock;

  reportStart(leg, 'service', serviceName, other.id);
  const address = table.config.resolveService(serviceName);
  if (address === undefined) {
    reportEnd(leg, 'service', serviceName, 'not-found', other.id);
    return leg.state;
  }
  startDial(other, {
    to: address,
    from: options.callFrom || leg.caller,
    privacy: false,
    diversions: [],
    callType: 'Internal',
  });
  const stopRingback = startBackgroundTone(leg, ringbackName, ringback);
  const fail = (cause: TransferCause): LegState => {
    stopRingback();
    reportEnd(leg, 'service', serviceName, cause, other.id);
    return leg.state;
  };
  let timedOut = false;
  const timer =
    seconds === null || seconds === 0
      ? undefined
      : clock.setTimer(
          seconds * 1000,
          () => {
            timedOut = true;
            table.release(other, 'cancelled', 'local');
          },
          `service-transfer-timeout ${leg.id}`,
        );

  let outcome: string;
  try {
    outcome = await waitForLegs([leg, other], () => (leg.state === 'Released' ? 'caller-hangup' : dialOutcome(other)), options.signal);
  } catch (error) {
    table.release(other, 'cancelled', 'local');
    // Aborted because the caller hung up (the executor's session stops first): say so.
    fail(hungUpByCaller(leg) ? 'caller-hangup' : 'cancelled');
    throw error;
  } finally {
    clock.clearTimer(timer);
  }
  if (outcome === 'caller-hangup') {
    table.release(other, 'cancelled', 'local');
    return fail('caller-hangup');
  }
  if (timedOut) return fail('timeout');
  if (outcome !== 'answered') return fail(causeOfUnansweredTarget(outcome));

  stopRingback();
  try {
    await table.sw.bridge(leg.id, other.id);
  } catch {
    table.release(other, 'failed', 'local');
    return fail('failed');
  }
  const gone = partyGoneAfterBridge(leg, other);
  if (gone) return fail(gone);
  const link = { caller: leg, serviceLeg: other, name: serviceName };
  table.relate([other], () => {
    leg.bridgePeer = other;
    other.bridgePeer = leg;
    leg.service = link;
    other.service = link;
  });
  leg.transferCause = 'completed';
  table.transition(leg, { type: 'TRANSFER' });
  table.emit(leg, { type: 'bridge.started', time: clock.now(), legId: leg.id, peerLegId: other.id });
  return leg.state;
}

/** Ends the service side and takes the call back (Transferred → Established, cause `retrieved`). */
export async function retrieveTransferredCall(leg: Leg, options: OperationOptions = {}): Promise<void> {
  assertCan(leg, 'retrieveTransferredCall');
  options.signal?.throwIfAborted();
  const link = leg.service;
  if (link) leg.table.release(link.serviceLeg, 'normal', 'local');
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
