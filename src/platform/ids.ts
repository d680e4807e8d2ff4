/**
 * Where every id of the platform comes from: call ids (the caller's leg of an inbound call), the
 * ids of legs the platform dials, and session ids. docs/platform.md ("Ids").
 *
 * The dry run counts (`in-1`, `leg-1`, `s1`), so the same scenario gives the same events byte for
 * byte; a server that shares a registry with other processes needs ids no other process mints:
 * `uniqueIds()` puts a random prefix in front of the counters.
 */
import { randomBytes } from 'node:crypto';

/** `call`: the first leg of a call that rings in; `leg`: a leg the platform dials; `session`: a call session. */
export type IdKind = 'call' | 'leg' | 'session';

export interface IdSource {
  /** A new id of `kind`, never handed out before by this source. */
  next(kind: IdKind): string;
}

const PREFIXES: Readonly<Record<IdKind, string>> = { call: 'in-', leg: 'leg-', session: 's' };

/** Counters per kind, `in-1`, `leg-1`, `s1`, … (what the dry run's events and golden files show). */
export function sequentialIds(prefix = ''): IdSource {
  const counters: Record<IdKind, number> = { call: 0, leg: 0, session: 0 };
  return { next: (kind) => `${prefix}${PREFIXES[kind]}${++counters[kind]}` };
}

/**
 * Ids unique across processes: a random 48-bit prefix (base 36) per source, then the counters
 * (`k3x9a2f1-in-1`). Two processes collide only if their prefixes do (about 1 in 2^24 for 4,000
 * processes).
 */
export function uniqueIds(): IdSource {
  const prefix = BigInt(`0x${randomBytes(6).toString('hex')}`).toString(36);
  return sequentialIds(`${prefix}-`);
}
