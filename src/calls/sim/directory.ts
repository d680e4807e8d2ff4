/**
 * Behaviours of the simulated parties: who answers, after how long, what they press and say, when
 * they hang up. Plain data, so scenario files can carry it.
 */

/** What happens when the party is called. */
export type CallResponse = 'answer' | 'busy' | 'no-answer' | 'reject' | 'not-found';

export interface DigitPresses {
  /** Digits pressed one after the other. */
  digits: string;
  /**
   * Seconds after the call was answered. Without it the digits are pressed "when prompted": when
   * the application next starts collecting digits on the leg (entries are used in order).
   */
  afterAnswerSeconds?: number;
  /** "When prompted" only: seconds after collection starts before the first digit. Default 1. */
  afterPromptSeconds?: number;
  /** Seconds between digits. Default 0.5. */
  gapSeconds?: number;
}

/** The party talks (is not silent) from `afterSeconds` after answer for `seconds`; matters to recording inactivity. */
export interface Utterance {
  afterSeconds?: number;
  seconds: number;
}

/**
 * When a party that does nothing else gives up on a call that would otherwise never end: the
 * default caller of a plain `ozml run` (docs/dry-run.md).
 */
export interface GiveUp {
  /** Hangs up as the same prompt (the same text, audio or tone) finishes playing this many times. */
  promptRepeats?: number;
  /**
   * Hangs up after this many seconds of silence into a recording that only a key could end (no
   * maximum duration, no inactivity limit); what `speaks` says is not silence.
   */
  recordingSeconds?: number;
}

/** The default caller: hangs up after hearing the same prompt twice, or 10 s into an endless recording. */
export const DEFAULT_CALLER_GIVE_UP: Readonly<Required<GiveUp>> = { promptRepeats: 2, recordingSeconds: 10 };

export interface PartyBehaviour {
  /** Default `answer`. */
  response?: CallResponse;
  /**
   * Ringing time in seconds. `answer`/`reject`: before answering/rejecting (default 2).
   * `busy`/`not-found`: before the failure arrives (default 0). `no-answer`: when the network
   * gives up with `no-answer` (default: rings until the caller cancels).
   */
  ringSeconds?: number;
  /** Hangs up this many seconds after the call is answered. */
  hangupAfterSeconds?: number;
  /** Hangs up (or abandons while ringing) this many seconds after the call started. */
  hangupAtSeconds?: number;
  presses?: readonly DigitPresses[];
  speaks?: readonly Utterance[];
  /** A service that hands the call back (retrieval) this many seconds after answering. */
  transferBackAfterSeconds?: number;
  /** An extension of this platform: calls to it are Internal. */
  extension?: boolean;
  /** Hangs up on a call that would never end (default: waits forever, until the run's time limit). */
  giveUp?: GiveUp;
}

export const DEFAULT_RING_SECONDS = 2;
export const DEFAULT_PROMPT_DELAY_SECONDS = 1;
export const DEFAULT_DIGIT_GAP_SECONDS = 0.5;
/** Sending one DTMF digit takes 100 ms of tone and 100 ms of pause. */
export const DTMF_DIGIT_MS = 200;
