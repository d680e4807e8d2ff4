import { defineRule } from './rule.js';

/** Reported by the XML reader (src/language/xml/read.ts). */
export default defineRule({
  meta: {
    id: 'doctype-forbidden',
    defaultSeverity: 'error',
    fatal: true,
    description: 'DOCTYPE declarations are refused.',
    docs: 'OzML documents never need a DTD, and DTDs are how entity-expansion (billion laughs) and external-entity (XXE) attacks get in. Any `<!DOCTYPE` is refused before parsing. Remove it; the five XML entities and numeric character references work without one.',
  },
});
