import { attributeApplies, attributeFor } from '../bind.js';
import { mainAttribute } from '../catalogue/index.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'attribute-ignored-in-context',
    defaultSeverity: 'warning',
    description: 'An attribute that has no effect in this document\'s context.',
    docs: 'The vendor documents attributes that only count in one context: `CallId` and `Party` are ignored in api-extension documents (the interpreter acts on its own call), `Duration`, `Inactivity` and `FinishDigits` of Record only count in api-extension documents, and so does the `Target` of AttendedTransfer (also when written as text content). The value is dropped from the program.',
  },
  create: (ctx) => ({
    // Only elements with an attribute limited to some contexts can have one ignored.
    appliesTo: (spec) => spec !== undefined && spec.attributes.some((a) => a.contexts !== undefined),
    element(el) {
      if (el.status !== 'ok' || !el.spec) return;
      if (el.spec.contexts && !el.spec.contexts.includes(ctx.context)) return;
      for (const attribute of el.attributes) {
        if (!attribute.spec || attributeApplies(attribute.spec, ctx.context)) continue;
        ctx.report({
          range: attribute.xml.nameRange,
          message: `${attribute.spec.name} of <${el.spec.name}> is ignored in ${ctx.context} documents (it counts in ${attribute.spec.contexts!.join(', ')}).`,
        });
      }
      // A main parameter written as text content, e.g. <AttendedTransfer>1001</AttendedTransfer> in third-party.
      const main = mainAttribute(el.spec);
      if (main && el.xml.text && !attributeApplies(main, ctx.context) && !attributeFor(el, main)) {
        ctx.report({
          range: el.xml.textRange ?? el.xml.startTagRange,
          message: `${main.name} of <${el.spec.name}> (the text content) is ignored in ${ctx.context} documents (it counts in ${main.contexts!.join(', ')}).`,
        });
      }
    },
  }),
});
