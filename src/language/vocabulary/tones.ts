/** Tone names every installation has (docs/transfers.md); the config may add others but not redefine these. */
export const BUILTIN_TONES = ['ringback-us', 'ringback-uk', 'ringback-eu', 'busy', 'beep', 'none'] as const;
export type BuiltinTone = (typeof BUILTIN_TONES)[number];

const BUILTIN: ReadonlySet<string> = new Set(BUILTIN_TONES);

export function isBuiltinTone(name: string): name is BuiltinTone {
  return BUILTIN.has(name);
}
