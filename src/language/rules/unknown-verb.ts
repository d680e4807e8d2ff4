import { clip, closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';
import { UNSUPPORTED_VERBS } from './vendor-forms.js';

export default defineRule({
  meta: {
    id: 'unknown-verb',
    defaultSeverity: 'error',
    description: 'An element that is not an OzML verb or block.',
    docs: 'Every element must be a verb of the catalogue (or a block such as `<Input>` where its verb allows it). Names match case-insensitively, so this is a real typo or an unsupported command; the message suggests the closest name allowed at that position. Commands the vendor lists without defining them (`<SQL>`, `<WaitForMsg>`, `<SendMessage>`, `<ReceiveMessage>`) and its HTTP API commands (`<ListActiveCalls>`, …) get a message that says so and what to use instead.',
  },
  create: (ctx) => ({
    // Unknown elements are the ones without a spec.
    appliesTo: (spec) => spec === undefined,
    element(el) {
      if (el.status !== 'unknown') return;
      const unsupported = UNSUPPORTED_VERBS.get(el.xml.name.toLowerCase());
      if (unsupported) {
        ctx.report({ range: el.xml.startTagRange, message: `<${el.xml.name}> ${unsupported}.` });
        return;
      }
      const suggestion = closestMatch(el.xml.name, el.allowedHere);
      const where = el.parent?.spec ? ` inside <${el.parent.spec.name}>` : '';
      ctx.report({
        range: el.xml.startTagRange,
        message: `Unknown verb <${clip(el.xml.name)}>${where}${suggestion ? `; did you mean <${suggestion}>?` : '.'}`,
        ...(suggestion ? { suggestion } : {}),
      });
    },
  }),
});
