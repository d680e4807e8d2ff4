/**
 * BlindTransfer (docs/transfers.md, options of Bandwidth's call-update API) as a B2BUA does it: dial the target while the
 * caller hears ringback, whisper to the target once it answers, then bridge the two and leave the
 * call (both channels Released with cause `transferred`). On failure the caller stays Established.
 */
import { LinkedAbort, type AbortSignalLike } from './abort.js';
import type { Diversion, DiversionReason, DiversionTreatment } from './diversion.js';
import { HangupError, InvalidOptionError } from './errors.js';
import { assertCan, dialOutcome, resolveTone, startBackgroundTone, startDial, waitForLegs } from './leg-ops.js';
import type { Leg } from './leg.js';
import { play, speak, type OperationOptions } from './media.js';
import type { RecordingFormat } from './switch.js';
import type { ToneDefinition } from './tones.js';
import { DEFAULT_RINGBACK, partyGoneAfterBridge, prepareForTransfer, reportEnd, reportStart, type TransferResult } from './transfer-common.js';
import { causeOfUnansweredTarget, hungUpByCaller, type TransferCause } from './transfer-causes.js';
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
export function planBlindTransfer(caller: Leg, target: string, options: BlindTransferOptions = {}): BlindTransferPlan {
  checkTarget(target);
  const party = resolveCallerId(caller, options.callerId);
  const diversions = diversionsFor(caller, options.diversionTreatment, options.diversionReason);
  const ringMs = ringTimeoutMs(options.timeoutSeconds, 30);
  const ringbackName = options.ringbackTone ?? DEFAULT_RINGBACK;
  const ringback = resolveTone(caller, 'ringbackTone', ringbackName);
  const recordFormat = options.recordFormat ?? 'wav';
  if (recordFormat !== 'wav' && recordFormat !== 'mp3') {
    throw new InvalidOptionError('recordFormat', recordFormat, 'recordFormat must be wav or mp3');
  }
  checkWhisper(options.whisper);
  return { party, diversions, ringMs, ringbackName, ringback, recordFormat };
}

export async function blindTransfer(caller: Leg, target: string, options: BlindTransferOptions = {}): Promise<TransferResult> {
  assertCan(caller, 'blindTransfer');
  const table = caller.table;
  const { party, diversions, ringMs, ringbackName, ringback, recordFormat } = planBlindTransfer(caller, target, options);
  options.signal?.throwIfAborted();

  await prepareForTransfer(caller, 'blindTransfer');
  const targetLeg = table.createLeg();
  reportStart(caller, 'blind', target, targetLeg.id);
  startDial(targetLeg, {
    to: target,
    ...party,
    displayName: options.callerDisplayName,
    diversions,
    callType: table.callTypeFor(target),
    ringTimeoutMs: ringMs,
  });
  const stopRingback = startBackgroundTone(caller, ringbackName, ringback);
  const end = (cause: TransferCause): TransferResult => {
    stopRingback();
    return reportEnd(caller, 'blind', target, cause, targetLeg.id);
  };

  let outcome: string;
  try {
    outcome = await waitForLegs(
      [caller, targetLeg],
      () => (caller.state === 'Released' ? 'caller-hangup' : dialOutcome(targetLeg)),
      options.signal,
    );
  } catch (error) {
    table.release(targetLeg, 'cancelled', 'local');
    // Aborted because the caller hung up (the executor's session stops first): say so.
    end(hungUpByCaller(caller) ? 'caller-hangup' : 'cancelled');
    throw error;
  }
  if (outcome === 'caller-hangup') {
    table.release(targetLeg, 'cancelled', 'local');
    return end('caller-hangup');
  }
  if (outcome !== 'answered') return end(causeOfUnansweredTarget(outcome));

  if (options.whisper) {
    const failure = await whisper(caller, targetLeg, options.whisper, options.signal);
    if (failure === 'aborted') {
      end(hungUpByCaller(caller) ? 'caller-hangup' : 'cancelled');
      throw options.signal?.reason;
    }
    if (failure) return end(failure);
  }

  stopRingback();
  try {
    await table.sw.bridge(caller.id, targetLeg.id);
  } catch {
    table.release(targetLeg, 'failed', 'local');
    return end('failed');
  }
  const gone = partyGoneAfterBridge(caller, targetLeg);
  if (gone) return end(gone);
  table.handOff(caller, targetLeg);
  if (options.record) recordHandedOffCall(caller, recordFormat);
  return end('completed');
}

/**
 * Plays the whisper to the answered target while the caller keeps hearing ringback. Returns the
 * failure cause, or undefined when the whisper finished and both parties are still there.
 */
async function whisper(
  caller: Leg,
  targetLeg: Leg,
  message: Whisper,
  signal: AbortSignalLike | undefined,
): Promise<'caller-hangup' | 'target-hangup' | 'failed' | 'aborted' | undefined> {
  const table = caller.table;
  const stop = new LinkedAbort(signal);
  const watchCaller = waitForLegs([caller], () => (caller.state === 'Released' ? true : undefined), stop.signal);
  watchCaller.then(() => stop.abort(CALLER_GONE), () => {});
  try {
    if ('text' in message) {
      await speak(targetLeg, message.text, {
        signal: stop.signal,
        ...(message.voice === undefined ? {} : { voice: message.voice }),
        ...(message.gender === undefined ? {} : { gender: message.gender }),
        ...(message.locale === undefined ? {} : { language: message.locale }),
      });
    } else {
      await play(targetLeg, message.audio, { signal: stop.signal });
    }
    return undefined;
  } catch (error) {
    if (stop.signal.reason === CALLER_GONE) {
      table.release(targetLeg, 'normal', 'local');
      return 'caller-hangup';
    }
    if (error instanceof HangupError) return 'target-hangup';
    table.release(targetLeg, signal?.aborted ? 'cancelled' : 'failed', 'local');
    return signal?.aborted ? 'aborted' : 'failed';
  } finally {
    if (!stop.signal.aborted) stop.abort(undefined);
    stop.dispose();
  }
}

/** Records a handed-off call until it ends; the result comes as a `recording.ended` event. */
function recordHandedOffCall(caller: Leg, format: RecordingFormat): void {
  const table = caller.table;
  table.emit(undefined, { type: 'recording.started', time: table.clock.now(), legId: caller.id, format });
  table.sw.record(caller.id, { format }).then(
    (result) => table.emit(undefined, { type: 'recording.ended', time: table.clock.now(), legId: caller.id, ...result }),
    () => {},
  );
}
