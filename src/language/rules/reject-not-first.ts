import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'reject-not-first',
    defaultSeverity: 'error',
    description: '<Reject> is only valid as the first command of the document.',
    docs: 'Reject refuses an incoming call before it is answered. Any earlier verb has already answered the call (docs/engine.md), so the vendor allows Reject only as the first command, at the top level.',
  },
  create: (ctx) => ({
    only: ['Reject'],
    element(el) {
      // The first element of the document's top level is the only place for it.
      if (el.spec?.name !== 'Reject' || el.status !== 'ok' || el === ctx.document.elements[0]) return;
      ctx.report({ range: el.xml.startTagRange, message: '<Reject> must be the first command of the document; by now the call has been answered.' });
    },
  }),
});
