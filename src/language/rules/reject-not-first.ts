import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'reject-not-first',
    defaultSeverity: 'error',
    description: '<Reject> is only valid as the first command of the document.',
    docs: 'Reject refuses an incoming call before it is answered. Any earlier verb has already answered the call (design.md §4), so the vendor allows Reject only as the first command, at the top level.',
  },
  create: (ctx) => ({
    document(doc) {
      const visit = (elements: typeof doc.elements, topLevel: boolean) => {
        elements.forEach((el, index) => {
          if (el.spec?.name === 'Reject' && el.status === 'ok' && !(topLevel && index === 0)) {
            ctx.report({ range: el.xml.startTagRange, message: '<Reject> must be the first command of the document; by now the call has been answered.' });
          }
          visit(el.children, false);
        });
      };
      visit(doc.elements, true);
    },
  }),
});
