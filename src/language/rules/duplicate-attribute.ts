import type { BoundAttribute } from '../bind.js';
import { clip } from '../suggest.js';
import { defineRule } from './rule.js';

/** Up to this many attributes, pairs are compared directly. */
const FEW = 8;

/** Attributes are the same when they bind to the same spec, or have the same unknown name in any case. */
const keyOf = (attribute: BoundAttribute): string => attribute.spec?.name ?? attribute.xml.name.toLowerCase();

export default defineRule({
  meta: {
    id: 'duplicate-attribute',
    defaultSeverity: 'error',
    description: 'The same attribute written twice (names are case-insensitive, aliases count).',
    docs: 'XML forbids repeating an attribute, but `Timeout` and `timeout` (or `ForwardToUrl` and its alias `enteredUrl`) are different XML names for the same OzML attribute. Only one may be written.',
  },
  create: (ctx) => {
    const report = (attribute: BoundAttribute, first: string) => {
      ctx.report({ range: attribute.xml.range, message: `'${clip(attribute.xml.name)}' repeats '${clip(first)}'; write it once.` });
    };
    return {
      element(el) {
        const attributes = el.attributes;
        if (attributes.length < 2) return;
        if (attributes.length <= FEW) {
          // Few attributes (the usual case): compare pairs instead of building a Map per element.
          for (let i = 1; i < attributes.length; i++) {
            const key = keyOf(attributes[i]!);
            for (let j = 0; j < i; j++) {
              if (keyOf(attributes[j]!) !== key) continue;
              report(attributes[i]!, attributes[j]!.xml.name);
              break;
            }
          }
          return;
        }
        const seen = new Map<string, string>();
        for (const attribute of attributes) {
          const key = keyOf(attribute);
          const first = seen.get(key);
          if (first !== undefined) report(attribute, first);
          else seen.set(key, attribute.xml.name);
        }
      },
    };
  },
});
