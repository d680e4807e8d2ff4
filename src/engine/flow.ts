/** What a verb tells the runner to do next. */
import type { Program } from '../language/index.js';
import type { EndCause } from './events.js';

export type Flow =
  /** Go on with the next verb. */
  | { kind: 'next' }
  /** Replace the rest of the script with a fetched document (GoTo, a notification reply with verbs). */
  | { kind: 'replace'; program: Program; url: string | undefined }
  /** The session is over. */
  | { kind: 'end'; cause: EndCause }
  /** BackKey: return to the enclosing UserInput. */
  | { kind: 'back' };

export const NEXT: Flow = Object.freeze({ kind: 'next' });
export const end = (cause: EndCause): Flow => ({ kind: 'end', cause });

/** The session ended for a reason found deep inside a verb (a limit, an application error). */
export class SessionEnd extends Error {
  override readonly name = 'SessionEnd';
  constructor(readonly endCause: EndCause, message: string, readonly code?: string) {
    super(message);
  }
}
