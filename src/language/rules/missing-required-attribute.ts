import { attributeRequired, writtenValue } from '../bind.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'missing-required-attribute',
    defaultSeverity: 'error',
    description: 'A required attribute (or main text) is missing.',
    docs: 'Some attributes are required in every context (`Target` of BlindTransfer), others only in one (`Party` of Speak in third-party documents, `TargetCallId` of AttendedTransfer in third-party documents). Attributes that may be written as text content count when the text is there.',
  },
  create: (ctx) => ({
    element(el) {
      if (el.status !== 'ok' || !el.spec) return;
      if (el.spec.contexts && !el.spec.contexts.includes(ctx.context)) return; // reported by verb-not-allowed-in-context
      for (const spec of el.spec.attributes) {
        if (!attributeRequired(spec, ctx.context) || writtenValue(el, spec)) continue;
        const how = spec.main ? ` (as an attribute or as text content)` : '';
        ctx.report({ range: el.xml.startTagRange, message: `<${el.spec.name}> requires ${spec.name}${how}.` });
      }
    },
  }),
});
