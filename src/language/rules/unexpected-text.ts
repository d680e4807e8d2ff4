import { mainAttribute } from '../catalogue/index.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'unexpected-text',
    defaultSeverity: 'error',
    description: 'Text content in an element that takes none.',
    docs: 'Only verbs with a main parameter (Speak text, Play file, Delay seconds, GoTo URL, …) take text content. Text anywhere else (inside `<Response>`, `<UserInput>`, `<Hangup>`, …) would be silently ignored, so it is reported.',
  },
  create: (ctx) => {
    const check = (name: string, text: string, range: import('../types.js').Range) => {
      ctx.report({ range, message: `<${name}> does not take text content; found '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'.` });
    };
    return {
      document(doc) {
        // A verb written as the root is checked as that verb (below).
        if (doc.root.text && !doc.verbAsRoot) check(doc.root.name, doc.root.text, doc.root.textRange ?? doc.root.startTagRange);
      },
      appliesTo: (spec) => spec !== undefined && mainAttribute(spec) === undefined,
      element(el) {
        if (!el.spec || !el.xml.text || mainAttribute(el.spec)) return;
        check(el.spec.name, el.xml.text, el.xml.textRange ?? el.xml.startTagRange);
      },
    };
  },
});
