/**
 * Why a leg was released (docs/calls.md). The application may pass its own cause to `hangup()`
 * (the engine uses `limit-exceeded`, `application-error`, …); these are the ones the call layer
 * itself produces.
 */
export const RELEASE_CAUSES = [
  'normal',
  'remote-hangup',
  'busy',
  'no-answer',
  'rejected',
  'not-found',
  'cancelled',
  'failed',
  'transferred',
] as const;
export type KnownReleaseCause = (typeof RELEASE_CAUSES)[number];
/** A known cause or one the application passed to `hangup()`. */
export type ReleaseCause = KnownReleaseCause | (string & {});
