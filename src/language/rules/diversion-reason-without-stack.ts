import { attributeWritten, literalValue } from '../bind.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'diversion-reason-without-stack',
    defaultSeverity: 'error',
    description: 'DiversionReason is set but DiversionTreatment is not stack.',
    docs: 'A Diversion reason only goes out on the header that `DiversionTreatment="stack"` adds (the Bandwidth call-update API); with `none` or `propagate` it would be silently dropped.',
  },
  create: (ctx) => ({
    only: ['BlindTransfer'],
    element(el) {
      if (el.status !== 'ok' || el.spec?.name !== 'BlindTransfer') return;
      const reason = attributeWritten(el, 'DiversionReason');
      if (!reason) return;
      const treatment = literalValue(el, 'DiversionTreatment');
      if (treatment === undefined || treatment === 'stack') return;
      ctx.report({
        range: reason.xml.nameRange,
        message: `DiversionReason has no effect with DiversionTreatment="${String(treatment)}"; it needs DiversionTreatment="stack".`,
      });
    },
  }),
});
