import { defineRule } from './rule.js';

/** Reported by the XML reader (src/language/xml/read.ts). */
export default defineRule({
  meta: {
    id: 'document-too-large',
    defaultSeverity: 'error',
    fatal: true,
    description: 'The document is larger than the size limit.',
    docs: 'Documents are capped before they are parsed: 1 MiB for lint, 64 KiB by default for documents fetched at run time (docs/language.md). Split the flow into several documents joined by GoTo.',
  },
});
