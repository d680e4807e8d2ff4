/** The one transfer result vocabulary (docs/transfers.md): `$TransferCause`, events and notifications. */
export const TRANSFER_CAUSES = [
  'completed',
  'busy',
  'no-answer',
  'rejected',
  'not-found',
  'timeout',
  'cancelled',
  'caller-hangup',
  'target-hangup',
  'not-accepted',
  'invalid-state',
  'retrieved',
  'failed',
] as const;
export type TransferCause = (typeof TRANSFER_CAUSES)[number];
