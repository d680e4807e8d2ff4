/**
 * The transfer verbs (docs/transfers.md) on top of the channel API's transfer operations. One cause
 * vocabulary: `$TransferCause`, `transfer.ended` events and TransferCompleted notifications.
 * Success: the interpreter has left the call, the script ends. Failure: the script continues.
 */
import { isAbortError, type AbortSignalLike } from '../../calls/abort.js';
import type { CallChannel } from '../../calls/channel.js';
import { HangupError, InvalidOptionError, InvalidStateError } from '../../calls/errors.js';
import { causeOfUnansweredTarget } from '../../calls/transfer-causes.js';
import type { TransferCause } from '../../calls/transfer-causes.js';
import type { SwitchRecording } from '../../calls/switch.js';
import type { Whisper } from '../../calls/transfer-options.js';
import { resolveWhisperVoice } from '../../language/index.js';
import type { AttributesIn, ProgramNode, VerbSpecOf } from '../../language/index.js';
import { end } from '../flow.js';
import { outcome } from '../verb.js';
import type { VerbExecutor, VerbOutcome } from '../verb.js';
import type { VerbScope } from '../runtime.js';
import { join, planJoin } from './attended-join.js';
import { followNewLeg } from './new-leg-events.js';
import { runOnLeg } from './other-leg.js';
import { callIdOf, legsOfCall, ownChannel, TargetError } from './party.js';

/** Seconds the target of an AttendedTransfer has to press AcceptKey after the Consult block. */
export const ACCEPT_WINDOW_SECONDS = 10;

/** Where a transfer reports how it ended (TransferToService has neither). */
interface TransferUrls {
  readonly FinishedUrl?: string | undefined;
  readonly CallbackUrl?: string | undefined;
}

const NO_URLS: TransferUrls = Object.freeze({ FinishedUrl: undefined, CallbackUrl: undefined });

type BlindTransferValues = AttributesIn<VerbSpecOf<'BlindTransfer'>, 'api-extension' | 'third-party'>;

/**
 * The whisper of a BlindTransfer: audio (which wins when a script gives both, docs/transfers.md),
 * or text with the voice worked out from voice, gender and locale. A string: why the combination
 * is impossible.
 */
function whisperOf(a: BlindTransferValues): Whisper | string | undefined {
  if (a.WhisperAudio) return { audio: a.WhisperAudio };
  if (!a.Whisper) return undefined;
  const voice = resolveWhisperVoice({ voice: a.WhisperVoice, gender: a.WhisperGender, locale: a.WhisperLocale });
  if (!voice.ok) return `BlindTransfer: no whisper voice: ${voice.message}`;
  return { text: a.Whisper, voice: voice.voice, gender: voice.gender, locale: voice.locale };
}

/**
 * Sends TransferCompleted (cause, target, duration, and `RecordURL` of a recorded transfer) to
 * FinishedUrl and CallbackUrl, if given; replies are ignored.
 */
function notifyCompleted(scope: VerbScope, a: TransferUrls, cause: TransferCause, target: string, durationSeconds: number, recordUrl?: string): void {
  for (const url of new Set([a.FinishedUrl, a.CallbackUrl])) {
    if (!url) continue;
    scope.session.send('TransferCompleted', url, {
      baseUrl: scope.documentUrl,
      params: { TransferCause: cause, Target: target, Duration: String(durationSeconds), ...(recordUrl === undefined ? {} : { RecordURL: recordUrl }) },
    });
  }
}

/**
 * The script goes on after a failed transfer. In api-extension context FinishedUrl hears
 * TransferCompleted while the verb runs, so its reply counts (docs/engine.md): verbs replace the rest
 * of the document, an empty reply continues. CallbackUrl (and third-party FinishedUrl) only hear it.
 */
async function failed(scope: VerbScope, a: TransferUrls, cause: TransferCause, target: string): Promise<VerbOutcome> {
  const { session } = scope;
  session.variables.set('TransferCause', cause);
  const finishedUrl = a.FinishedUrl;
  const callbackUrl = a.CallbackUrl;
  const params = { TransferCause: cause, Target: target, Duration: '0' };
  if (callbackUrl && callbackUrl !== finishedUrl) session.send('TransferCompleted', callbackUrl, { baseUrl: scope.documentUrl, params });
  if (!finishedUrl) return outcome(cause);
  if (scope.context !== 'api-extension') {
    session.send('TransferCompleted', finishedUrl, { baseUrl: scope.documentUrl, params });
    return outcome(cause);
  }
  const reply = await session.fetch('TransferCompleted', finishedUrl, { baseUrl: scope.documentUrl, context: 'api-extension', params });
  if (reply.kind === 'empty') return outcome(cause);
  return outcome(cause, { kind: 'replace', program: reply.program, url: reply.url });
}

function succeeded(scope: VerbScope, a: TransferUrls, target: string, targetLegId: string | undefined, recording?: Promise<SwitchRecording>): VerbOutcome {
  const { session } = scope;
  session.variables.set('TransferCause', 'completed');
  session.leftCall = true;
  // FinishedUrl hears about the transferred call when it ends (ID, caller, callee, duration): the
  // call layer reports the end of a handed-off call as the end of its bridge.
  if (targetLegId && (a.FinishedUrl || a.CallbackUrl)) {
    const { calls, clock } = session.services;
    const since = clock.now();
    const stop = calls.subscribe((event) => {
      if (event.type !== 'bridge.ended' || (event.legId !== targetLegId && event.peerLegId !== targetLegId)) return;
      stop();
      const duration = (clock.now() - since) / 1000;
      // A recorded transfer (Record="true") is finished once the call ends: its URL goes with the notification.
      if (!recording) notifyCompleted(scope, a, 'completed', target, duration);
      else {
        recording.then(
          (file) => notifyCompleted(scope, a, 'completed', target, duration, file.url),
          () => notifyCompleted(scope, a, 'completed', target, duration),
        );
      }
    });
  }
  return outcome('completed', end('transferred'));
}

/**
 * A transfer refused or cut short. A refused option or a wrong state is the script's problem: an
 * error event, and the script goes on with `failed` / `invalid-state` (docs/transfers.md: failure
 * continues). When the session is ending under the transfer (the caller hung up, a limit, a stop),
 * FinishedUrl and CallbackUrl still hear how the transfer ended, then the error goes on up.
 */
async function refused(scope: VerbScope, a: TransferUrls, error: unknown, channel: CallChannel, target: string, verb: string): Promise<VerbOutcome> {
  const { session } = scope;
  if (error instanceof InvalidOptionError || (error instanceof InvalidStateError && !scope.signal.aborted)) {
    const cause: TransferCause = error instanceof InvalidOptionError ? 'failed' : 'invalid-state';
    session.emit({ type: 'error', code: error instanceof InvalidOptionError ? 'invalid-option' : 'invalid-state', message: error.message, verb });
    return failed(scope, a, cause, target);
  }
  if (error instanceof HangupError && scope.context === 'third-party' && !scope.signal.aborted) {
    // The party to move hung up (its transferor may be gone already).
    session.emit({ type: 'error', code: 'caller-hangup', message: error.message, verb });
    return failed(scope, a, 'caller-hangup', target);
  }
  if (isAbortError(error) || scope.signal.aborted || error instanceof HangupError) {
    const cause = channel.snapshot().releaseCause === 'remote-hangup' ? 'caller-hangup' : 'cancelled';
    notifyCompleted(scope, a, channel.transferCause() ?? cause, target, 0);
  }
  throw error;
}

export const blindTransfer: VerbExecutor<'BlindTransfer'> = async (_node, attributes, scope) => {
  const a = attributes.values;
  const target = a.Target;
  const whisper = whisperOf(a);
  if (typeof whisper === 'string') {
    // Only a templated voice, gender or locale gets here: lint refuses written ones (whisper-voice-mismatch).
    scope.session.emit({ type: 'error', code: 'invalid-option', message: whisper, verb: 'BlindTransfer' });
    return failed(scope, a, 'failed', target);
  }
  const callerId = a.CallerId;
  const displayName = a.CallerDisplayName;
  const reason = a.DiversionReason;
  const options = {
    signal: scope.signal,
    timeoutSeconds: a.Timeout,
    ringbackTone: a.RingbackTone,
    diversionTreatment: a.DiversionTreatment,
    record: a.Record,
    recordFormat: a.RecordFormat,
    ...(callerId ? { callerId } : {}),
    ...(displayName ? { callerDisplayName: displayName } : {}),
    ...(whisper ? { whisper } : {}),
    ...(reason ? { diversionReason: reason } : {}),
  };
  let channel: CallChannel;
  let orphaned = false;
  if (attributes.context === 'third-party') {
    // TransferorParty performs the transfer and leaves; the other party moves (docs/transfers.md).
    let legs: ReturnType<typeof legsOfCall>;
    try {
      legs = legsOfCall(scope, callIdOf(scope, attributes.values.CallId));
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      scope.session.emit({ type: 'error', code: 'not-found', message: `BlindTransfer: ${error.message}`, verb: 'BlindTransfer' });
      return failed(scope, a, 'not-found', target);
    }
    const { caller, callee } = legs;
    const transferor = attributes.values.TransferorParty === 'caller' ? caller : callee;
    const moved = transferor === caller ? callee : caller;
    if (!moved) {
      const message = `BlindTransfer: call ${caller.id} has no ${transferor === caller ? 'callee' : 'caller'} to transfer`;
      scope.session.emit({ type: 'error', code: 'invalid-state', message, verb: 'BlindTransfer' });
      return failed(scope, a, 'invalid-state', target);
    }
    // Refuse bad options while the call is still whole: the transferor has not left yet.
    try {
      moved.checkBlindTransfer(target, options);
    } catch (error) {
      return refused(scope, a, error, moved, target, 'BlindTransfer');
    }
    if (transferor?.can('hangup')) await transferor.hangup('transferred', { signal: scope.signal });
    channel = moved;
    orphaned = true;
  } else channel = ownChannel(scope);
  const callbackUrl = a.CallbackUrl;
  const follower = callbackUrl ? followNewLeg(scope, callbackUrl, channel) : undefined;
  let result: Awaited<ReturnType<CallChannel['blindTransfer']>>;
  try {
    result = await channel.blindTransfer(target, options);
  } catch (error) {
    follower?.stop();
    if (orphaned && !scope.signal.aborted && channel.can('hangup')) await channel.hangup('normal');
    return refused(scope, a, error, channel, target, 'BlindTransfer');
  }
  if (result.cause === 'completed') return succeeded(scope, a, target, result.targetLegId, result.recording);
  follower?.stop();
  // Third-party: the transferor has left already; nobody is left for the moved party to talk to.
  if (orphaned && channel.can('hangup')) await channel.hangup('normal');
  return failed(scope, a, result.cause, target);
};

/** Waits for the target to press AcceptKey on the consult leg. */
async function accepted(consult: CallChannel, key: string, signal: AbortSignalLike): Promise<boolean> {
  const entry = await consult.collectDigits({ exact: 1, terminator: null, firstDigitTimeoutSeconds: ACCEPT_WINDOW_SECONDS, signal });
  return entry.digits === key;
}

async function retrieveCaller(channel: CallChannel, signal: AbortSignalLike): Promise<void> {
  if (channel.can('retrieve')) await channel.retrieve({ signal });
}

/**
 * What the target answered with the Consult block's UserInputs (docs/transfers.md, "AcceptKey and
 * a UserInput in Consult"): a UserInput consumes the key pressed, so AcceptKey counts there too.
 * `accepted`: an entry was exactly AcceptKey. `declined`: the block ends with a UserInput whose
 * last entry was another key (the target's answer to the last question). Else `open`: the target
 * still has the accept window after the block.
 */
type ConsultAnswer = 'accepted' | 'declined' | 'open';

async function runConsultBlock(scope: VerbScope, consult: CallChannel, block: readonly ProgramNode[], key: string | undefined): Promise<ConsultAnswer> {
  let accepted = false;
  let last = '';
  const stop = consult.subscribe((event) => {
    if (event.type !== 'digits.collected') return;
    last = event.digits;
    if (key !== undefined && event.digits === key) accepted = true;
  });
  try {
    await runOnLeg(scope, consult, block);
  } finally {
    stop();
  }
  if (key === undefined) return 'open';
  if (accepted) return 'accepted';
  return block.at(-1)?.name === 'UserInput' && last !== '' ? 'declined' : 'open';
}

/**
 * Runs the consultation on an answered consult leg: the Consult block, then AcceptKey, then the
 * completion. Returns the cause; `completed` means both interpreter legs are Released.
 */
type AttendedValues = AttributesIn<VerbSpecOf<'AttendedTransfer'>, 'api-extension'>;

/**
 * Reads the leg's state afresh: a leg can be released while a transfer step awaits, which
 * TypeScript's narrowing of an earlier `state` check cannot know.
 */
function isReleased(leg: CallChannel): boolean {
  return leg.state === 'Released';
}

async function consultAndComplete(a: AttendedValues, scope: VerbScope, consult: CallChannel, consultBlock: readonly ProgramNode[]): Promise<TransferCause> {
  const key = a.AcceptKey;
  const answer = consultBlock.length > 0 ? await runConsultBlock(scope, consult, consultBlock, key) : 'open';
  if (consult.state === 'Released') return 'target-hangup';
  if (answer === 'declined') return 'not-accepted';
  // The target hanging up during the wait is a decline; the session ending is not.
  const decline = (error: unknown): false => {
    if (scope.signal.aborted) throw error;
    return false;
  };
  if (key !== undefined && answer === 'open' && !(await accepted(consult, key, scope.signal).catch(decline))) {
    return isReleased(consult) ? 'target-hangup' : 'not-accepted';
  }
  try {
    return (await consult.completeTransfer({ signal: scope.signal })).cause;
  } catch (error) {
    if (scope.signal.aborted || !(error instanceof HangupError || error instanceof InvalidStateError)) throw error;
    // A party hung up while the switch connected them.
    return isReleased(consult) ? 'target-hangup' : 'caller-hangup';
  }
}

async function attendedTwoStep(a: AttendedValues, scope: VerbScope, consultBlock: readonly ProgramNode[]): Promise<VerbOutcome> {
  const channel = ownChannel(scope);
  const target = a.Target;
  const callerId = a.CallerId;
  const holdMusic = a.HoldMusic;
  let consult: CallChannel;
  try {
    consult = await channel.initiateTransfer(target, {
      signal: scope.signal,
      timeoutSeconds: a.Timeout,
      ...(callerId ? { callerId } : {}),
      ...(holdMusic ? { holdMusic } : {}),
    });
  } catch (error) {
    return refused(scope, a, error, channel, target, 'AttendedTransfer');
  }
  let cause: TransferCause;
  try {
    const answer = await consult.waitForAnswer({ signal: scope.signal });
    cause = answer === 'answered' ? await consultAndComplete(a, scope, consult, consultBlock) : (channel.transferCause() ?? causeOfUnansweredTarget(answer));
  } catch (error) {
    // The caller hung up or the session is ending: the consult leg goes, the transfer is over.
    // Released with the transfer's cause (caller-hangup when the caller left), as docs/transfers.md promises.
    if (consult.can('hangup')) await consult.hangup(channel.transferCause() === 'caller-hangup' ? 'caller-hangup' : 'cancelled').catch(() => {});
    return refused(scope, a, error, channel, target, 'AttendedTransfer');
  }
  if (cause === 'completed') return succeeded(scope, a, target, consult.id);
  // Any failure: the consult leg is released with the cause (so transfer.ended says the same), the caller retrieved.
  if (consult.can('hangup')) await consult.hangup(cause).catch(() => {});
  if (isReleased(channel)) return outcome('caller-hangup', end('caller-hangup'));
  await retrieveCaller(channel, scope.signal);
  return failed(scope, a, cause, target);
}

/** Third-party form (Ozeki's AttendedTransfer example): the transferor leaves two calls, their remaining parties are connected. */
async function attendedJoin(a: AttributesIn<VerbSpecOf<'AttendedTransfer'>, 'third-party'>, scope: VerbScope): Promise<VerbOutcome> {
  const targetCallId = a.TargetCallId;
  // Run-time default (docs/verbs.md): the call of the notification.
  const transferredCallId = a.TransferredCallId ?? scope.session.identity.callId;
  const plan = planJoin(scope, a.TransferorParty, transferredCallId, targetCallId);
  if (!('moved' in plan)) {
    scope.session.emit({ type: 'error', code: plan.cause, message: plan.message, verb: 'AttendedTransfer' });
    return failed(scope, a, plan.cause, targetCallId);
  }
  const cause = await join(scope, plan);
  if (cause === 'completed') return succeeded(scope, a, targetCallId, plan.target.id);
  return failed(scope, a, cause, targetCallId);
}

export const attendedTransfer: VerbExecutor<'AttendedTransfer'> = async (node, a, scope) => {
  if (a.context === 'third-party') return attendedJoin(a.values, scope);
  const consultBlock = node.children.find((child) => child.name === 'Consult')?.children ?? [];
  return attendedTwoStep(a.values, scope, consultBlock);
};

export const transferToService: VerbExecutor<'TransferToService'> = async (_node, { values: a }, scope) => {
  const channel = ownChannel(scope);
  const service = a.Service;
  const timeout = a.Timeout;
  const callFrom = a.CallFrom;
  const other = scope.session.services.calls.createChannel();
  let state: Awaited<ReturnType<CallChannel['transferToInboundService']>>;
  try {
    state = await channel.transferToInboundService(other, service, {
      signal: scope.signal,
      ringbackTone: a.RingbackTone,
      timeoutSeconds: timeout === 0 ? null : timeout,
      ...(callFrom ? { callFrom } : {}),
    });
  } catch (error) {
    return refused(scope, NO_URLS, error, channel, service, 'TransferToService');
  }
  if (state !== 'Transferred') return failed(scope, NO_URLS, channel.transferCause() ?? 'failed', service);
  // The service has the call; the script waits until it comes back (the Aculab channel API's retrieval).
  const cause = await channel.waitForTransferredCallRetrieval({ signal: scope.signal });
  scope.session.variables.set('TransferCause', cause);
  if (channel.state === 'Released') return outcome(cause, end('caller-hangup'));
  return outcome(cause);
};
