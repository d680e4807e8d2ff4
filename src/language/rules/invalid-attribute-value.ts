import { attributeApplies, writtenValue } from '../bind.js';
import { closestMatch } from '../suggest.js';
import { checkValue } from '../values.js';
import { hasReferences } from '../variables.js';
import { defineRule } from './rule.js';

export default defineRule({
  meta: {
    id: 'invalid-attribute-value',
    defaultSeverity: 'error',
    description: 'A value that does not fit its attribute (enum, integer, boolean, URL, DTMF keys, phone number, range).',
    docs: 'Values are checked against the verb table: enumerations (case-insensitive), whole numbers and their ranges, `true`/`false`, http(s) URLs (relative ones resolve against the document URL), DTMF keys, phone numbers/extensions/SIP addresses, tone and service names. Values with `$variables` are checked when the verb runs instead.',
  },
  create: (ctx) => ({
    element(el) {
      if (el.status === 'unknown' || !el.spec) return;
      for (const spec of el.spec.attributes) {
        if (!attributeApplies(spec, ctx.context)) continue;
        const written = writtenValue(el, spec);
        if (!written || hasReferences(written.raw)) continue;
        const checked = checkValue(spec.type, written.raw, ctx.environment);
        if (checked.ok) continue;
        const candidates = spec.type.kind === 'enum' ? spec.type.values : undefined;
        const suggestion = candidates ? closestMatch(written.raw.trim(), candidates) : undefined;
        ctx.report({
          range: written.range,
          message: `${spec.name} of <${el.spec.name}> ${checked.message}; got '${written.raw}'.`,
          ...(suggestion ? { suggestion } : {}),
        });
      }
    },
  }),
});
