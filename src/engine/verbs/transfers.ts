/**
 * The transfer verbs (design.md §6) on top of the channel API's transfer operations. One cause
 * vocabulary: `$TransferCause`, `transfer.ended` events and TransferCompleted notifications.
 * Success: the interpreter has left the call, the script ends. Failure: the script continues.
 */
import type { CallChannel } from '../../calls/channel.js';
import type { DiversionReason, DiversionTreatment } from '../../calls/diversion.js';
import { causeOfUnansweredTarget } from '../../calls/transfer-causes.js';
import type { TransferCause } from '../../calls/transfer-causes.js';
import type { Whisper } from '../../calls/transfer-options.js';
import { end } from '../flow.js';
import type { Attributes } from '../resolve.js';
import { outcome } from '../run.js';
import type { VerbExecutor, VerbOutcome } from '../run.js';
import type { VerbScope } from '../runtime.js';
import { callIdOf, legsOfCall, ownChannel } from './party.js';

/** Seconds the target of an AttendedTransfer has to press AcceptKey after the Consult block. */
export const ACCEPT_WINDOW_SECONDS = 10;

function whisperOf(a: Attributes): Whisper | undefined {
  const audio = a.string('WhisperAudio');
  if (audio) return { audio };
  const text = a.string('Whisper');
  if (!text) return undefined;
  return {
    text,
    ...(a.string('WhisperVoice') ? { voice: a.string('WhisperVoice')! } : {}),
    ...(a.string('WhisperGender') ? { gender: a.string('WhisperGender')! } : {}),
    ...(a.string('WhisperLocale') ? { locale: a.string('WhisperLocale')! } : {}),
  };
}

/** Sends TransferCompleted (cause, target, duration) to FinishedUrl and CallbackUrl, if given. */
function notifyCompleted(scope: VerbScope, a: Attributes, cause: TransferCause, target: string, durationSeconds: number): void {
  for (const url of new Set([a.string('FinishedUrl'), a.string('CallbackUrl')])) {
    if (!url) continue;
    scope.session.send('TransferCompleted', url, {
      baseUrl: scope.documentUrl,
      params: { TransferCause: cause, Target: target, Duration: String(durationSeconds) },
    });
  }
}

/** Sends the new leg's state changes to CallbackUrl as CallChanged notifications until it ends. */
function followNewLeg(scope: VerbScope, a: Attributes, legId: string | undefined): void {
  const url = a.string('CallbackUrl');
  const leg = legId ? scope.session.services.calls.channel(legId) : undefined;
  if (!url || !leg) return;
  const stop = leg.subscribe((event) => {
    if (event.type !== 'leg.state') return;
    scope.session.send('CallChanged', url, {
      baseUrl: scope.documentUrl,
      params: { CallId: legId!, CallState: leg.snapshot().names.ozeki ?? 'Completed', ...(event.cause ? { Cause: event.cause } : {}) },
    });
    if (event.state === 'Released') stop();
  });
}

function failed(scope: VerbScope, a: Attributes, cause: TransferCause, target: string): VerbOutcome {
  scope.session.variables.set('TransferCause', cause);
  notifyCompleted(scope, a, cause, target, 0);
  return outcome(cause);
}

function succeeded(scope: VerbScope, a: Attributes, target: string, targetLegId: string | undefined): VerbOutcome {
  const { session } = scope;
  session.variables.set('TransferCause', 'completed');
  session.leftCall = true;
  // FinishedUrl hears about the transferred call when it ends (ID, caller, callee, duration).
  const leg = targetLegId ? session.services.calls.channel(targetLegId) : undefined;
  if (leg) {
    const stop = leg.subscribe((event) => {
      if (event.type === 'leg.state' && event.state === 'Released') {
        stop();
        notifyCompleted(scope, a, 'completed', target, leg.snapshot().talkSeconds);
      }
    });
  } else notifyCompleted(scope, a, 'completed', target, 0);
  return outcome('completed', end('transferred'));
}

export const blindTransfer: VerbExecutor = async (_node, a, scope) => {
  const target = a.string('Target') ?? '';
  let channel: CallChannel;
  if (scope.context === 'third-party') {
    // TransferorParty performs the transfer and leaves; the other party moves (docs/engine.md).
    const { caller, callee } = legsOfCall(scope, callIdOf(scope, a));
    const transferor = a.string('TransferorParty') === 'caller' ? caller : callee;
    const moved = transferor === caller ? callee : caller;
    if (!moved) return failed(scope, a, 'invalid-state', target);
    if (transferor?.can('hangup')) await transferor.hangup('transferred', { signal: scope.signal });
    channel = moved;
  } else channel = ownChannel(scope);
  const whisper = whisperOf(a);
  const callerId = a.string('CallerId');
  const displayName = a.string('CallerDisplayName');
  const reason = a.string('DiversionReason');
  const result = await channel.blindTransfer(target, {
    signal: scope.signal,
    timeoutSeconds: a.number('Timeout') ?? 30,
    ringbackTone: a.string('RingbackTone') ?? 'ringback-us',
    diversionTreatment: (a.string('DiversionTreatment') ?? 'none') as DiversionTreatment,
    record: a.boolean('Record'),
    recordFormat: (a.string('RecordFormat') ?? 'wav') as 'wav' | 'mp3',
    ...(callerId ? { callerId } : {}),
    ...(displayName ? { callerDisplayName: displayName } : {}),
    ...(whisper ? { whisper } : {}),
    ...(reason ? { diversionReason: reason as DiversionReason } : {}),
  });
  followNewLeg(scope, a, result.targetLegId);
  if (result.cause === 'completed') return succeeded(scope, a, target, result.targetLegId);
  return failed(scope, a, result.cause, target);
};

/** Waits for the target to press AcceptKey on the consult leg. */
async function accepted(consult: CallChannel, key: string, signal: AbortSignal): Promise<boolean> {
  const entry = await consult.collectDigits({ exact: 1, terminator: null, firstDigitTimeoutSeconds: ACCEPT_WINDOW_SECONDS, signal });
  return entry.digits === key;
}

async function retrieveCaller(channel: CallChannel, signal: AbortSignal): Promise<void> {
  if (channel.can('retrieve')) await channel.retrieve({ signal });
}

async function attendedTwoStep(a: Attributes, scope: VerbScope, consultBlock: readonly import('../../language/index.js').ProgramNode[]): Promise<VerbOutcome> {
  const channel = ownChannel(scope);
  const target = a.string('Target') ?? '';
  const callerId = a.string('CallerId');
  const holdMusic = a.string('HoldMusic');
  const consult = await channel.initiateTransfer(target, {
    signal: scope.signal,
    timeoutSeconds: a.number('Timeout') ?? 30,
    ...(callerId ? { callerId } : {}),
    ...(holdMusic ? { holdMusic } : {}),
  });
  let cause: TransferCause | undefined;
  try {
    const answer = await consult.waitForAnswer({ signal: scope.signal });
    if (answer !== 'answered') {
      cause = channel.transferCause() ?? causeOfUnansweredTarget(answer);
    } else {
      if (consultBlock.length > 0) {
        try {
          await scope.runBlock(consultBlock, { channel: consult });
        } catch (error) {
          if (scope.signal.aborted) throw error;
        }
      }
      if (consult.state === 'Released') cause = 'target-hangup';
      else {
        const key = a.string('AcceptKey');
        if (key !== undefined && !(await accepted(consult, key, scope.signal).catch(() => false))) {
          cause = (consult.state as string) === 'Released' ? 'target-hangup' : 'not-accepted';
        } else {
          const result = await consult.completeTransfer({ signal: scope.signal });
          if (result.cause === 'completed') return succeeded(scope, a, target, consult.id);
          cause = result.cause;
        }
      }
    }
  } finally {
    if (cause !== undefined || scope.signal.aborted) {
      if (consult.can('hangup')) await consult.hangup('cancelled').catch(() => {});
    }
  }
  if ((channel.state as string) === 'Released') return outcome('caller-hangup', end('caller-hangup'));
  await retrieveCaller(channel, scope.signal);
  return failed(scope, a, cause ?? 'failed', target);
}

export const attendedTransfer: VerbExecutor = async (node, a, scope) => {
  if (scope.context === 'third-party') {
    scope.session.emit({
      type: 'error', code: 'not-implemented',
      message: 'AttendedTransfer joining two existing calls (third-party) is not supported by this switch yet',
      verb: 'AttendedTransfer',
    });
    return failed(scope, a, 'failed', a.string('TargetCallId') ?? '');
  }
  const consultBlock = node.children.find((child) => child.name === 'Consult')?.children ?? [];
  return attendedTwoStep(a, scope, consultBlock);
};

export const transferToService: VerbExecutor = async (_node, a, scope) => {
  const channel = ownChannel(scope);
  const service = a.string('Service') ?? '';
  const timeout = a.number('Timeout') ?? 120;
  const callFrom = a.string('CallFrom');
  const other = scope.session.services.calls.createChannel();
  const state = await channel.transferToInboundService(other, service, {
    signal: scope.signal,
    ringbackTone: a.string('RingbackTone') ?? 'ringback-us',
    timeoutSeconds: timeout === 0 ? null : timeout,
    ...(callFrom ? { callFrom } : {}),
  });
  if (state !== 'Transferred') return failed(scope, a, channel.transferCause() ?? 'failed', service);
  const cause = await channel.waitForTransferredCallRetrieval({ signal: scope.signal });
  scope.session.variables.set('TransferCause', cause);
  if (channel.state === 'Released') return outcome(cause, end('caller-hangup'));
  return outcome(cause);
};
