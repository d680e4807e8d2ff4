import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'unknown-root',
    defaultSeverity: 'error',
    description: 'The root element must be <Response> (<OzML> is accepted with a warning).',
    docs: 'A document is a `<Response>` whose children are verbs. The vendor\'s alarm examples use `<OzML>` as the root; it is accepted with a warning so that those documents run, but new documents should use `<Response>`. Any other root is an error.',
  },
  create: (ctx) => ({
    document(doc) {
      if (doc.rootName === 'Response') return;
      const range = doc.root.startTagRange;
      if (doc.rootName === 'OzML') {
        ctx.report({ range, severity: 'warning', message: 'The <OzML> root is accepted for compatibility; use <Response>.', suggestion: 'Response' });
        return;
      }
      ctx.report({ range, message: `Unknown root element <${clip(doc.root.name)}>; an OzML document is a <Response>.`, suggestion: 'Response' });
    },
  }),
});
