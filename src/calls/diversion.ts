/** Diversion headers (RFC 5806) carried by legs, and the blind-transfer diversion options of Bandwidth's call-update API. */

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

export type DiversionTreatment = 'none' | 'propagate' | 'stack';

/** One Diversion header: the number the call was diverted from and why. */
export interface Diversion {
  readonly number: string;
  readonly reason: DiversionReason;
}
