/**
 * The config's tones as the call layer plays them. docs/platform.md ("Tones"): a generated tone
 * (`frequencies`, `cadenceMs`) loops until stopped, like the built-in ringback tones it usually
 * replaces; an audio tone (a file or URL) is handed to the switch as a looping tone under its name
 * with no frequencies (the simulated switch plays it as silence; a media switch plays the file).
 */
import type { ToneDefinition as CallTone } from '../calls/tones.js';
import type { ToneDefinition as ConfigTone } from '../config/types.js';

/** A steady tone has no cadence in the config: on for a second, again and again. */
const STEADY: readonly number[] = [1000];

export function callTone(tone: ConfigTone): CallTone {
  if (typeof tone === 'string') return { frequencies: [], cadence: STEADY, repeat: 'loop' };
  return { frequencies: [...tone.frequencies], cadence: tone.cadenceMs && tone.cadenceMs.length > 0 ? [...tone.cadenceMs] : STEADY, repeat: 'loop' };
}

export function callTones(tones: Readonly<Record<string, ConfigTone>>): Record<string, CallTone> {
  return Object.fromEntries(Object.entries(tones).map(([name, tone]) => [name, callTone(tone)]));
}
