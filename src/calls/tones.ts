/**
 * Tone catalogue shared by every switch: the sim derives durations from it, a SIP switch can
 * synthesise audio from it. Cadences are in milliseconds, on/off alternating.
 */
import type { BuiltinTone } from '../language/vocabulary/tones.js';

export interface ToneDefinition {
  /** Frequencies mixed while the tone is on (Hz); empty = silence. */
  readonly frequencies: readonly number[];
  /** On/off durations in ms, starting with "on". */
  readonly cadence: readonly number[];
  /** How many times the cadence plays; `loop` plays until stopped (ringback). */
  readonly repeat: number | 'loop';
}

/** The sound of each built-in tone (the names are the language's, src/language/vocabulary). */
export const DEFAULT_TONES: Readonly<Record<string, ToneDefinition>> = {
  'ringback-us': { frequencies: [440, 480], cadence: [2000, 4000], repeat: 'loop' },
  'ringback-uk': { frequencies: [400, 450], cadence: [400, 200, 400, 2000], repeat: 'loop' },
  'ringback-eu': { frequencies: [425], cadence: [1000, 4000], repeat: 'loop' },
  busy: { frequencies: [480, 620], cadence: [500, 500], repeat: 4 },
  beep: { frequencies: [1000], cadence: [500], repeat: 1 },
  none: { frequencies: [], cadence: [0], repeat: 1 },
} satisfies Record<BuiltinTone, ToneDefinition>;

/** Duration of one play of a finite tone in ms; `undefined` for looping tones. */
export function toneDurationMs(tone: ToneDefinition): number | undefined {
  if (tone.repeat === 'loop') return undefined;
  const once = tone.cadence.reduce((sum, ms) => sum + ms, 0);
  return once * tone.repeat;
}
