/**
 * The narrow interface under the channel API. A switch moves signalling and media for legs; it
 * knows nothing about leg states, capabilities or transfers (the call layer above it owns those),
 * so a SIP B2BUA can implement it without changes to the executor:
 *
 * - originate = INVITE (the caller picks the leg id), answer = 200 OK, reject = 486/603,
 *   release = BYE or CANCEL, hold/retrieve = re-INVITE (sendonly + music / sendrecv),
 *   bridge = relay RTP between two legs, sendDtmf = RFC 4733 events.
 * - Bridged legs: media played on a bridged leg goes to that leg's party only, replacing what it
 *   hears from the other party while it plays (the relay the other way and the bridge stay up);
 *   holding a bridged leg suspends its side of the relay and plays music, retrieving resumes it —
 *   the bridge lasts until `unbridge`, `bridge` to another leg, or a release.
 * - Outcomes of a dialled leg and everything the far end does arrive as `SwitchEvent`s.
 * - Every long operation takes an abort signal and stops at once when it aborts, rejecting with
 *   `signal.reason`. It is an `AbortSignal` or the call layer's cheaper `OperationSignal`
 *   (`AbortSignalLike`: `aborted`, `reason`, `abort` listeners, `throwIfAborted`). Media promises resolve `'hangup'` when the leg ends while they run.
 */
import type { AbortSignalLike } from './abort.js';
import type { Diversion } from './diversion.js';
import type { ToneDefinition } from './tones.js';

export interface SwitchOperationOptions {
  signal?: AbortSignalLike;
}

export interface OriginateRequest {
  /** Chosen by the caller; unique on this switch. */
  legId: string;
  to: string;
  /** Calling number; `anonymous` with `privacy` for a private caller ID. */
  from: string;
  privacy: boolean;
  displayName?: string;
  /** Diversion headers to send, top-most first. */
  diversions: readonly Diversion[];
}

export interface SpeechRequest {
  text: string;
  voice?: string;
  gender?: string;
  language?: string;
}

export interface ToneRequest {
  name: string;
  definition: ToneDefinition;
  /** Stop after this long; looping tones otherwise play until the signal aborts or the leg ends. */
  durationMs?: number;
}

export type RecordingFormat = 'wav' | 'mp3';
/** `max-duration`, `silence` (inactivity), `digit` (a finish digit), `hangup` (the leg ended). */
export type RecordingEnd = 'max-duration' | 'silence' | 'digit' | 'hangup';

export interface RecordRequest {
  format: RecordingFormat;
  /**
   * Record the call rather than the far end: what the leg's party says mixed with what it hears
   * (the party it is bridged to, prompts, hold music). Such a recording goes on through hold and
   * bridge changes and ends with the leg (or `maxSeconds`).
   */
  bothDirections?: boolean;
  maxSeconds?: number;
  inactivitySeconds?: number;
  /** DTMF digits that end the recording (the digit is not part of it). */
  finishDigits?: string;
}

export interface SwitchRecording {
  /** Local path of the finished file. */
  file: string;
  url: string;
  durationSeconds: number;
  endedBy: RecordingEnd;
}

export interface HoldRequest {
  /** Hold music: a tone name or an audio URL/path; the switch's default when absent. */
  music?: string;
}

export type RejectReason = 'busy' | 'rejected';
export type SwitchMediaOutcome = 'completed' | 'hangup';

/** What dialled legs report before they are answered. */
export type DialFailure = 'busy' | 'no-answer' | 'rejected' | 'not-found' | 'failed';

export type SwitchEvent =
  | {
      type: 'incoming';
      legId: string;
      from: string;
      to: string;
      displayName?: string;
      diversions?: readonly Diversion[];
      /** From an extension of this platform (Genesys callType Internal). */
      internal?: boolean;
    }
  | { type: 'ringing'; legId: string }
  | { type: 'answered'; legId: string }
  | { type: DialFailure; legId: string }
  /** The far end hung up (or the network dropped the leg). */
  | { type: 'hangup'; legId: string }
  | { type: 'dtmf'; legId: string; digit: string }
  /** The far end handed the call back (e.g. an inbound service returning a retrievable transfer). */
  | { type: 'transfer-back'; legId: string };

export type SwitchEventListener = (event: SwitchEvent) => void;

export interface Switch {
  subscribe(listener: SwitchEventListener): () => void;
  /** Starts an outbound leg. Resolves once the attempt exists; its outcome comes as events. */
  originate(request: OriginateRequest, options?: SwitchOperationOptions): Promise<void>;
  answer(legId: string, options?: SwitchOperationOptions): Promise<void>;
  reject(legId: string, reason: RejectReason, options?: SwitchOperationOptions): Promise<void>;
  /** Ends a leg from this side (BYE, or CANCEL while dialling). No event follows. */
  release(legId: string, cause: string): Promise<void>;
  playAudio(legId: string, source: string, options?: SwitchOperationOptions): Promise<SwitchMediaOutcome>;
  playSpeech(legId: string, speech: SpeechRequest, options?: SwitchOperationOptions): Promise<SwitchMediaOutcome>;
  playTone(legId: string, tone: ToneRequest, options?: SwitchOperationOptions): Promise<SwitchMediaOutcome>;
  /**
   * The application listens for DTMF on the leg until `signal` aborts, which it does when the
   * collection ends (digits arrive as `dtmf` events either way; a switch may use this to enable
   * detection, the sim to press "when prompted"). Implementations must listen for the signal's
   * `abort` event: the call layer only aborts an ended operation's signal when something listens.
   */
  collectDtmf(legId: string, options: { signal: AbortSignalLike }): void;
  /**
   * Records what the far end says (or, with `bothDirections`, the call); ends by max duration,
   * inactivity, a finish digit or hangup.
   */
  record(legId: string, request: RecordRequest, options?: SwitchOperationOptions): Promise<SwitchRecording>;
  sendDtmf(legId: string, digits: string, options?: SwitchOperationOptions): Promise<void>;
  hold(legId: string, request: HoldRequest, options?: SwitchOperationOptions): Promise<void>;
  retrieve(legId: string, options?: SwitchOperationOptions): Promise<void>;
  /** Joins the audio of two answered legs. */
  bridge(legA: string, legB: string, options?: SwitchOperationOptions): Promise<void>;
  /** Separates a leg from the leg it is bridged to. */
  unbridge(legId: string, options?: SwitchOperationOptions): Promise<void>;
  /** True when `address` is an extension of this platform (calls to it are Internal). Optional. */
  isExtension?(address: string): boolean;
}
