import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'name-case',
    defaultSeverity: 'off',
    description: 'An element or attribute name not written in its canonical spelling.',
    docs: 'Names match case-insensitively (the vendor\'s own examples write `<speak>` and `key=`), so this is only about consistency. Off by default; turn it on (`--rule name-case=warn`) to keep a code base uniform.',
  },
  create: (ctx) => ({
    document(doc) {
      if (doc.rootName && doc.root.name !== doc.rootName) {
        ctx.report({ range: doc.root.startTagRange, message: `Write <${doc.rootName}>, not <${doc.root.name}>.`, suggestion: doc.rootName, severity: 'warning' });
      }
    },
    appliesTo: (spec) => spec !== undefined,
    element(el) {
      if (!el.spec) return;
      // Most names are written canonically: the list of spellings is built only for the others.
      const names = el.xml.name === el.spec.name ? undefined : [el.spec.name, ...(el.spec.aliases ?? [])];
      if (names && !names.includes(el.xml.name)) {
        const canonical = names.find((n) => n.toLowerCase() === el.xml.name.toLowerCase()) ?? el.spec.name;
        ctx.report({ range: el.xml.startTagRange, message: `Write <${canonical}>, not <${el.xml.name}>.`, suggestion: canonical, severity: 'warning' });
      }
      for (const attribute of el.attributes) {
        if (!attribute.spec || attribute.xml.name === attribute.spec.name) continue;
        const spellings = [attribute.spec.name, ...(attribute.spec.aliases ?? [])];
        if (spellings.includes(attribute.xml.name)) continue;
        const canonical = spellings.find((n) => n.toLowerCase() === attribute.xml.name.toLowerCase()) ?? attribute.spec.name;
        ctx.report({ range: attribute.xml.nameRange, message: `Write ${canonical}, not ${attribute.xml.name}.`, suggestion: canonical, severity: 'warning' });
      }
    },
  }),
});
