/**
 * Whisper voices, genders and locales as Bandwidth's call-update API lists them (docs/transfers.md),
 * and which combinations exist: each voice has one gender and speaks one language.
 */

export const WHISPER_GENDERS = ['female', 'male'] as const;
export type WhisperGender = (typeof WHISPER_GENDERS)[number];

/** The locales as the API spells them; `es`, `fr`, `de` and `it` are locales of their own there. */
export const WHISPER_LOCALES = ['en_US', 'en_UK', 'es', 'es_MX', 'fr', 'fr_FR', 'de', 'de_DE', 'it', 'it_IT'] as const;
export type WhisperLocale = (typeof WHISPER_LOCALES)[number];

/**
 * Other spellings accepted for a locale, lower-cased → canonical. `en` is the API's own example
 * (`locale: "en"`) and means US English, the default; hyphenated tags (`en-US`, `en-GB`) are the
 * BCP 47 forms people write.
 */
export const WHISPER_LOCALE_ALIASES: Readonly<Record<string, WhisperLocale>> = {
  en: 'en_US',
  'en-us': 'en_US',
  'en-uk': 'en_UK',
  'en-gb': 'en_UK',
  en_gb: 'en_UK',
  'es-mx': 'es_MX',
  'fr-fr': 'fr_FR',
  'de-de': 'de_DE',
  'it-it': 'it_IT',
};

/** Each voice, its gender and the locales it speaks (the language's plain and regional forms). */
export const WHISPER_VOICE_TABLE = {
  Kate: { gender: 'female', locales: ['en_US'] },
  Susan: { gender: 'female', locales: ['en_US'] },
  Julie: { gender: 'female', locales: ['en_US'] },
  Dave: { gender: 'male', locales: ['en_US'] },
  Paul: { gender: 'male', locales: ['en_US'] },
  Bridget: { gender: 'female', locales: ['en_UK'] },
  Esperanza: { gender: 'female', locales: ['es', 'es_MX'] },
  Violeta: { gender: 'female', locales: ['es', 'es_MX'] },
  Jorge: { gender: 'male', locales: ['es', 'es_MX'] },
  Jolie: { gender: 'female', locales: ['fr', 'fr_FR'] },
  Bernard: { gender: 'male', locales: ['fr', 'fr_FR'] },
  Katrin: { gender: 'female', locales: ['de', 'de_DE'] },
  Stefan: { gender: 'male', locales: ['de', 'de_DE'] },
  Paola: { gender: 'female', locales: ['it', 'it_IT'] },
  Luca: { gender: 'male', locales: ['it', 'it_IT'] },
} as const satisfies Record<string, { gender: WhisperGender; locales: readonly WhisperLocale[] }>;

export type WhisperVoice = keyof typeof WHISPER_VOICE_TABLE;
export const WHISPER_VOICES = Object.keys(WHISPER_VOICE_TABLE) as readonly WhisperVoice[];

/** The API's defaults: Susan, female, en_US. */
export const DEFAULT_WHISPER_VOICE: WhisperVoice = 'Susan';

export interface WhisperVoiceChoice {
  voice?: WhisperVoice | undefined;
  gender?: WhisperGender | undefined;
  locale?: WhisperLocale | undefined;
}

export type WhisperVoiceResolution =
  | { ok: true; voice: WhisperVoice; gender: WhisperGender; locale: WhisperLocale }
  | { ok: false; message: string };

/**
 * The voice that speaks a whisper, from what the script gave: a voice fixes gender and language;
 * otherwise the first voice of the locale (default en_US) and gender (default female). A voice
 * whose gender or locale contradicts the others is impossible — the API would pick one of them
 * silently, so ozml refuses the combination (lint rule `whisper-voice-mismatch`).
 */
export function resolveWhisperVoice(choice: WhisperVoiceChoice): WhisperVoiceResolution {
  const { voice, gender, locale } = choice;
  if (voice !== undefined) {
    const entry = WHISPER_VOICE_TABLE[voice];
    const locales: readonly WhisperLocale[] = entry.locales;
    if (gender !== undefined && gender !== entry.gender) {
      return { ok: false, message: `voice ${voice} is ${entry.gender}, not ${gender}` };
    }
    if (locale !== undefined && !locales.includes(locale)) {
      return { ok: false, message: `voice ${voice} speaks ${locales.join('/')}, not ${locale}` };
    }
    return { ok: true, voice, gender: entry.gender, locale: locale ?? locales[0]! };
  }
  const wantedLocale = locale ?? 'en_US';
  const wantedGender = gender ?? 'female';
  if (wantedLocale === 'en_US' && wantedGender === 'female') {
    return { ok: true, voice: DEFAULT_WHISPER_VOICE, gender: wantedGender, locale: wantedLocale };
  }
  for (const name of WHISPER_VOICES) {
    const entry = WHISPER_VOICE_TABLE[name];
    const locales: readonly WhisperLocale[] = entry.locales;
    if (entry.gender === wantedGender && locales.includes(wantedLocale)) {
      return { ok: true, voice: name, gender: wantedGender, locale: wantedLocale };
    }
  }
  return { ok: false, message: `there is no ${wantedGender} voice for ${wantedLocale}` };
}

const VOICES: ReadonlySet<string> = new Set(WHISPER_VOICES);
const GENDERS: ReadonlySet<string> = new Set(WHISPER_GENDERS);
const LOCALES: ReadonlySet<string> = new Set(WHISPER_LOCALES);

export const isWhisperVoice = (value: unknown): value is WhisperVoice => typeof value === 'string' && VOICES.has(value);
export const isWhisperGender = (value: unknown): value is WhisperGender => typeof value === 'string' && GENDERS.has(value);
export const isWhisperLocale = (value: unknown): value is WhisperLocale => typeof value === 'string' && LOCALES.has(value);
