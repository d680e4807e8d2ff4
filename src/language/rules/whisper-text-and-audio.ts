import { attributeWritten } from '../bind.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'whisper-text-and-audio',
    defaultSeverity: 'error',
    description: 'A BlindTransfer gives both Whisper (text) and WhisperAudio.',
    docs: 'The target hears one whisper before the caller is connected (docs/transfers.md): a sentence or an audio file, as in Bandwidth\'s `whisperAudio`, which takes `sentence` or `fileUrl`. With both, one would be dropped without a word; remove the one you do not mean.',
  },
  create: (ctx) => ({
    only: ['BlindTransfer'],
    element(el) {
      if (el.status !== 'ok' || el.spec?.name !== 'BlindTransfer') return;
      const text = attributeWritten(el, 'Whisper');
      const audio = attributeWritten(el, 'WhisperAudio');
      if (!text || !audio) return;
      ctx.report({
        range: audio.xml.nameRange,
        message: 'Whisper and WhisperAudio are both given; the target hears one whisper: keep the text or the audio, not both.',
      });
    },
  }),
});
