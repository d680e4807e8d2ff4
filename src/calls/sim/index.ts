/** The simulated switch (embedded default). */
export { SimSwitch, type InboundCall, type SimLegInfo, type SimLegStatus, type SimSwitchOptions } from './sim-switch.js';
export {
  DEFAULT_DIGIT_GAP_SECONDS,
  DEFAULT_PROMPT_DELAY_SECONDS,
  DEFAULT_RING_SECONDS,
  DTMF_DIGIT_MS,
  type CallResponse,
  type DigitPresses,
  type PartyBehaviour,
  type Utterance,
} from './directory.js';
export {
  DEFAULT_SPEECH_MODEL,
  audioFileDurationMs,
  mp3DurationMs,
  speechDurationMs,
  wavDurationMs,
  type SpeechModel,
} from './media-durations.js';
export { MP3_FRAME_MS, silentMp3, silentWav } from './recording-files.js';
