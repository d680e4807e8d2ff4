import { insideOf } from '../bind.js';
import { CONSULT_VERBS } from '../catalogue/index.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'consult-forbidden-verb',
    defaultSeverity: 'error',
    description: 'A verb inside <Consult> other than Speak, Play, Delay, Beep or UserInput.',
    docs: 'The Consult block runs on the consult leg while the caller is held (docs/transfers.md). Transfers, GoTo, Hangup and the other verbs would act on the wrong call or end the transfer, so only Speak, Play, Delay, Beep and UserInput (with the same verbs in its blocks) are allowed — like the whisper allowlists of TwiML and BXML.',
  },
  create: (ctx) => ({
    appliesTo: (spec) => spec?.kind === 'verb' && !(CONSULT_VERBS as readonly string[]).includes(spec.name),
    element(el) {
      if (el.status !== 'ok' || el.spec?.kind !== 'verb' || !insideOf(el, 'Consult')) return;
      if ((CONSULT_VERBS as readonly string[]).includes(el.spec.name)) return;
      ctx.report({ range: el.xml.startTagRange, message: `<${el.spec.name}> is not allowed inside <Consult> (allowed: ${CONSULT_VERBS.join(', ')}).` });
    },
  }),
});
