import { defineRule } from './rule.js';

/** Reported by the XML reader (src/language/xml/read.ts). */
export default defineRule({
  meta: {
    id: 'xml-syntax',
    defaultSeverity: 'error',
    fatal: true,
    description: 'The document is not well-formed XML (or not UTF-8 text).',
    docs: 'Reported for anything an XML parser must refuse: mismatched or unclosed tags, more than one root, text outside the root, `<` in attribute values, unknown entities such as `&nbsp;`, invalid UTF-8 and binary data. A wrong end tag names the element left open and where it opened (`<Input> opened at line 4, column 7 is not closed before </Inputs> at line 5, column 5; add </Input> before it.`), as does an element never closed. Fix the XML; nothing else is checked until it is well-formed.',
  },
});
