/** Diversion vocabularies of Bandwidth's call-update API (docs/transfers.md), RFC 5806 reasons. */

/** What a transfer does with Diversion headers: none, copy the caller's (`propagate`), or add one on top (`stack`). */
export const DIVERSION_TREATMENTS = ['none', 'propagate', 'stack'] as const;
export type DiversionTreatment = (typeof DIVERSION_TREATMENTS)[number];

/** Reasons a stacked Diversion header may carry. */
export const DIVERSION_REASONS = [
  'unknown',
  'user-busy',
  'no-answer',
  'unavailable',
  'unconditional',
  'time-of-day',
  'do-not-disturb',
  'deflection',
  'follow-me',
  'out-of-service',
  'away',
] as const;
export type DiversionReason = (typeof DIVERSION_REASONS)[number];
