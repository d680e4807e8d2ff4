/**
 * BlindTransfer (docs/transfers.md, options of Bandwidth's call-update API) as a B2BUA does it: dial the target while the
 * caller hears ringback, whisper to the target once it answers, then bridge the two and leave the
 * call (both channels Released with cause `transferred`). On failure the caller stays Established.
 */
import { LinkedAbort, type AbortSignalLike } from './abort.js';
import type { CallContext } from './context.js';
import { TransferAttempt } from './dial-and-bridge.js';
import type { Diversion, DiversionReason, DiversionTreatment } from './diversion.js';
import { HangupError, InvalidOptionError } from './errors.js';
import { assertCan, resolveTone, waitForLegs } from './leg-ops.js';
import type { Leg } from './leg.js';
import { play, speak, type OperationOptions } from './media.js';
import type { RecordingFormat, SwitchRecording } from './switch.js';
import { toSwitchError } from './switch-error.js';
import type { ToneDefinition } from './tones.js';
import { DEFAULT_RINGBACK, prepareForTransfer, type TransferResult } from './transfer-common.js';
import { hungUpByCaller } from './transfer-causes.js';
import {
  checkTarget,
  checkWhisper,
  diversionsFor,
  resolveCallerId,
  ringTimeoutMs,
  type CallingParty,
  type Whisper,
} from './transfer-options.js';

export interface BlindTransferOptions extends OperationOptions {
  /** `private`, `caller` (legs that came in only) or an owned number. */
  callerId?: string;
  callerDisplayName?: string;
  /** Ring timeout in seconds, 1–300, default 30. */
  timeoutSeconds?: number;
  /** Tone the caller hears while the target rings; default `ringback-us`, `none` for silence. */
  ringbackTone?: string;
  whisper?: Whisper;
  diversionTreatment?: DiversionTreatment;
  /** Only with `stack`; default `unknown`. */
  diversionReason?: DiversionReason;
  /** Record the transferred call until it ends (`recording.ended` event). */
  record?: boolean;
  recordFormat?: RecordingFormat;
}

/** Abort reason of the whisper when the caller hangs up during it. */
const CALLER_GONE = Object.freeze({ name: 'CallerGone' });

/** A blind transfer's options, checked and resolved before anything happens. */
interface BlindTransferPlan {
  party: CallingParty;
  diversions: readonly Diversion[];
  ringMs: number;
  ringbackName: string;
  ringback: ToneDefinition | undefined;
  recordFormat: RecordingFormat;
}

/** Checks every option against the leg (caller-ID policy, diversion, ranges, tones, whisper); throws `InvalidOptionError`. */
export function planBlindTransfer(ctx: CallContext, caller: Leg, target: string, options: BlindTransferOptions = {}): BlindTransferPlan {
  checkTarget(target);
  const party = resolveCallerId(ctx.config, caller, options.callerId);
  const diversions = diversionsFor(caller, options.diversionTreatment, options.diversionReason);
  const ringMs = ringTimeoutMs(options.timeoutSeconds, 30);
  const ringbackName = options.ringbackTone ?? DEFAULT_RINGBACK;
  const ringback = resolveTone(ctx, 'ringbackTone', ringbackName);
  const recordFormat = options.recordFormat ?? 'wav';
  if (recordFormat !== 'wav' && recordFormat !== 'mp3') {
    throw new InvalidOptionError('recordFormat', recordFormat, 'recordFormat must be wav or mp3');
  }
  checkWhisper(options.whisper);
  return { party, diversions, ringMs, ringbackName, ringback, recordFormat };
}

export async function blindTransfer(ctx: CallContext, caller: Leg, target: string, options: BlindTransferOptions = {}): Promise<TransferResult> {
  assertCan(caller, 'blindTransfer');
  const { party, diversions, ringMs, ringbackName, ringback, recordFormat } = planBlindTransfer(ctx, caller, target, options);
  options.signal?.throwIfAborted();

  await prepareForTransfer(ctx, caller, 'blindTransfer');
  const targetLeg = ctx.createLeg();
  const attempt = new TransferAttempt(ctx, caller, 'blind', target, targetLeg);
  attempt.start();
  let outcome: string;
  try {
    outcome = await attempt.dial(
      { to: target, ...party, displayName: options.callerDisplayName, diversions, callType: ctx.callTypeFor(target), ringTimeoutMs: ringMs },
      { ringback: { name: ringbackName, tone: ringback }, signal: options.signal },
    );
  } catch (error) {
    attempt.aborted();
    throw error;
  }
  const ended = attempt.dialled(outcome);
  if (ended) return ended;

  if (options.whisper) {
    const failure = await whisper(ctx, caller, targetLeg, options.whisper, options.signal);
    if (failure === 'aborted') {
      attempt.end(hungUpByCaller(caller) ? 'caller-hangup' : 'cancelled');
      throw options.signal?.reason;
    }
    if (failure) return attempt.end(failure);
  }

  try {
    await attempt.bridge();
  } catch (error) {
    return attempt.bridgeRefused(error);
  }
  const gone = attempt.bridged();
  if (gone) return gone;
  ctx.handOff(caller, targetLeg);
  const recording = options.record ? recordHandedOffCall(ctx, caller, recordFormat) : undefined;
  const result = attempt.end('completed');
  return recording ? { ...result, recording } : result;
}

/**
 * Plays the whisper to the answered target while the caller keeps hearing ringback. Returns the
 * failure cause, or undefined when the whisper finished and both parties are still there.
 */
async function whisper(
  ctx: CallContext,
  caller: Leg,
  targetLeg: Leg,
  message: Whisper,
  signal: AbortSignalLike | undefined,
): Promise<'caller-hangup' | 'target-hangup' | 'failed' | 'aborted' | undefined> {
  const stop = new LinkedAbort(signal);
  // Ends when the caller goes, or (rejecting with the abort reason) when the whisper is over.
  waitForLegs([caller], () => (caller.state === 'Released' ? true : undefined), stop.signal).then(
    () => stop.abort(CALLER_GONE),
    () => undefined,
  );
  try {
    if ('text' in message) {
      await speak(ctx, targetLeg, message.text, {
        signal: stop.signal,
        ...(message.voice === undefined ? {} : { voice: message.voice }),
        ...(message.gender === undefined ? {} : { gender: message.gender }),
        ...(message.locale === undefined ? {} : { language: message.locale }),
      });
    } else {
      await play(ctx, targetLeg, message.audio, { signal: stop.signal });
    }
    return undefined;
  } catch (error) {
    if (stop.signal.reason === CALLER_GONE) {
      ctx.release(targetLeg, 'normal', 'local');
      return 'caller-hangup';
    }
    if (error instanceof HangupError) return 'target-hangup';
    ctx.release(targetLeg, signal?.aborted ? 'cancelled' : 'failed', 'local');
    return signal?.aborted ? 'aborted' : 'failed';
  } finally {
    if (!stop.signal.aborted) stop.abort(undefined);
    stop.dispose();
  }
}

/**
 * Records a handed-off call until it ends (`recording.started` / `recording.ended` on the caller's
 * leg id). The promise carries the result to whoever reported the transfer; a failed recording is
 * a `switch.error` event and rejects with the `SwitchError`.
 */
function recordHandedOffCall(ctx: CallContext, caller: Leg, format: RecordingFormat): Promise<SwitchRecording> {
  ctx.emit(undefined, { type: 'recording.started', time: ctx.clock.now(), legId: caller.id, format });
  const recording = ctx.sw.record(caller.id, { format }).then(
    (result) => {
      ctx.emit(undefined, { type: 'recording.ended', time: ctx.clock.now(), legId: caller.id, ...result });
      return result;
    },
    (error: unknown) => {
      const failure = toSwitchError('record', caller.id, error);
      ctx.reportSwitchError(failure);
      throw failure;
    },
  );
  // Reported above; a caller that does not wait for the recording must not see an unhandled rejection.
  recording.catch(() => undefined);
  return recording;
}
