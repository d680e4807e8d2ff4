/**
 * Media operations: speech, audio, tones, recording, sending DTMF. On a leg bridged to another
 * party the switch plays prompts to that leg's party only, and `recordCall` records the call in
 * the background (docs/calls.md, "Two-party calls").
 */
import { LinkedAbort, type AbortSignalLike } from './abort.js';
import type { CallContext } from './context.js';
import { HangupError, InvalidOptionError, InvalidStateError } from './errors.js';
import type { MediaEnd } from './events.js';
import { assertCan, beginOperation, endOperation, resolveTone, runOperation, type RunningAbort } from './leg-ops.js';
import type { Leg } from './leg.js';
import type { RecordingFormat, SwitchMediaOutcome, SwitchRecording, SpeechRequest, ToneRequest } from './switch.js';
import { toSwitchError, type SwitchOperation } from './switch-error.js';

export interface OperationOptions {
  /**
   * Aborting stops the operation at once; its promise rejects with `signal.reason`. An
   * `AbortSignal`, or any signal with its `aborted` / `reason` / `abort` event (`OperationSignal`).
   */
  signal?: AbortSignalLike;
}

export interface SpeakOptions extends OperationOptions {
  voice?: string;
  gender?: string;
  /** Locale, e.g. `en-US`. */
  language?: string;
}

export interface PlayOptions extends OperationOptions {
  /** Total number of plays (default 1); `Infinity` loops until the timeout, an abort or hangup. */
  repeat?: number;
  /** Stop playing after this many seconds (the result says `timeout`). */
  timeoutSeconds?: number;
}

export interface PlayResult {
  endedBy: 'completed' | 'timeout';
  /** Plays that ran to their end. */
  plays: number;
}

export interface ToneOptions extends OperationOptions {
  /** Required to end a looping tone (ringback) other than by abort or hangup. */
  durationSeconds?: number;
}

export interface RecordOptions extends OperationOptions {
  maxSeconds?: number;
  /** End after this much silence from the far end. */
  inactivitySeconds?: number;
  /** DTMF digits that end the recording, e.g. `#`. */
  finishDigits?: string;
  /** Default `wav`. */
  format?: RecordingFormat;
}

export interface CallRecordingOptions extends OperationOptions {
  /** Default `wav`. */
  format?: RecordingFormat;
  /** End the recording after this many seconds. */
  maxSeconds?: number;
}

export type RecordingResult = SwitchRecording;

/** Abort reason used by `play` when its `timeoutSeconds` expires. */
const PLAY_TIMEOUT = Object.freeze({ name: 'PlayTimeout' });

const DTMF = /^[0-9*#A-D]+$/;

function positive(option: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0)) throw new InvalidOptionError(option, value, `${option} must be a positive number`);
}

function endOf(error: unknown): MediaEnd {
  if (error === PLAY_TIMEOUT) return 'timeout';
  if (error instanceof HangupError) return 'hangup';
  if (error instanceof InvalidStateError) return 'state-change';
  return 'interrupted';
}

/** What to play: the switch call of each kind of media, told apart without a closure per play. */
type MediaRequest =
  | { readonly media: 'speech'; readonly speech: SpeechRequest }
  | { readonly media: 'audio'; readonly audio: string }
  | { readonly media: 'tone'; readonly tone: ToneRequest };

const SWITCH_OPERATION_OF = { speech: 'playSpeech', audio: 'playAudio', tone: 'playTone' } as const satisfies Record<MediaRequest['media'], SwitchOperation>;

/**
 * What a switch operation's rejection becomes for the application: the abort reason when the
 * operation was stopped, otherwise a `SwitchError` (docs/calls.md, "When the switch fails").
 */
function failureOf(operation: SwitchOperation, leg: Leg, signal: AbortSignalLike | undefined, error: unknown): unknown {
  if (signal?.aborted) return signal.reason;
  return toSwitchError(operation, leg.id, error);
}

function startMedia(ctx: CallContext, leg: Leg, request: MediaRequest, signal: AbortSignalLike): Promise<SwitchMediaOutcome> {
  const sw = ctx.sw;
  switch (request.media) {
    case 'speech':
      return sw.playSpeech(leg.id, request.speech, { signal });
    case 'audio':
      return sw.playAudio(leg.id, request.audio, { signal });
    case 'tone':
      return sw.playTone(leg.id, request.tone, { signal });
  }
}

/**
 * Plays one piece of media with `media.started` / `media.ended` events around it. `running` is
 * the operation it is (speak, playTone), ended with it: `runOperation` spelt out, so a prompt is
 * one async function without closures rather than three (bench:calls).
 */
async function playMedia(
  ctx: CallContext,
  leg: Leg,
  operation: string,
  source: string,
  signal: AbortSignalLike,
  request: MediaRequest,
  running?: RunningAbort,
): Promise<void> {
  const media = request.media;
  ctx.emit(leg, { type: 'media.started', time: ctx.clock.now(), legId: leg.id, media, source });
  let endedBy: MediaEnd = 'completed';
  try {
    if ((await startMedia(ctx, leg, request, signal)) === 'hangup') {
      endedBy = 'hangup';
      throw new HangupError(leg.id, operation, leg.state, leg.releaseCause);
    }
  } catch (error) {
    if (endedBy === 'hangup') throw error;
    const failure = failureOf(SWITCH_OPERATION_OF[media], leg, signal, error);
    endedBy = endOf(failure);
    throw failure;
  } finally {
    ctx.emit(leg, { type: 'media.ended', time: ctx.clock.now(), legId: leg.id, media, source, endedBy });
    if (running) endOperation(leg, running);
  }
}

/** `playMedia` as a running operation of its own (speak, playTone). */
function mediaOperation(
  ctx: CallContext,
  leg: Leg,
  operation: 'speak' | 'playTone',
  source: string,
  callerSignal: AbortSignalLike | undefined,
  request: MediaRequest,
): Promise<void> {
  let running: RunningAbort;
  try {
    running = beginOperation(leg, operation, callerSignal);
  } catch (error) {
    return Promise.reject(error);
  }
  return playMedia(ctx, leg, operation, source, running, request, running);
}

export function speak(ctx: CallContext, leg: Leg, text: string, options: SpeakOptions = {}): Promise<void> {
  // Assigned one by one: spreading empty objects for the absent options cost three allocations.
  const speech: SpeechRequest = { text };
  if (options.voice !== undefined) speech.voice = options.voice;
  if (options.gender !== undefined) speech.gender = options.gender;
  if (options.language !== undefined) speech.language = options.language;
  return mediaOperation(ctx, leg, 'speak', text, options.signal, { media: 'speech', speech });
}

export async function play(ctx: CallContext, leg: Leg, audio: string, options: PlayOptions = {}): Promise<PlayResult> {
  const repeat = options.repeat ?? 1;
  if (!(repeat >= 1)) throw new InvalidOptionError('repeat', repeat, 'repeat must be at least 1');
  positive('timeoutSeconds', options.timeoutSeconds);
  return runOperation(leg, 'play', options.signal, async (signal) => {
    const clock = ctx.clock;
    // A linked signal only when a timeout can stop the plays: it costs a controller per play.
    const limit = options.timeoutSeconds === undefined ? undefined : new LinkedAbort(signal);
    const timer =
      options.timeoutSeconds === undefined
        ? undefined
        : clock.setTimer(options.timeoutSeconds * 1000, () => limit?.abort(PLAY_TIMEOUT), `play-timeout ${leg.id}`);
    const playSignal = limit ? limit.signal : signal;
    const request: MediaRequest = { media: 'audio', audio };
    let plays = 0;
    try {
      while (plays < repeat) {
        const started = clock.now();
        await playMedia(ctx, leg, 'play', audio, playSignal, request);
        plays++;
        // Endless repeat of a zero-length file would spin without time passing.
        if (repeat === Infinity && clock.now() === started) break;
      }
      return { endedBy: 'completed' as const, plays };
    } catch (error) {
      if (error === PLAY_TIMEOUT) return { endedBy: 'timeout' as const, plays };
      throw error;
    } finally {
      clock.clearTimer(timer);
      limit?.dispose();
    }
  });
}

export async function playTone(ctx: CallContext, leg: Leg, name: string, options: ToneOptions = {}): Promise<void> {
  positive('durationSeconds', options.durationSeconds);
  const definition = resolveTone(ctx, 'tone', name);
  if (!definition) return runOperation(leg, 'playTone', options.signal, async () => {});
  const tone = {
    name,
    definition,
    ...(options.durationSeconds === undefined ? {} : { durationMs: options.durationSeconds * 1000 }),
  };
  return mediaOperation(ctx, leg, 'playTone', name, options.signal, { media: 'tone', tone });
}

export async function sendDtmf(ctx: CallContext, leg: Leg, digits: string, options: OperationOptions = {}): Promise<void> {
  if (!DTMF.test(digits)) throw new InvalidOptionError('digits', digits, `not DTMF digits: "${digits}" (0-9, *, #, A-D)`);
  return runOperation(leg, 'sendDtmf', options.signal, async (signal) => {
    try {
      await ctx.sw.sendDtmf(leg.id, digits, { signal });
    } catch (error) {
      throw failureOf('sendDtmf', leg, signal, error);
    }
    ctx.emit(leg, { type: 'dtmf.sent', time: ctx.clock.now(), legId: leg.id, digits });
  });
}

function checkFormat(format: RecordingFormat): void {
  if (format !== 'wav' && format !== 'mp3') throw new InvalidOptionError('format', format, 'format must be wav or mp3');
}

export async function record(ctx: CallContext, leg: Leg, options: RecordOptions = {}): Promise<RecordingResult> {
  const format = options.format ?? 'wav';
  checkFormat(format);
  positive('maxSeconds', options.maxSeconds);
  positive('inactivitySeconds', options.inactivitySeconds);
  if (options.finishDigits !== undefined && options.finishDigits !== '' && !DTMF.test(options.finishDigits)) {
    throw new InvalidOptionError('finishDigits', options.finishDigits, `not DTMF digits: "${options.finishDigits}"`);
  }
  const request = {
    format,
    ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
    ...(options.inactivitySeconds === undefined ? {} : { inactivitySeconds: options.inactivitySeconds }),
    ...(options.finishDigits ? { finishDigits: options.finishDigits } : {}),
  };
  return runOperation(
    leg,
    'record',
    options.signal,
    async (signal) => {
      ctx.emit(leg, { type: 'recording.started', time: ctx.clock.now(), legId: leg.id, format });
      let result: SwitchRecording;
      try {
        result = await ctx.sw.record(leg.id, request, { signal });
      } catch (error) {
        throw failureOf('record', leg, signal, error);
      }
      ctx.emit(leg, { type: 'recording.ended', time: ctx.clock.now(), legId: leg.id, ...result });
      return result;
    },
    true,
  );
}

/**
 * A background recording of the call, both directions. Deliberately not a running operation of the
 * leg: holding, retrieving or transferring the call does not stop it, and a leg handed off by a
 * completed transfer keeps being recorded until that call ends (the switch ends it with the leg).
 */
export async function recordCall(ctx: CallContext, leg: Leg, options: CallRecordingOptions = {}): Promise<RecordingResult> {
  const format = options.format ?? 'wav';
  checkFormat(format);
  positive('maxSeconds', options.maxSeconds);
  assertCan(leg, 'recordCall');
  const signal = options.signal;
  signal?.throwIfAborted();
  const request = { format, bothDirections: true, ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }) };
  ctx.emit(leg, { type: 'recording.started', time: ctx.clock.now(), legId: leg.id, format });
  let result: SwitchRecording;
  try {
    result = await ctx.sw.record(leg.id, request, signal ? { signal } : {});
  } catch (error) {
    throw failureOf('record', leg, signal, error);
  }
  ctx.emit(leg, { type: 'recording.ended', time: ctx.clock.now(), legId: leg.id, ...result });
  return result;
}
