import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'unknown-root',
    defaultSeverity: 'error',
    description: 'The root element must be <Response> (<OzML> is accepted with a warning).',
    docs: 'A document is a `<Response>` whose children are verbs. The vendor\'s alarm examples use `<OzML>` as the root; it is accepted with a warning so that those documents run, but new documents should use `<Response>`. Any other root is an error, reported once: a verb written as the whole document (the vendor\'s `<Request …>` example) is checked as that verb, and the attributes of an unknown root are not reported again.',
  },
  create: (ctx) => ({
    document(doc) {
      if (doc.rootName === 'Response') return;
      const range = doc.root.startTagRange;
      if (doc.rootName === 'OzML') {
        ctx.report({ range, severity: 'warning', message: 'The <OzML> root is accepted for compatibility; use <Response>.', suggestion: 'Response' });
        return;
      }
      if (doc.verbAsRoot) {
        // The vendor's Request example is written this way. The verb is checked as a verb; the
        // document still has no program until it is wrapped.
        ctx.report({
          range,
          message: `<${clip(doc.root.name)}> is a verb, not a document: an OzML document is a <Response> whose children are verbs; write <Response><${doc.verbAsRoot} …>…</${doc.verbAsRoot}></Response>.`,
          suggestion: 'Response',
        });
        return;
      }
      ctx.report({ range, message: `Unknown root element <${clip(doc.root.name)}>; an OzML document is a <Response>.`, suggestion: 'Response' });
    },
  }),
});
