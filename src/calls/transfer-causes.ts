/** Helpers over the transfer cause vocabulary (declared in src/language/vocabulary, docs/transfers.md). */
import { TRANSFER_CAUSES, type TransferCause } from '../language/vocabulary/transfer-causes.js';

export { TRANSFER_CAUSES, type TransferCause } from '../language/vocabulary/transfer-causes.js';

const CAUSES: ReadonlySet<string> = new Set(TRANSFER_CAUSES);

export function isTransferCause(value: string | undefined): value is TransferCause {
  return value !== undefined && CAUSES.has(value);
}

/**
 * True when the far end of `leg` hung up (not this side: an application that stops also releases
 * the leg). Tells `caller-hangup` from `cancelled` when a transfer is aborted.
 */
export function hungUpByCaller(leg: { readonly state: string; readonly releaseCause: string | undefined }): boolean {
  return leg.state === 'Released' && leg.releaseCause === 'remote-hangup';
}

/** The transfer cause for a target leg that ended before it was answered. */
export function causeOfUnansweredTarget(releaseCause: string | undefined): TransferCause {
  switch (releaseCause) {
    case 'busy':
    case 'no-answer':
    case 'rejected':
    case 'not-found':
    case 'cancelled':
      return releaseCause;
    default:
      return 'failed';
  }
}
