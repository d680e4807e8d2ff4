/**
 * What the call layer does when a switch operation fails (docs/calls.md, "When the switch
 * fails"): every failure becomes a `SwitchError` naming the operation, the leg and a kind, and it
 * is either propagated (the awaited channel operation rejects with it), turned into a transfer's
 * `failed` cause, or reported as a `switch.error` event — never swallowed.
 */

/** The `Switch` methods whose failure the call layer handles. */
export type SwitchOperation =
  | 'originate' | 'answer' | 'reject' | 'release' | 'playAudio' | 'playSpeech' | 'playTone' | 'record' | 'sendDtmf'
  | 'hold' | 'retrieve' | 'bridge' | 'unbridge';

/**
 * Why it failed, as far as the switch says (a switch throws a `SwitchError` with its kind; any
 * other error is `failed`): `unknown-leg` the switch has no such leg (it ended meanwhile),
 * `refused` the far end or the switch declined (a re-INVITE answered 488), `timeout` no answer
 * in time, `unavailable` the switch cannot be reached, `failed` anything else.
 */
export type SwitchErrorKind = 'unknown-leg' | 'refused' | 'timeout' | 'unavailable' | 'failed';

export class SwitchError extends Error {
  override readonly name = 'SwitchError';
  constructor(
    readonly operation: SwitchOperation,
    readonly legId: string,
    readonly kind: SwitchErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `error` as a `SwitchError` of `operation` on `legId` (a switch's own `SwitchError` keeps its kind). */
export function toSwitchError(operation: SwitchOperation, legId: string, error: unknown): SwitchError {
  if (error instanceof SwitchError) return error;
  return new SwitchError(operation, legId, 'failed', `switch ${operation} on leg ${legId} failed: ${messageOf(error)}`, { cause: error });
}
