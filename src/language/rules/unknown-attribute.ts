import { closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'unknown-attribute',
    defaultSeverity: 'error',
    description: 'An attribute the verb does not have.',
    docs: 'Attribute names match case-insensitively, and documented aliases (`enteredUrl` for `ForwardToUrl`, `Dialed` for `Dialled`, …) are accepted. Anything else is probably a typo: the message suggests the closest attribute of the verb.',
  },
  create: (ctx) => ({
    element(el) {
      if (el.status === 'unknown' || !el.spec) return;
      const names = el.spec.attributes.map((a) => a.name);
      for (const attribute of el.attributes) {
        if (attribute.spec) continue;
        const suggestion = closestMatch(attribute.xml.name, names);
        ctx.report({
          range: attribute.xml.nameRange,
          message: `<${el.spec.name}> has no attribute '${attribute.xml.name}'${suggestion ? `; did you mean '${suggestion}'?` : names.length ? ` (it has ${names.join(', ')}).` : ' (it takes none).'}`,
          ...(suggestion ? { suggestion } : {}),
        });
      }
    },
  }),
});
