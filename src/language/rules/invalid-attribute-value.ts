import { attributeApplies, checkedWritten, literalValue } from '../bind.js';
import type { BoundAttribute } from '../bind.js';
import { clip, closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';

/** The first attribute bound to MaxDigits (a loop: a `find` callback would be allocated per call). */
function firstMaxDigits(attributes: readonly BoundAttribute[]): BoundAttribute | undefined {
  for (const attribute of attributes) if (attribute.spec?.name === 'MaxDigits') return attribute;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'invalid-attribute-value',
    defaultSeverity: 'error',
    description: 'A value that does not fit its attribute (enum, integer, boolean, URL, DTMF keys, phone number, range).',
    docs: 'Values are checked against the verb table: enumerations (case-insensitive), whole numbers and their ranges, `true`/`false`, http(s) and file URLs or relative paths (resolved against the document URL), DTMF keys, phone numbers/extensions/SIP addresses, tone and service names, and MaxDigits not below MinDigits on UserInput. Values with `$variables` are checked when the verb runs instead.',
  },
  create: (ctx) => ({
    appliesTo: (spec) => spec !== undefined && spec.attributes.length > 0,
    element(el) {
      if (el.status === 'unknown' || !el.spec) return;
      for (const written of el.written) {
        const spec = written.spec;
        if (written.templated || !attributeApplies(spec, ctx.context)) continue;
        // `written` is the first value written for its spec: the one checkedValue would look up again.
        const checked = checkedWritten(written, ctx.environment);
        if (!checked || checked.ok) continue;
        const candidates = spec.type.kind === 'enum' ? spec.type.values : undefined;
        const suggestion = candidates ? closestMatch(written.raw.trim(), candidates) : undefined;
        ctx.report({
          range: written.range,
          message: `${spec.name} of <${el.spec.name}> ${checked.message}; got '${clip(written.raw)}'.`,
          ...(suggestion ? { suggestion } : {}),
        });
      }
      // A range that cannot be satisfied: UserInput collects at least MinDigits and at most MaxDigits.
      if (el.spec.name === 'UserInput') {
        // Only a written MaxDigits is reported: the values are read only when there is one.
        const maxAttribute = firstMaxDigits(el.attributes);
        const min = maxAttribute && literalValue(el, 'MinDigits');
        const max = maxAttribute && literalValue(el, 'MaxDigits');
        if (maxAttribute && typeof min === 'number' && typeof max === 'number' && min > max) {
          ctx.report({
            range: maxAttribute.xml.valueRange,
            message: `MaxDigits of <UserInput> must be at least MinDigits (${min}); got '${clip(maxAttribute.xml.value)}'.`,
          });
        }
      }
    },
  }),
});
