import { attributeFor } from '../bind.js';
import { mainAttribute } from '../catalogue/index.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'text-and-attribute-both',
    defaultSeverity: 'error',
    description: 'The main parameter is given both as an attribute and as text content.',
    docs: '`<Speak>Hi</Speak>` and `<Speak Text="Hi"/>` mean the same; writing both leaves it unclear which one runs.',
  },
  create: (ctx) => ({
    appliesTo: (spec) => spec !== undefined && mainAttribute(spec) !== undefined,
    element(el) {
      if (!el.spec || !el.xml.text) return;
      const main = mainAttribute(el.spec);
      const attribute = main && attributeFor(el, main);
      if (!attribute) return;
      ctx.report({
        range: el.xml.textRange ?? el.xml.startTagRange,
        message: `<${el.spec.name}> has ${main.name} both as the attribute '${attribute.xml.name}' and as text content; keep one.`,
      });
    },
  }),
});
