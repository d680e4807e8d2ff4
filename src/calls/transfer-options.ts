/**
 * Checks on transfer options that must refuse bad values before anything is dialled: the caller-ID
 * policy and diversion treatment of Bandwidth's call-update API (docs/transfers.md), ring timeouts, whisper and recording.
 */
import { DIVERSION_REASONS, type Diversion, type DiversionReason, type DiversionTreatment } from './diversion.js';
import type { CallConfig } from './context.js';
import { InvalidOptionError } from './errors.js';
import type { Leg } from './leg.js';

/** What the target of a transfer sees as the calling party. */
export interface CallingParty {
  from: string;
  privacy: boolean;
}

/** Calling number used for a private caller ID. */
export const PRIVATE_NUMBER = 'anonymous';

/** The punctuation people write into phone numbers: spaces, dashes, dots, parentheses, slashes. */
const PUNCTUATION = /[\s()./-]/g;
/** The national trunk prefix written after a country code, as in `+44 (0)20 7946 0000`. */
const TRUNK_ZERO = /^(\+|00)(\d{1,3})\s*\(0\)/;

/**
 * An owned number as it is compared and presented (docs/transfers.md, "Caller ID"): punctuation
 * removed; `+` or the international prefix `00` followed by 1–15 digits is E.164 (`+` and the
 * digits; a `(0)` trunk prefix after the country code is dropped); plain digits (an extension or a
 * national number, which cannot be made E.164 without a country) stay digits. Returns the reason
 * when the text cannot be normalised.
 */
export function normalizeOwnedNumber(written: string): { number: string } | { reason: string } {
  const compact = written.trim().replace(TRUNK_ZERO, '$1$2').replace(PUNCTUATION, '');
  const international = /^(?:\+|00)(\d+)$/.exec(compact);
  if (international) {
    const digits = international[1]!;
    if (digits.startsWith('0')) return { reason: `"${written}" has no country code after the international prefix` };
    if (digits.length > 15) return { reason: `"${written}" has ${digits.length} digits; E.164 allows at most 15` };
    return { number: `+${digits}` };
  }
  if (/^\d{1,15}$/.test(compact)) return { number: compact };
  return { reason: `"${written}" is not a phone number (digits with an optional leading + or 00, and spaces, dashes, dots, parentheses)` };
}

/**
 * The caller ID for a new leg placed on behalf of `leg`. `private` hides it; `caller` keeps the
 * caller's number and exists only on legs that came in; anything else must be an owned number.
 * Default: `caller` on legs that came in, `private` on legs the platform placed.
 */
export function resolveCallerId(config: CallConfig, leg: Leg, callerId: string | undefined): CallingParty {
  const inbound = leg.direction === 'inbound';
  const policy = callerId ?? (inbound ? 'caller' : 'private');
  const keyword = policy.trim().toLowerCase();
  if (keyword === 'private') return { from: PRIVATE_NUMBER, privacy: true };
  if (keyword === 'caller') {
    if (!inbound) {
      throw new InvalidOptionError(
        'callerId',
        policy,
        `CallerId "caller" is only possible on calls that came in; leg ${leg.id} was placed by the platform, so use "private" or an owned number`,
      );
    }
    return { from: leg.caller, privacy: leg.privacy };
  }
  const allowed = inbound ? '"private", "caller" or a number in ownedNumbers' : '"private" or a number in ownedNumbers';
  const normalized = normalizeOwnedNumber(policy);
  if ('reason' in normalized) {
    throw new InvalidOptionError('callerId', policy, `CallerId ${normalized.reason}; use ${allowed}`);
  }
  // Presented in its normalised form: the far end sees +442079460000 however the script wrote it.
  if (config.ownedNumbers.has(normalized.number)) return { from: normalized.number, privacy: false };
  throw new InvalidOptionError('callerId', policy, `CallerId "${policy}" is not allowed on leg ${leg.id}: use ${allowed}`);
}

/**
 * Diversion headers for a transfer target. `propagate` copies the leg's headers; `stack` (only on
 * legs that came in) puts one for the number the caller dialled on top of them. The reason only
 * counts with `stack` (Bandwidth's call-update API) and defaults to `unknown`.
 */
export function diversionsFor(
  leg: Leg,
  treatment: DiversionTreatment | undefined,
  reason: DiversionReason | undefined,
): readonly Diversion[] {
  const mode = (treatment ?? 'none').toLowerCase();
  if (mode === 'none') return [];
  if (mode === 'propagate') return leg.diversions;
  if (mode !== 'stack') {
    throw new InvalidOptionError('diversionTreatment', treatment, `diversionTreatment must be none, propagate or stack, not "${treatment}"`);
  }
  if (leg.direction !== 'inbound') {
    throw new InvalidOptionError(
      'diversionTreatment',
      treatment,
      `diversionTreatment "stack" needs a call that came in; leg ${leg.id} was placed by the platform`,
    );
  }
  const value = (reason ?? 'unknown').toLowerCase();
  const known = DIVERSION_REASONS.find((r) => r === value);
  if (!known) throw new InvalidOptionError('diversionReason', reason, `unknown diversionReason "${reason}"`);
  return [{ number: leg.callee, reason: known }, ...leg.diversions];
}

/** A ring timeout in ms: `seconds` (default `fallback`) must lie within `min`–`max`. */
export function ringTimeoutMs(seconds: number | undefined, fallback: number, min = 1, max = 300): number {
  const value = seconds ?? fallback;
  if (!(value >= min && value <= max)) {
    throw new InvalidOptionError('timeoutSeconds', seconds, `timeoutSeconds must be between ${min} and ${max}`);
  }
  return value * 1000;
}

/** Played to the target of a blind transfer once it answers, before the caller is connected. */
export type Whisper =
  | { text: string; voice?: string; gender?: string; locale?: string }
  | { audio: string };

export function checkWhisper(whisper: Whisper | undefined): void {
  if (whisper === undefined) return;
  const text = 'text' in whisper ? whisper.text : whisper.audio;
  if (typeof text !== 'string' || text === '') {
    throw new InvalidOptionError('whisper', whisper, 'whisper needs a non-empty text or audio');
  }
}

export function checkTarget(target: string): void {
  if (typeof target !== 'string' || target.trim() === '') throw new InvalidOptionError('target', target, 'the transfer target is empty');
}
