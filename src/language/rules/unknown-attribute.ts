import { clip, closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';
import { UNSUPPORTED_ATTRIBUTES } from './vendor-forms.js';

export default defineRule({
  meta: {
    id: 'unknown-attribute',
    defaultSeverity: 'error',
    description: 'An attribute the verb does not have.',
    docs: 'Attribute names match case-insensitively, and documented aliases (`enteredUrl` for `ForwardToUrl`, `Dialed` for `Dialled`, …) are accepted. Anything else is probably a typo: the message suggests the closest attribute of the verb. The root element takes only the XML attributes (`xmlns`, `xsi:noNamespaceSchemaLocation`, …). A vendor attribute ozml does not run (UserInput `ExecuteSQL`) gets a message that says what to write instead.',
  },
  create: (ctx) => ({
    document(doc) {
      // An unknown root is reported once (unknown-root); a verb written as the root has its
      // attributes checked as the verb's.
      if (!doc.rootName) return;
      // The root takes no OzML attributes; namespace declarations and xsi:/xml: attributes (editors add
      // xsi:noNamespaceSchemaLocation to find the XSD) are XML's own.
      for (const attribute of doc.root.attributes) {
        if (/^(?:xmlns(?::.*)?|xsi:.+|xml:.+)$/.test(attribute.name)) continue;
        ctx.report({
          range: attribute.nameRange,
          message: `<${clip(doc.root.name)}> takes no attribute '${clip(attribute.name)}' (only xmlns and xsi: attributes may be written on the root).`,
        });
      }
    },
    appliesTo: (spec) => spec !== undefined,
    element(el) {
      if (el.status === 'unknown' || !el.spec) return;
      for (const attribute of el.attributes) {
        if (attribute.spec) continue;
        const unsupported = UNSUPPORTED_ATTRIBUTES.get(el.spec.name)?.get(attribute.xml.name.toLowerCase());
        if (unsupported) {
          ctx.report({ range: attribute.xml.nameRange, message: `${attribute.xml.name} of <${el.spec.name}> ${unsupported}.` });
          continue;
        }
        // Only built for a finding: most elements have no unknown attribute.
        const names = el.spec.attributes.map((a) => a.name);
        const suggestion = closestMatch(attribute.xml.name, names);
        ctx.report({
          range: attribute.xml.nameRange,
          message: `<${el.spec.name}> has no attribute '${clip(attribute.xml.name)}'${suggestion ? `; did you mean '${suggestion}'?` : names.length ? ` (it has ${names.join(', ')}).` : ' (it takes none).'}`,
          ...(suggestion ? { suggestion } : {}),
        });
      }
    },
  }),
});
