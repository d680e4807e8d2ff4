import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'empty-response',
    defaultSeverity: 'warning',
    description: 'The document has no verbs.',
    docs: 'An empty `<Response/>` is meaningful as the reply to a notification sent while a verb runs (the script continues after the verb, docs/engine.md), but as the answer to a new call it hangs up at once. It is a warning so that intended empty replies can stay.',
  },
  create: (ctx) => ({
    document(doc) {
      if (doc.rootName && doc.root.children.length === 0) {
        ctx.report({ range: doc.root.startTagRange, message: `<${doc.rootName}> has no verbs: as a call's first document it hangs up at once.` });
      }
    },
  }),
});
