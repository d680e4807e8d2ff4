import { defineRule } from './rule.js';

/** Reported by the XML reader (src/language/xml/read.ts). */
export default defineRule({
  meta: {
    id: 'nesting-too-deep',
    defaultSeverity: 'error',
    fatal: true,
    description: 'Elements are nested deeper than 64 levels.',
    docs: 'Deep nesting is checked in a linear scan before the tree is built, so hostile input cannot overflow the stack. Real call flows never need more than a few levels; use GoTo to move to another document instead.',
  },
});
