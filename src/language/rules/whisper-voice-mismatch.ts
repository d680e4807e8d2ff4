import { attributeWritten, literalValue } from '../bind.js';
import { isWhisperGender, isWhisperLocale, isWhisperVoice, resolveWhisperVoice } from '../vocabulary/index.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'whisper-voice-mismatch',
    defaultSeverity: 'error',
    description: 'WhisperVoice, WhisperGender and WhisperLocale name a voice that does not exist.',
    docs: 'Each whisper voice has one gender and speaks one language (docs/transfers.md lists them): `WhisperVoice="Kate" WhisperLocale="en_UK"` or `WhisperVoice="Jorge" WhisperGender="female"` cannot be spoken, and there is no male en_UK voice. Give the voice alone (its gender and locale follow), or a gender and locale that have a voice. Values with `$variables` are checked when the transfer runs.',
  },
  create: (ctx) => ({
    only: ['BlindTransfer'],
    element(el) {
      if (el.status !== 'ok' || el.spec?.name !== 'BlindTransfer') return;
      const voice = literalValue(el, 'WhisperVoice');
      const gender = literalValue(el, 'WhisperGender');
      const locale = literalValue(el, 'WhisperLocale');
      const choice = {
        voice: isWhisperVoice(voice) ? voice : undefined,
        gender: isWhisperGender(gender) ? gender : undefined,
        locale: isWhisperLocale(locale) ? locale : undefined,
      };
      if (!choice.voice && !(choice.gender && choice.locale)) return; // nothing contradicts
      const resolved = resolveWhisperVoice(choice);
      if (resolved.ok) return;
      // On the voice when one is given (it is what contradicts the others), else on the locale.
      const at = attributeWritten(el, choice.voice ? 'WhisperVoice' : 'WhisperLocale');
      if (!at) return;
      ctx.report({ range: at.xml.valueRange, message: `No whisper voice fits: ${resolved.message}.` });
    },
  }),
});
