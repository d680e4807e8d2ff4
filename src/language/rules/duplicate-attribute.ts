import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'duplicate-attribute',
    defaultSeverity: 'error',
    description: 'The same attribute written twice (names are case-insensitive, aliases count).',
    docs: 'XML forbids repeating an attribute, but `Timeout` and `timeout` (or `ForwardToUrl` and its alias `enteredUrl`) are different XML names for the same OzML attribute. Only one may be written.',
  },
  create: (ctx) => ({
    element(el) {
      if (el.attributes.length < 2) return;
      const seen = new Map<string, string>();
      for (const attribute of el.attributes) {
        const key = attribute.spec?.name ?? attribute.xml.name.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) {
          ctx.report({ range: attribute.xml.range, message: `'${clip(attribute.xml.name)}' repeats '${clip(first)}'; write it once.` });
        } else seen.set(key, attribute.xml.name);
      }
    },
  }),
});
